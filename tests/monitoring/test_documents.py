"""Documents are signed by the account's office and cover its scope: a city's bulletin is the city's."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document

from jiju.accounts import offices
from jiju.monitoring.models import ReportForm
from tests.monitoring.conftest import approved

pytestmark = pytest.mark.django_db


def bulletin_text(user) -> list[str]:
    client = Client()
    client.force_login(user)
    response = client.get("/monitoring/bulletin.docx?form=YB01&year=2026&month=3")
    assert response.status_code == 200
    return [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text.strip()]


@pytest.fixture
def reported(world):
    yb01 = ReportForm.objects.get(code="YB01")
    for key in ("zz", "ly"):
        approved(yb01, world.zones[key], 2026, 3, revenue=390.0, tax=39.0)
        approved(yb01, world.zones[key], 2025, 3, revenue=300.0, tax=30.0)
    return world


def test_a_city_offices_bulletin_is_titled_for_its_city_and_signed_by_its_office(reported):
    city = reported.users["city"]
    city.profile.organisation = "郑州市开发区工作领导小组办公室"
    city.profile.save()
    lines = bulletin_text(city)
    assert lines[0] == "关于2026年1—3月郑州市开发区主要经济指标完成情况的通报"
    assert "全省" not in "".join(lines) and "洛阳经济技术开发区" not in "".join(lines)
    assert "郑州市开发区工作领导小组办公室" in lines[-2:]

    province = bulletin_text(reported.users["province"])
    assert province[0] == "关于2026年1—3月全省开发区主要经济指标完成情况的通报"


def test_a_leaders_document_is_signed_by_an_office_never_by_a_role_name(reported):
    leader = reported.users["leader"]
    leader.first_name = "省领导（只读）"  # what a newcomer typed: a role name, not an office
    leader.save()
    assert offices.issuing_office(leader) == "河南省开发区工作领导小组办公室"
    lines = bulletin_text(leader)
    assert "河南省开发区工作领导小组办公室" in lines[-2:] and "只读" not in "".join(lines)
    leader.profile.organisation = "河南省人民政府办公厅"
    leader.profile.save()
    assert offices.issuing_office(leader) == "河南省人民政府办公厅"


def test_the_office_follows_the_accounts_own_name_and_a_zone_officer_covers_its_zone(world):
    officer = world.users["zone"]
    assert offices.area_name(officer) == "郑州经济技术开发区"
    assert offices.issuing_office(officer) == "郑州经济技术开发区管理委员会"
    officer.first_name = "郑州经开区管委会"
    assert offices.issuing_office(officer) == "郑州经开区管委会"
    assert offices.area_name(world.users["city2"]) == "洛阳市" and offices.area_name(world.users["admin"]) == "全省"


def test_the_header_names_the_account_once(world):
    leader = world.users["leader"]
    leader.first_name = "河南省人民政府"
    leader.save()
    client = Client()
    client.force_login(leader)
    header = client.get("/").content.decode().split("<main>", 1)[0]
    assert header.count("河南省人民政府") == 1 and header.count("领导（只读）") == 1


def test_the_dashboards_trends_are_named_in_chinese_whatever_the_form_holds(world, monthly):
    from jiju.monitoring import dashboard

    approved(monthly, world.zones["zz"], 2026, 3, revenue=5.0)  # T01 carries no 税收 (tax)
    data = dashboard.data(world.users["province"])
    names = data["trends"]["names"]
    assert set(names) >= set(data["trends"]["series"]) and names["tax"] == "税收收入"
