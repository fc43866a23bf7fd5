"""The notice as printed (issue 11, item 9), rendered by LibreOffice and read back from the PDF: the
rank column on one line, the header row on every page of a long table, the signature on the page of
the last paragraph, a long ranking in an attachment, the signing office and the area the account's."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from jiju.assessment import evaluations, notice
from tests.monitoring.test_statistics import soffice

OFFICE = "郑州市开发区工作领导小组办公室"


def render(body: bytes, folder: Path) -> list[str]:
    """The text of each page of the document as LibreOffice prints it."""
    path = folder / "notice.docx"
    path.write_bytes(body)
    subprocess.run(
        [soffice(), "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(folder), "PATH": "/usr/bin:/bin"},
    )
    return [page.extract_text() for page in PdfReader(folder / "notice.pdf").pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def zones(n: int) -> list[dict]:
    """A ranking of `n` zones, as summaries.zone_summary gives it."""
    return [
        {
            "rank": i,
            "zone": f"第{i}号产业集聚区",
            "firms": 10 + i,
            "grades": [("A", 2), ("B", 5), ("C", 3), ("D", 1)],
            "tax_per_mu": 40.0 - i * 0.5,
            "va_per_mu": 120.0 - i,
        }
        for i in range(1, n + 1)
    ]


SURCHARGES = (("A", "—"), ("C", "0.10"), ("D", "0.30"))
POLICIES = [{"grade": g, "items": [("用电加价（元/千瓦时）", v)]} for g, v in SURCHARGES]


@pytest.fixture
def run(year_data):
    city = year_data.users["city"]
    return evaluations.execute(evaluations.new_run(city, "huaian_2024", 2025), city)


def test_a_long_ranking_goes_to_an_attachment_whose_header_repeats_on_every_page(run, tmp_path):
    body = notice.build(run, {"A": 100, "B": 200}, zones(120), None, POLICIES, OFFICE, dt.date(2026, 3, 2), "郑州市")
    document = Document(io.BytesIO(body))
    ranking = document.tables[-1]
    assert ranking.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row.cells[0]._tc.tcPr.find(qn("w:noWrap")) is not None for row in ranking.rows)
    pages = [flat(p) for p in render(body, tmp_path)]
    start = next(i for i, p in enumerate(pages) if p.startswith("附件1") or "附件1" in p[:10])
    assert start >= 1, pages[0][:200]
    assert "第2号产业集聚区" not in "".join(pages[:start])  # the body names only the first zone
    attachment = pages[start:]
    assert len(attachment) >= 3  # 120 zones do not fit on two pages
    for page in attachment:
        assert "排名开发区参评企业" in page, page[:120]  # the header row on every page, "排名" unbroken
    assert "第120号产业集聚区" in attachment[-1]
    signed = next(p for p in pages if OFFICE in p)
    assert "推动企业提高亩均效益" in signed and "附件：1．2025年度郑州市各开发区亩均效益排名" in signed
    assert pages.index(signed) == start - 1  # the signature ends the body, the attachment starts a new page


def test_the_signature_never_stands_alone_on_a_page(run, tmp_path):
    """Grow the body a row at a time until the signature would fall onto a page of its own: the
    last paragraph goes with it."""
    for count in range(1, 11):
        body = notice.build(run, {"A": 1}, zones(count), None, POLICIES * 4, OFFICE, dt.date(2026, 3, 2), "郑州市")
        pages = [flat(p) for p in render(body, tmp_path)]
        signed = next(p for p in pages if OFFICE in p)
        assert "推动企业提高亩均效益" in signed, (count, signed)


def test_a_short_ranking_stays_in_the_body_with_its_caption(run, tmp_path):
    body = notice.build(run, {"A": 1}, zones(8), None, POLICIES, OFFICE, dt.date(2026, 3, 2), "郑州市")
    pages = [flat(p) for p in render(body, tmp_path)]
    assert not any("附件" in p for p in pages)
    with_caption = next(p for p in pages if "（一）亩均税收排名" in p)
    assert "第8号产业集聚区" in with_caption  # the table and its caption on one page


def _notice_of(world, role: str) -> str:
    client = Client()
    client.force_login(world.users[role])
    province = world.users["province"]
    run = evaluations.execute(evaluations.new_run(province, "huaian_2024", 2025), province)
    body = client.get(f"/assessment/runs/{run.pk}/notice.docx").content
    return "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)


def test_a_citys_notice_is_the_citys_and_the_provinces_the_provinces(year_data):
    city = _notice_of(year_data, "city")
    assert "2025年度郑州市工业企业" in city and "全省" not in city
    assert "郑州市开发区工作领导小组办公室" in city.splitlines()[-2]
    province = _notice_of(year_data, "province")
    assert "2025年度全省工业企业" in province and "郑州市" not in province


def test_a_leaders_account_never_signs_with_its_role(year_data):
    text = _notice_of(year_data, "leader")
    assert text.splitlines()[-2] == "河南省开发区工作领导小组办公室"  # its body's office, not "领导（只读）"


def test_a_notice_under_public_notice_names_the_period_and_where_to_object(run):
    from jiju.assessment.models import EvaluationRun

    EvaluationRun.objects.filter(pk=run.pk).update(
        state="published", notice_start=dt.date(2026, 3, 2), notice_end=dt.date(2026, 3, 9)
    )
    run.refresh_from_db()
    body = notice.build(run, {"A": 1}, zones(2), None, POLICIES, OFFICE, dt.date(2026, 3, 2), "郑州市")
    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "公示期为2026年3月2日至2026年3月9日" in text and f"请在公示期内向{OFFICE}提交" in text
