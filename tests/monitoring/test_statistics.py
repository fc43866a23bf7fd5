"""Derived values on the pages, zone evaluation and its history, and the bulletin as LibreOffice reads it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from jiju.monitoring import statistics, zone_evaluations
from jiju.monitoring.bulletin import collect, workbook
from jiju.monitoring.models import Report, ReportForm, ZoneEvaluation, ZoneResult
from tests.monitoring.conftest import approved


def test_report_page_lines_derive_own_value_and_growth(world, monthly):
    zz = world.zones["zz"]
    approved(monthly, zz, 2025, 3, revenue=300.0)
    approved(monthly, zz, 2025, 2, revenue=200.0)
    approved(monthly, zz, 2026, 2, revenue=250.0)
    report = Report(form=monthly, zone=zz, year=2026, month=3, values={"revenue": 390.0})
    line = statistics.report_lines(report)[0]
    assert (line["value"], line["previous"], line["own"], line["last"]) == (390.0, 250.0, 140.0, 300.0)
    assert line["growth"] == pytest.approx(0.30)


def test_ranking_table_over_the_province(world, monthly):
    for zone, now, before in (("zz", 390.0, 300.0), ("gy", 110.0, 100.0), ("ly", 500.0, 600.0)):
        approved(monthly, world.zones[zone], 2026, 3, revenue=now)
        approved(monthly, world.zones[zone], 2025, 3, revenue=before)
    client = Client()
    client.force_login(world.users["city"])
    page = client.get("/monitoring/rankings/?form=T01&year=2026&month=3&indicator=revenue")
    text = page.content.decode()
    # The city office sees its two zones, ranked among all three: 洛阳 is first, 郑州 second.
    assert "洛阳经济技术开发区" not in text
    rows = page.context["rows"]
    assert [(r["zone_name"], r["rank"]) for r in rows] == [("郑州经济技术开发区", 2), ("巩义市产业集聚区", 3)]
    assert rows[0]["province_share"] == pytest.approx(0.39) and rows[0]["city_share"] == pytest.approx(390 / 500)


def _year(world, year, **by_zone):
    forms = {f.code: f for f in ReportForm.objects.all()}
    for key, (revenue, tax, fdi) in by_zone.items():
        zone = world.zones[key]
        approved(forms["YB01"], zone, year, 12, revenue=revenue, tax=tax, fdi=fdi, value_added=revenue / 4)
        approved(forms["NB01"], zone, year, 12, built_area=10.0, energy=revenue / 8, rd=revenue / 50)


def test_zone_evaluation_ranks_overall_and_within_groups(world):
    _year(world, 2024, zz=(1000, 50, 10), gy=(400, 20, 2), ly=(800, 40, 8))
    _year(world, 2025, zz=(1100, 60, 12), gy=(500, 20, 1), ly=(700, 30, 9))
    evaluation = zone_evaluations.do_evaluate_zones(world.users["province"], "mofcom_2021", 2025)
    results = {r.zone.name: r for r in ZoneResult.objects.filter(evaluation=evaluation).select_related("zone")}
    assert set(results) == {"郑州经济技术开发区", "巩义市产业集聚区", "洛阳经济技术开发区"}
    zz, gy, ly = (results[n] for n in ("郑州经济技术开发区", "巩义市产业集聚区", "洛阳经济技术开发区"))
    assert zz.rank == 1 and gy.rank == 3 and ly.rank == 2
    assert (zz.level_rank, ly.level_rank, gy.level_rank) == (1, 2, 1)  # two national zones, one provincial
    assert (zz.city_rank, gy.city_rank, ly.city_rank) == (1, 2, 1)  # 郑州 and 巩义 share a city
    growth = next(b for b in zz.breakdown if b["code"] == "fdi_growth")
    assert growth["value"] == pytest.approx(0.2)
    zone_evaluations.do_publish_zones(world.users["province"], evaluation)
    stars = zone_evaluations.do_evaluate_zones(world.users["province"], "henan_stars", 2025)
    assert all(r.grade for r in ZoneResult.objects.filter(evaluation=stars))
    with pytest.raises(PermissionDenied):
        zone_evaluations.do_evaluate_zones(world.users["zone"], "mofcom_2021", 2025)
    history = zone_evaluations.history(world.users["province"], "mofcom_2021")
    assert history.filter(history["zone"] == world.zones["gy"].pk).row(0, named=True)["count"] == 3
    assert ZoneEvaluation.objects.filter(state=ZoneEvaluation.PUBLISHED).count() == 1


def test_bulletin_holds_the_period_ranking(world, monthly):
    yb01 = ReportForm.objects.get(code="YB01")
    for key, now, before in (("zz", 390.0, 300.0), ("gy", 110.0, 100.0)):
        approved(yb01, world.zones[key], 2026, 3, revenue=now, tax=now / 10, fixed_investment=now / 2)
        approved(yb01, world.zones[key], 2025, 3, revenue=before, tax=before / 10, fixed_investment=before / 2)
    bulletin = collect(world.users["province"], yb01, 2026, 3)
    assert [row[:2] for row in bulletin.ranking] == [[1, "郑州经济技术开发区"], [2, "巩义市产业集聚区"]]
    assert bulletin.ranking[0][3] == "30.0"  # 营业收入 +30 %
    assert "洛阳经济技术开发区" in bulletin.missing and "郑州经济技术开发区" not in bulletin.missing
    headline = {h["name"]: h for h in bulletin.headline}
    assert headline["营业收入"]["value"] == pytest.approx(0.05)  # 500 万元 = 0.05 亿元
    assert headline["营业收入"]["growth"] == pytest.approx(0.25)  # 500 / 400 - 1
    sheet = __import__("openpyxl").load_workbook(io.BytesIO(workbook(bulletin)))["开发区排名"]
    assert [c.value for c in sheet[2]][:2] == [1, "郑州经济技术开发区"]


def soffice() -> str:
    """LibreOffice, which CI installs; elsewhere the rendering test is skipped, never in CI."""
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            raise RuntimeError("CI must render the bulletin, but LibreOffice (soffice) is missing")
        pytest.skip("LibreOffice is not installed: the .docx rendering test is skipped (CI installs it)")
    return found


def test_bulletin_docx_renders_with_libreoffice(world, tmp_path):
    from pypdf import PdfReader

    yb01 = ReportForm.objects.get(code="YB01")
    approved(yb01, world.zones["zz"], 2026, 3, revenue=390.0, tax=39.0, fixed_investment=195.0)
    approved(yb01, world.zones["zz"], 2025, 3, revenue=300.0, tax=30.0, fixed_investment=150.0)
    client = Client()
    client.force_login(world.users["province"])
    response = client.get("/monitoring/bulletin.docx?form=YB01&year=2026&month=3")
    assert response.status_code == 200
    path = tmp_path / "bulletin.docx"
    path.write_bytes(response.content)
    subprocess.run(
        [soffice(), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "bulletin.pdf").pages)
    flat = text.replace(" ", "").replace("\n", "")
    assert "关于2026年1—3月全省开发区主要经济指标完成情况的通报" in flat
    assert "各开发区主要指标" in flat and "郑州经济技术开发区" in flat
    assert "30.0" in flat  # its revenue growth in the ranking table
    assert "未按时报送" in flat and "巩义市产业集聚区" in flat


def test_target_progress_from_approved_year_to_date(world):
    from jiju.monitoring.actions import do_set_target
    from jiju.monitoring.models import Indicator

    yb01 = ReportForm.objects.get(code="YB01")
    revenue, tax = Indicator.objects.get(code="revenue"), Indicator.objects.get(code="tax")
    approved(yb01, world.zones["zz"], 2026, 6, revenue=500.0, tax=40.0)
    Report.objects.create(form=yb01, zone=world.zones["gy"], year=2026, month=6, values={"revenue": 900.0})  # a draft
    for key in ("zz", "gy"):
        do_set_target(world.users["city"], world.zones[key], 2026, revenue, 1000.0)
    do_set_target(world.users["city"], world.zones["zz"], 2026, tax, 100.0)
    rows = {
        (r["target"].zone.name, r["target"].indicator.code): r
        for r in statistics.target_progress(world.users["city"], 2026, 6)
    }
    # Half the year gone: 500 of 1,000 is on time, 40 of 100 is behind; a draft is no actual.
    assert (
        rows[("郑州经济技术开发区", "revenue")]["completion"] == 0.5
        and not rows[("郑州经济技术开发区", "revenue")]["behind"]
    )
    assert rows[("郑州经济技术开发区", "tax")]["behind"]
    assert (
        rows[("巩义市产业集聚区", "revenue")]["actual"] is None and not rows[("巩义市产业集聚区", "revenue")]["behind"]
    )
    with pytest.raises(PermissionDenied):
        do_set_target(world.users["zone"], world.zones["zz"], 2026, tax, 1.0)


def test_a_new_report_shows_last_year_and_the_previous_period_before_anything_is_typed(world, monthly):
    zz = world.zones["zz"]
    approved(monthly, zz, 2025, 3, revenue=300.0)
    approved(monthly, zz, 2026, 2, revenue=250.0)
    line = statistics.report_lines(Report(form=monthly, zone=zz, year=2026, month=3))[0]
    assert (line["value"], line["previous"], line["last"], line["growth"]) == (None, 250.0, 300.0, None)
