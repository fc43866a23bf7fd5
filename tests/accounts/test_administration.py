"""Account administration: who creates which accounts, within which scope, and what the changelog keeps."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from jiju.accounts import actions
from jiju.accounts.models import Profile
from jiju.changelog.models import ObjectChange
from tests.conftest import World

NEW_PASSWORD = "kaifaqu-2026"


def new_account(client: Client, **fields):
    data = {"username": "newcomer", "name": "新园区管理员", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post("/accounts/users/new/", data | fields)


def test_a_city_office_creates_a_zone_officer_of_its_own_zone(world):
    city = world.client("city")
    response = new_account(city, username="  ZZ-Officer ", role="zone_officer", zones=[world.zones["zz"].pk])
    assert response.status_code == 302, response.content.decode()[-3000:]
    user = get_user_model().objects.get(username="zz-officer")  # stored normalised
    assert user.profile.role == "zone_officer" and list(user.profile.zones.all()) == [world.zones["zz"]]
    assert user.check_password(NEW_PASSWORD)
    assert Client().login(username="zz-officer", password=NEW_PASSWORD)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"role": "zone_officer", "zones": "ly"}, "zones", "所选开发区超出您的管辖范围"),  # 洛阳's zone: not on offer
        ({"role": "city_office", "zones": "zz"}, "role", "选择一个有效的选项"),  # a role beside its own
        ({"role": "province_admin", "zones": "zz"}, "role", "选择一个有效的选项"),  # a role above its own
        ({"role": "leader", "zones": "zz"}, "role", "选择一个有效的选项"),
        ({"role": "zone_officer"}, "zones", "园区管理员须指定所管辖的开发区"),
    ],
)
def test_a_city_office_grants_no_role_above_a_zone_officer_and_no_zone_outside_its_city(world, fields, field, message):
    city = world.client("city")
    if "zones" in fields:
        fields = fields | {"zones": [world.zones[fields["zones"]].pk]}
    response = new_account(city, **fields)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_the_action_refuses_what_the_form_does_not_offer(world):
    """Every path checks the grant: the action refuses a role and a scope the manager does not hold."""
    from django.core.exceptions import ValidationError

    city = world.users["city"]
    beyond = actions.Grant("zone_officer", zones=(world.zones["ly"],))
    with pytest.raises(ValidationError) as raised:
        actions.do_create_account(city, "sneaky", "越权", NEW_PASSWORD, beyond)
    assert "超出您的管辖范围：洛阳经济技术开发区" in raised.value.message_dict["zones"]
    above = actions.Grant("city_office", regions=(world.zones["zz"].region,))
    with pytest.raises(ValidationError) as raised:
        actions.do_create_account(city, "sneaky", "越权", NEW_PASSWORD, above)
    assert raised.value.message_dict["role"] == ["您无权授予该角色"]
    assert not get_user_model().objects.filter(username="sneaky").exists()


def test_a_city_office_sees_only_the_accounts_of_its_own_zones(world):
    page = world.client("city").get("/accounts/users/").content.decode()
    assert ">zone<" in page
    for other in ("zone2", "city2", "province", "provider", "leader", "admin"):
        assert f">{other}<" not in page
    assert list(Profile.objects.visible_to(world.users["city"]).values_list("user__username", flat=True)) == ["zone"]


@pytest.mark.parametrize("other", ["zone2", "city2", "province", "leader"])
def test_accounts_out_of_scope_answer_404(world, other):
    city = world.client("city")
    pk = world.users[other].pk
    assert city.get(f"/accounts/users/{pk}/").status_code == 404
    assert city.post(f"/accounts/users/{pk}/active/", {"active": "0"}).status_code == 404
    assert city.post(f"/accounts/users/{pk}/password/", {"new_password1": "x", "new_password2": "x"}).status_code == 404
    assert get_user_model().objects.get(pk=pk).is_active


def test_an_account_reaching_outside_the_scope_belongs_to_a_wider_office(world):
    """A zone officer of 郑州's and 洛阳's zones is managed by the province, by neither city."""
    both = world.users["zone"].profile
    both.zones.add(world.zones["ly"])
    assert not Profile.objects.visible_to(world.users["city"]).exists()
    assert not Profile.objects.visible_to(world.users["city2"]).filter(pk=both.pk).exists()
    assert Profile.objects.visible_to(world.users["province"]).filter(pk=both.pk).exists()


def test_the_province_manages_cities_departments_leaders_and_zones_but_not_its_peers(world):
    visible = set(Profile.objects.visible_to(world.users["province"]).values_list("user__username", flat=True))
    assert visible == {"city", "city2", "zone", "zone2", "provider", "leader"}
    province = world.client("province")
    response = new_account(
        province, username="dept", role="data_provider", regions=[world.zones["zz"].region.parent_id]
    )
    assert response.status_code == 200 and "数据报送部门账号须指定报送部门" in response.content.decode()
    henan = world.users["province"].profile.regions.get()
    response = new_account(province, username="dept", role="data_provider", regions=[henan.pk], department="tax")
    assert response.status_code == 302
    assert new_account(province, username="peer", role="province_admin", regions=[henan.pk]).status_code == 200
    assert not get_user_model().objects.filter(username="peer").exists()
    assert world.client("zone").get("/accounts/users/").status_code == 403
    assert world.client("leader").get("/accounts/users/").status_code == 403


def test_edit_deactivate_reset_and_every_change_is_logged_without_the_hash(world):
    city = world.client("city")
    officer = world.users["zone"]
    zz = world.zones["zz"].pk
    edit = {"name": "郑州经开区管委会", "role": "zone_officer", "zones": [zz]}
    response = city.post(f"/accounts/users/{officer.pk}/", edit)
    assert response.status_code == 302
    assert city.post(f"/accounts/users/{officer.pk}/active/", {"active": "0"}).status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active and not Client().login(username="zone", password=World.password)
    response = city.post(
        f"/accounts/users/{officer.pk}/password/", {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert "这个密码太常见了" in response.content.decode() and "密码只包含数字" in response.content.decode()
    city.post(f"/accounts/users/{officer.pk}/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)

    entries = list(ObjectChange.for_object(officer).order_by("id"))
    assert [(e.username, e.source) for e in entries] == [("city", "web")] * 3
    assert entries[0].changed_fields() == [("first_name", "", "郑州经开区管委会")]
    assert entries[1].changed_fields() == [("is_active", True, False)]
    assert entries[2].after == {"password": "密码已重置"}
    assert not ObjectChange.objects.filter(after__icontains=officer.password[-12:]).exists()
    page = city.get(f"/accounts/users/{officer.pk}/").content.decode()
    assert "密码已重置" in page and "郑州经开区管委会" in page


def test_the_list_sorts_exports_and_shows_the_last_login(world):
    Client().login(username="city2", password=World.password)
    province = world.client("province")
    page = province.get("/accounts/users/?sort=-last_login").content.decode()
    assert "最近登录" in page
    rows = page.split("<tr>")[2:]
    assert ">city2<" in rows[0]  # the one that has logged in comes first
    page = province.get("/accounts/users/?sort=username").content.decode()
    order = [name for name in ("city", "city2", "leader", "provider", "zone", "zone2") if f">{name}<" in page]
    assert [page.index(f">{n}<") for n in order] == sorted(page.index(f">{n}<") for n in order)

    response = province.get("/accounts/users/?sort=username&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("用户名", "姓名或单位", "角色", "管辖范围", "报送部门", "状态", "最近登录", "创建时间")
    assert [r[0] for r in rows[1:]] == ["city", "city2", "leader", "provider", "zone", "zone2"]
    city2 = next(r for r in rows if r[0] == "city2")
    assert city2[2] == "市级开发区办" and city2[3] == "洛阳市" and city2[5] == "启用" and city2[6]
