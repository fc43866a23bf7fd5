"""Pages as an official uses them: Chinese by default, forms that say what is wrong, exports that open."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiju.registry.models import Enterprise, Parcel, Zone
from tests.conftest import World, make_code


@pytest.fixture
def province(world) -> Client:
    client = Client()
    client.force_login(world.users["province"])
    return client


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/", "各市开发区数量"),
        ("/zones/", "开发区名称"),
        ("/enterprises/", "统一社会信用代码"),
        ("/parcels/", "用地面积(亩)"),
        ("/regions/", "河南省"),
        ("/regions/410100/", "巩义市"),
        ("/import/", "下载导入模板"),
        ("/account/", "接口令牌"),
    ],
)
def test_pages_render_in_simplified_chinese(province, path, text):
    response = province.get(path)
    assert response.status_code == 200
    assert text in response.content.decode()
    assert 'lang="zh-hans"' in response.content.decode()


def test_detail_pages_show_their_records(province, world):
    zone_page = province.get(f"/zones/{world.zones['zz'].pk}/").content.decode()
    assert "郑州经济技术开发区" in zone_page and "1,249.00" in zone_page  # 12,490,000 m² shown in 公顷
    enterprise_page = province.get(f"/enterprises/{world.enterprises['zz'].pk}/").content.decode()
    assert world.enterprises["zz"].credit_code in enterprise_page and "P-zz" in enterprise_page
    parcel_page = province.get(f"/parcels/{world.parcels['zz'].pk}/").content.decode()
    assert "30.00" in parcel_page  # 20,000 m² is 30 亩


def test_english_can_be_chosen(province):
    response = province.post("/i18n/setlang/", {"language": "en", "next": "/zones/"})
    assert response.status_code == 302
    page = province.get("/zones/").content.decode()
    assert "Export Excel" in page and "Log out" in page


def test_list_filters(province, world):
    page = province.get("/zones/", {"region": "410100"}).content.decode()
    assert "郑州经济技术开发区" in page and "巩义市产业集聚区" in page and "洛阳经济技术开发区" not in page
    page = province.get("/enterprises/", {"zone": world.zones["ly"].pk}).content.decode()
    assert world.enterprises["ly"].credit_code in page and world.enterprises["zz"].credit_code not in page
    assert "共 0 条" in province.get("/enterprises/", {"tag": "hitech"}).content.decode()


def test_export_has_chinese_headers_units_and_every_filtered_row(province):
    response = province.get("/enterprises/", {"format": "xlsx", "region": "410100"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("统一社会信用代码", "企业名称", "所在开发区")
    assert len(rows) == 3
    csv_text = province.get("/parcels/", {"format": "csv"}).getvalue()
    assert csv_text.startswith(b"\xef\xbb\xbf")
    assert "用地面积(亩)" in csv_text.decode("utf-8-sig").splitlines()[0]
    assert ",30.0," in csv_text.decode("utf-8-sig")


def test_create_enterprise_form_refuses_a_bad_credit_code_in_chinese(province, world):
    bad = make_code("410100", 42)[:-1] + "0"
    response = province.post(
        "/enterprises/new/",
        {"credit_code": bad, "name": "表单企业有限公司", "zone": world.zones["zz"].pk, "scale": "below"},
    )
    assert response.status_code == 200
    assert "校验位不符" in response.content.decode()
    assert not Enterprise.objects.filter(name="表单企业有限公司").exists()
    good = make_code("410100", 42)
    response = province.post(
        "/enterprises/new/",
        {
            "credit_code": good,
            "name": "表单企业有限公司",
            "zone": world.zones["zz"].pk,
            "scale": "below",
            "industry": "3670",
        },
    )
    assert response.status_code == 302
    created = Enterprise.objects.get(credit_code=good)
    assert created.region == world.zones["zz"].region and created.industry.code == "3670"


def test_parcel_form_takes_mu_and_stores_square_metres(province, world):
    parcel = world.parcels["zz"]
    response = province.post(
        f"/parcels/{parcel.pk}/edit/",
        {
            "number": parcel.number,
            "zone": parcel.zone_id,
            "holder": parcel.holder.credit_code,
            "area_m2": "45",
            "use": "industrial",
        },
    )
    assert response.status_code == 302
    parcel.refresh_from_db()
    assert parcel.area_m2 == pytest.approx(30_000)
    assert 'name="area_m2" value="45.0000"' in province.get(f"/parcels/{parcel.pk}/edit/").content.decode()


def test_zone_with_records_cannot_be_deleted_and_says_why(province, world):
    zone = world.zones["zz"]
    response = province.post(f"/zones/{zone.pk}/delete/", follow=True)
    assert "无法删除" in response.content.decode()
    assert Zone.objects.filter(pk=zone.pk).exists()


def test_sub_parks_and_plans_are_edited_from_the_zone(province, world):
    zone = world.zones["zz"]
    response = province.post("/subparks/new/", {"zone": zone.pk, "name": "汽车产业园", "area_m2": "120"})
    assert response.status_code == 302 and response["Location"] == f"/zones/{zone.pk}/"
    response = province.post(
        "/plans/new/",
        {
            "zone": zone.pk,
            "kind": "spatial",
            "title": "国土空间规划",
            "state": "approved",
            "approved_date": "2023-05-06",
        },
    )
    assert response.status_code == 302
    page = province.get(f"/zones/{zone.pk}/").content.decode()
    assert "汽车产业园" in page and "120.00" in page and "国土空间规划" in page and "已批复" in page


def test_tenancy_is_added_on_the_parcel(province, world):
    parcel, tenant = world.parcels["zz"], world.enterprises["gy"]
    response = province.post(
        "/tenancies/new/", {"parcel": parcel.pk, "tenant": tenant.credit_code, "floor_area_m2": "800"}
    )
    assert response.status_code == 302
    assert tenant.name in province.get(f"/parcels/{parcel.pk}/").content.decode()


def test_failed_logins_are_throttled(world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        response = client.post("/login/", {"username": "city", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/login/", {"username": "city", "password": World.password})
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/login/", {"username": "city", "password": World.password}).status_code == 302


def test_import_page_shows_every_fault_and_writes_nothing(province, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "地块编号,所在开发区,用地面积(亩)\nN-1,郑州经济技术开发区,abc\nN-2,无此开发区,3\n"
    response = province.post("/import/", {"kind": "parcel", "file": SimpleUploadedFile("地块.csv", text.encode("gbk"))})
    page = response.content.decode()
    assert "发现 2 处错误，文件未导入" in page and "不是数字" in page and "开发区不存在" in page
    assert not Parcel.objects.filter(number__in=["N-1", "N-2"]).exists()


def test_import_template_is_a_workbook_with_the_headers(province):
    response = province.get("/import/template/enterprise.xlsx")
    headers = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert headers[0] == "统一社会信用代码" and "行业名称" not in headers


def test_chinese_even_for_an_english_browser_until_the_user_switches(world):
    client = Client(headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "登录" in client.get("/login/").content.decode()


def test_money_is_entered_in_wan_yuan_and_stored_in_yuan(province, world):
    parcel = world.parcels["zz"]
    response = province.post(
        f"/parcels/{parcel.pk}/edit/",
        {
            "number": parcel.number,
            "zone": parcel.zone_id,
            "area_m2": "30",
            "use": "industrial",
            "contract_investment_yuan": "1234.5678",
        },
    )
    assert response.status_code == 302
    parcel.refresh_from_db()
    assert str(parcel.contract_investment_yuan) == "12345678.00"
    form_page = province.get(f"/parcels/{parcel.pk}/edit/").content.decode()
    assert 'value="1234.5678"' in form_page and "合同投资（万元）" in form_page
