"""Two writes of the same keys at once (the same file sent twice, two tabs): the one that comes second
is refused whole with a Chinese message, instead of the database's "UNIQUE constraint failed" (a 500).

The overlap is made exact, not left to timing: the second import runs, whole, at the moment the first
has checked its rows and not yet written them."""

from __future__ import annotations

import io

import xlsxwriter

from jiju.changelog.models import ObjectChange
from jiju.platform.actions import OVERLAP
from jiju.registry import importing
from jiju.registry.models import Enterprise
from tests.conftest import make_code


def xlsx(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def test_an_import_overtaken_by_the_same_import_is_refused_whole(world, monkeypatch):
    rows = [
        ["统一社会信用代码", "企业名称", "所在开发区"],
        [make_code("410100", 801), "甲有限公司", "郑州经济技术开发区"],
        [make_code("410100", 802), "乙有限公司", "郑州经济技术开发区"],
    ]
    data = xlsx(rows)
    city = world.users["city"]
    checked = importing._Importer.check
    overtaken = []

    def check_then_overtake(self, row):
        checked(self, row)
        if not overtaken:  # the other tab's import runs whole while this one is between checking and writing
            overtaken.append(None)
            overtaken[0] = importing.do_import(city, "enterprise", data, "企业.xlsx")

    monkeypatch.setattr(importing._Importer, "check", check_then_overtake)
    first_firms, first_entries = Enterprise.objects.count(), ObjectChange.objects.count()
    report = importing.do_import(city, "enterprise", data, "企业.xlsx")

    assert overtaken[0].ok and overtaken[0].created == 2
    after_other = (first_firms + 2, first_entries + 2)
    assert not report.ok
    assert [e.reason for e in report.errors] == [OVERLAP]
    assert report.created == 0
    assert (Enterprise.objects.count(), ObjectChange.objects.count()) == after_other
