"""Bulk import: all or nothing, every fault listed, any encoding, and the real 2018 catalog."""

from __future__ import annotations

import io

import pytest
import xlsxwriter

from jiju import data as reference
from jiju.changelog.models import ObjectChange
from jiju.registry.importing import do_import
from jiju.registry.models import Enterprise, Parcel, Zone
from tests.conftest import make_code


def xlsx(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def test_one_bad_row_rejects_the_whole_file_and_lists_every_fault(world):
    good = make_code("410100", 501)
    rows = [
        ["统一社会信用代码", "企业名称", "所在开发区", "行业代码", "规模", "注册资本(万元)"],
        [good, "好企业有限公司", "郑州经济技术开发区", "3670", "规上", "1,000"],
        [make_code("410100", 502)[:-1] + "0", "校验位错误有限公司", "郑州经济技术开发区", "3670", "规上", "10"],
        [make_code("410100", 503), "", "不存在开发区", "9999", "大型", "-5"],
        [good, "重复企业有限公司", "郑州经济技术开发区", "3670", "规下", "1"],
    ]
    before = (Enterprise.objects.count(), ObjectChange.objects.count())
    report = do_import(world.users["province"], "enterprise", xlsx(rows), "企业.xlsx")
    assert not report.ok
    assert (Enterprise.objects.count(), ObjectChange.objects.count()) == before
    faults = {(e.row, e.column): (e.value, e.reason) for e in report.errors}
    assert faults[(3, "统一社会信用代码")][1].startswith("校验位不符")
    assert faults[(4, "企业名称")] == ("", "必填项为空")
    assert faults[(4, "规模")][1].startswith("应为以下之一")
    assert faults[(4, "注册资本(万元)")] == ("-5", "不能为负数")
    assert faults[(5, "统一社会信用代码")] == (good, "与第2行的统一社会信用代码重复")


def test_faults_found_only_after_resolving_keys_are_listed_too(world):
    rows = [
        ["统一社会信用代码", "企业名称", "所在开发区", "行业代码"],
        [make_code("410100", 601), "甲有限公司", "不存在开发区", ""],
        [make_code("410100", 602), "乙有限公司", "郑州经济技术开发区", "9999"],
    ]
    report = do_import(world.users["province"], "enterprise", xlsx(rows), "企业.xlsx")
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "所在开发区", "开发区不存在：请填写已登记的开发区名称或代码"),
        (3, "行业代码", "行业代码不在 GB/T 4754-2017 中"),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_saved_by_excel_imports_in_any_encoding(world, encoding):
    code = make_code("410181", 700)
    text = (
        "统一社会信用代码,企业名称,所在开发区,行业代码,投产时间,标签\r\n"
        f"{code},巩义铝业有限公司,巩义市产业集聚区,3216,2018年6月,高新技术企业、专精特新\r\n"
    )
    report = do_import(world.users["city"], "enterprise", text.encode(encoding), "企业.csv")
    assert report.ok, report.errors
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.name == "巩义铝业有限公司"
    assert enterprise.region.code == "410181"
    assert str(enterprise.production_start) == "2018-06-01"
    assert sorted(t.name for t in enterprise.tags.all()) == ["专精特新", "高新技术企业"]


def test_existing_records_are_updated_by_their_key(world):
    target = world.enterprises["zz"]
    text = f"统一社会信用代码,企业名称,规模\n{target.credit_code},新名称有限公司,规下\n"
    report = do_import(world.users["zone"], "enterprise", text.encode(), "a.csv")
    assert (report.ok, report.created, report.updated) == (True, 0, 1)
    target.refresh_from_db()
    assert (target.name, target.scale) == ("新名称有限公司", "below")


def test_parcels_convert_units_from_the_header(world):
    holder = world.enterprises["zz"]
    rows = [
        ["宗地编号", "所在开发区", "土地使用权人信用代码", "用地面积(公顷)", "合同投资(亿元)", "约定动工日期"],
        ["ZZ-2025-001", "郑州经济技术开发区", holder.credit_code, 2, 1.5, "2025-03-01"],
    ]
    report = do_import(world.users["city"], "parcel", xlsx(rows), "地块.xlsx")
    assert report.ok, report.errors
    parcel = Parcel.objects.get(number="ZZ-2025-001")
    assert parcel.area_m2 == pytest.approx(20_000)
    assert parcel.area_mu == pytest.approx(30)
    assert int(parcel.contract_investment_yuan) == 150_000_000
    assert parcel.holder == holder


def test_exported_file_imports_back_unchanged(world):
    from django.test import Client

    client = Client()
    client.force_login(world.users["province"])
    exported = client.get("/parcels/", {"format": "xlsx"}).getvalue()
    report = do_import(world.users["province"], "parcel", exported, "地块.xlsx")
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 3)
    assert Parcel.objects.get(number="P-zz").area_m2 == pytest.approx(20_000)


def test_unreadable_file_is_reported_not_raised(world):
    report = do_import(world.users["province"], "zone", b"not a workbook", "坏文件.xlsx")
    assert not report.ok and report.errors[0].reason.startswith("无法读取 Excel 文件")


@pytest.mark.django_db
def test_the_whole_2018_catalog_imports_through_the_ordinary_zone_import():
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("catalog", password="x")
    data = reference.path("zones2018.csv").read_bytes()
    report = do_import(admin, "zone", data, "zones2018.csv")
    assert report.ok, report.errors[:5]
    assert report.created == 2543 == Zone.objects.count()
    # One catalog code stands for two zones: both are kept, and the report says so.
    assert Zone.objects.filter(code="S377018").count() == 2
    assert any("S377018" in w and "山东淄川经济开发区" in w and "山东临淄经济开发区" in w for w in report.warnings)
    # The two rows with two approval dates keep both in a note and the first as the date.
    songjiang = Zone.objects.get(name="上海松江出口加工区及B区")
    assert str(songjiang.approval_date) == "2000-04-01" and songjiang.approval_note == "2000.04/2002.12"
    zhengzhou = Zone.objects.get(code="G411031")
    assert zhengzhou.region.code == "410100" and zhengzhou.level == "national"
    assert zhengzhou.approved_area_ha == pytest.approx(1249.0)
    assert {i.code for i in zhengzhou.industries.all()} >= {"36"}
    placed = Zone.objects.exclude(region__level=1).count()
    assert placed / 2543 > 0.9, placed  # names place nine in ten zones below the province
    # Importing the same file again updates in place and creates nothing.
    again = do_import(admin, "zone", data, "zones2018.csv")
    assert (again.ok, again.created, again.updated) == (True, 0, 2543)


@pytest.mark.parametrize(("slug", "kind"), [("zones", "zone"), ("enterprises", "enterprise"), ("parcels", "parcel")])
def test_reimporting_an_export_writes_no_changelog_entry(world, slug, kind):
    """A value that did not change writes nothing: money stored as 77390000.00 and read back as
    77390000.0 is the same amount."""
    from decimal import Decimal

    from django.test import Client

    Enterprise.objects.filter(pk=world.enterprises["zz"].pk).update(registered_capital_yuan=Decimal("77390000.00"))
    Parcel.objects.filter(pk=world.parcels["zz"].pk).update(contract_investment_yuan=Decimal("150000000.50"))
    client = Client()
    client.force_login(world.users["city"])
    exported = client.get(f"/{slug}/", {"format": "xlsx"}).getvalue()
    before = ObjectChange.objects.count()
    report = do_import(world.users["city"], kind, exported, "导出.xlsx")
    assert report.ok, report.errors
    assert report.created == 0 and report.updated >= 1
    assert ObjectChange.objects.count() == before
