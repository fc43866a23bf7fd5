"""Every monitoring page for every kind of visitor: anonymous, no permission, permission, constrained."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiju.monitoring import sheets, zone_evaluations
from jiju.monitoring.models import Report, ReportForm
from tests.monitoring.conftest import approved


@pytest.fixture
def filled(world, monthly):
    yb01 = ReportForm.objects.get(code="YB01")
    nb01 = ReportForm.objects.get(code="NB01")
    for key in ("zz", "gy", "ly"):
        for year in (2024, 2025):
            approved(yb01, world.zones[key], year, 12, revenue=100.0 * year, tax=10.0, fdi=1.0)
            approved(nb01, world.zones[key], year, 12, built_area=5.0, energy=10.0, rd=1.0)
    approved(monthly, world.zones["ly"], 2026, 3, revenue=5.0)
    evaluation = zone_evaluations.do_evaluate_zones(world.users["province"], "mofcom_2021", 2025)
    event = sheets.do_create_event(world.users["province"], "观摩", "2026-07-15", "进度:40")
    return {"evaluation": evaluation.pk, "event": event.pk, "ly": world.zones["ly"].pk, "zz": world.zones["zz"].pk}


def pages(ids) -> list[str]:
    return [
        "/dashboard/",
        "/monitoring/status/?form=YB01&year=2025&month=12",
        "/monitoring/status/?form=YB01&year=2025&month=12&format=xlsx",
        "/monitoring/rankings/?form=YB01&year=2025&month=12&indicator=revenue",
        "/monitoring/rankings/?form=YB01&year=2025&month=12&indicator=revenue&format=xlsx",
        "/monitoring/targets/?year=2025&month=12",
        "/monitoring/targets/template.xlsx",
        "/monitoring/evaluations/",
        f"/monitoring/evaluations/{ids['evaluation']}/",
        f"/monitoring/evaluations/{ids['evaluation']}/?format=xlsx",
        "/monitoring/evaluations/history/",
        "/monitoring/ratings/",
        f"/monitoring/ratings/{ids['event']}/",
        f"/monitoring/ratings/{ids['event']}/template.xlsx",
        "/monitoring/indicators/",
        "/monitoring/bulletin.docx?form=YB01&year=2025&month=12",
        "/monitoring/bulletin.xlsx?form=YB01&year=2025&month=12",
        f"/monitoring/reports/YB01/{ids['zz']}/2025/12/",
        f"/monitoring/reports/YB01/{ids['zz']}/2025/12/template.xlsx",
    ]


def test_anonymous_is_sent_to_log_in(world, filled):
    client = Client()
    for url in pages(filled):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_a_data_provider_reads_nothing(world, filled):
    client = Client()
    client.force_login(world.users["provider"])
    for url in pages(filled):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["province", "city", "zone", "leader", "admin"])
def test_every_reader_opens_every_page(world, filled, role):
    client = Client()
    client.force_login(world.users[role])
    for url in pages(filled):
        assert client.get(url).status_code == 200, (role, url)


def test_constrained_to_the_scope(world, filled):
    client = Client()
    client.force_login(world.users["city"])
    status = client.get("/monitoring/status/?form=YB01&year=2025&month=12").content.decode()
    assert "郑州经济技术开发区" in status and "洛阳经济技术开发区" not in status
    assert client.get(f"/monitoring/reports/YB01/{filled['ly']}/2025/12/").status_code == 404
    evaluation = client.get(f"/monitoring/evaluations/{filled['evaluation']}/").content.decode()
    assert "巩义市产业集聚区" in evaluation and "洛阳经济技术开发区" not in evaluation
    dashboard = client.get("/dashboard/")
    assert dashboard.context["data"]["zones"] == 2
    client.force_login(world.users["zone"])
    ranking = client.get("/monitoring/rankings/?form=YB01&year=2025&month=12&indicator=revenue")
    assert [r["zone_name"] for r in ranking.context["rows"]] == ["郑州经济技术开发区"]


def test_only_permitted_roles_change_state(world, filled):
    report = Report.objects.get(form__code="YB01", zone=world.zones["zz"], year=2025, month=12)
    url = f"/monitoring/reports/YB01/{filled['zz']}/2025/12/"
    client = Client()
    client.force_login(world.users["leader"])
    client.post(url, {"action": "unlock", "reason": "试图解锁"})
    client.force_login(world.users["city"])
    client.post(url, {"action": "unlock", "reason": "试图解锁"})
    report.refresh_from_db()
    assert report.state == Report.APPROVED
    client.force_login(world.users["province"])
    client.post(url, {"action": "unlock", "reason": "口径调整"})
    report.refresh_from_db()
    assert report.state == Report.RETURNED and report.unlock_reason == "口径调整"
    # Evaluations and rating events: the offices only.
    client.force_login(world.users["zone"])
    client.post("/monitoring/evaluations/", {"scheme": "mofcom_2021", "year": 2025})
    client.post("/monitoring/ratings/", {"name": "x", "date": "2026-01-01", "criteria": "a:1"})
    from jiju.monitoring.models import RatingEvent, ZoneEvaluation

    assert ZoneEvaluation.objects.count() == 1 and RatingEvent.objects.count() == 1
    # Indicators: province administrators only.
    assert client.get("/monitoring/indicators/new/").status_code == 403
    client.force_login(world.users["city"])
    assert client.get("/monitoring/indicators/new/").status_code == 403
    client.force_login(world.users["province"])
    response = client.post(
        "/monitoring/indicators/new/",
        {
            "code": "land_supply",
            "name": "供地面积",
            "unit": "亩",
            "frequency": "month",
            "aggregation": "ratio",
            "order": 30,
        },
    )
    assert response.status_code == 200 and "两个合计之比须填写已有的指标代码" in response.content.decode()


def test_a_zone_evaluation_sorts_by_its_columns_pages_and_exports_in_that_order(world, filled, settings):
    settings.PAGE_SIZE = 2
    client = Client()
    client.force_login(world.users["province"])
    url = f"/monitoring/evaluations/{filled['evaluation']}/"
    page = client.get(url, {"sort": "zone"}).content.decode()
    table = page.split('id="zone-results"', 1)[1].split("</table>", 1)[0]
    assert "sort=-zone" in table  # the sorted column's header turns the order round
    assert "第 1 / 2 页" in page
    response = client.get(url, {"sort": "-zone", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 3 and names == sorted(names, reverse=True)
