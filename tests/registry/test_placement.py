"""Where an update puts a record is checked against the user's scope on every path, and a key held
outside the scope is refused without saying that it exists (issue 9)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from jiju.registry import actions
from jiju.registry.importing import do_import
from jiju.registry.models import Enterprise, Region
from tests.conftest import make_code

UNREGISTRABLE = "该统一社会信用代码无法登记，请联系上级开发区办核实"


def zone_form(zone, region: Region) -> dict:
    return {"name": zone.name, "code": zone.code, "level": zone.level, "kind": zone.kind, "region": region.pk}


@pytest.mark.parametrize("code", ["110101", "410300", "410181"])
def test_the_action_refuses_a_zone_officer_moving_its_zone(world, code):
    zone = world.zones["zz"]
    with pytest.raises(PermissionDenied, match="管辖范围"):
        actions.do_update(world.users["zone"], zone, {"region": Region.objects.get(code=code)})
    zone.refresh_from_db()
    assert zone.region.code == "410100"


def test_the_action_lets_the_city_move_a_zone_within_the_city(world):
    zone = world.zones["zz"]
    actions.do_update(world.users["city"], zone, {"region": Region.objects.get(code="410181")})
    assert Region.objects.get(zones=zone).code == "410181"
    with pytest.raises(PermissionDenied):
        actions.do_update(world.users["city"], zone, {"region": Region.objects.get(code="410300")})


def test_the_page_refuses_moving_a_zone_out_of_scope(world):
    zone = world.zones["zz"]
    for role in ("zone", "city"):
        response = world.client(role).post(
            f"/zones/{zone.pk}/edit/", zone_form(zone, Region.objects.get(code="410300"))
        )
        assert response.status_code == 200 and "errorlist" in response.content.decode()
        zone.refresh_from_db()
        assert zone.region.code == "410100"


def test_the_import_refuses_moving_a_zone_out_of_scope(world):
    zone = world.zones["zz"]
    text = f"代码,开发区名称,所在区划代码,级别,开发区类型\n{zone.code},{zone.name},410300,国家级,经济技术开发区\n"
    report = do_import(world.users["city"], "zone", text.encode(), "开发区.csv")
    assert not report.ok
    assert [(e.row, "管辖范围" in e.reason) for e in report.errors] == [(2, True)]
    zone.refresh_from_db()
    assert zone.region.code == "410100"


def test_the_page_does_not_reveal_a_credit_code_held_elsewhere(world):
    elsewhere = world.enterprises["ly"]
    form = {
        "credit_code": elsewhere.credit_code,
        "name": "探测有限公司",
        "zone": world.zones["zz"].pk,
        "scale": "below",
    }
    page = world.client("zone").post("/enterprises/new/", form).content.decode()
    assert UNREGISTRABLE in page and "已存在" not in page
    page = world.client("province").post("/enterprises/new/", form).content.decode()
    assert "已存在" in page
    assert Enterprise.objects.filter(credit_code=elsewhere.credit_code).count() == 1


def test_the_import_does_not_reveal_a_credit_code_held_elsewhere(world):
    elsewhere = world.enterprises["ly"]
    fresh = make_code("410100", 901)
    text = (
        "统一社会信用代码,企业名称,所在开发区\n"
        f"{elsewhere.credit_code},探测有限公司,郑州经济技术开发区\n"
        f"{fresh},新企业有限公司,郑州经济技术开发区\n"
    )
    report = do_import(world.users["zone"], "enterprise", text.encode(), "企业.csv")
    assert [(e.row, e.column, e.reason) for e in report.errors] == [(2, "统一社会信用代码", UNREGISTRABLE)]
    assert not Enterprise.objects.filter(credit_code=fresh).exists()
