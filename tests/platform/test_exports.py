"""Exports are streamed in constant memory and read back the very rows the list holds."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.test import Client
from openpyxl import load_workbook

from jiju.platform import files
from jiju.registry.kinds import KINDS
from jiju.registry.models import Enterprise, Tag
from tests.conftest import make_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(world):
    """Enough enterprises, with tags, that the export reads them in several chunks."""
    zone = world.zones["zz"]
    Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=make_code("410100", 1000 + n),
            name=f"郑州第{n}测试企业有限公司",
            zone=zone,
            region=zone.region,
            industry=world.enterprises["zz"].industry,
            scale="above",
        )
        for n in range(60)
    )
    tag = Tag.objects.first()
    for enterprise in Enterprise.objects.filter(name__startswith="郑州第")[:25]:
        enterprise.tags.add(tag)
    return world


def _expected(user, columns) -> list[tuple]:
    records = KINDS["enterprises"].queryset(Enterprise.objects.visible_to(user))
    return [tuple(files._plain(c.show(r)) for c in columns) for r in records]


def _same(value: object) -> object:
    """A value as both files read it back: numbers as floats, dates as dates, nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value


def test_the_streamed_workbook_and_csv_read_back_every_row_as_the_records_show_it(many, monkeypatch):
    monkeypatch.setattr(files, "EXPORT_CHUNK", 7)  # many chunks, and the tags prefetched per chunk
    client = Client()
    client.force_login(many.users["province"])
    columns = KINDS["enterprises"].columns()
    expected = _expected(many.users["province"], columns)
    tag = Tag.objects.first().name
    assert len(expected) == 63 and sum(tag in row for row in expected) == 25  # Henan's, 25 with the tag

    response = client.get("/enterprises/", {"format": "xlsx"})
    assert isinstance(response, FileResponse)  # sent from a temporary file, not built in memory
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(c.header for c in columns)
    assert [tuple(_same(v) for v in row) for row in rows[1:]] == [tuple(_same(v) for v in row) for row in expected]

    response = client.get("/enterprises/", {"format": "csv"})
    assert isinstance(response, StreamingHttpResponse) and not isinstance(response, FileResponse)
    chunks = list(response.streaming_content)
    assert len(chunks) == 64 and chunks[0].startswith(b"\xef\xbb\xbf")  # a header, then one row at a time
    read = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert read[0] == [c.header for c in columns]
    assert read[1:] == [["" if v is None else str(v) for v in row] for row in expected]
