"""Departmental uploads in the platform: scoped, all or nothing, red-marked on failure, remembered mappings."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from jiju.assessment.models import ColumnMapping, DepartmentUpload, EnterpriseYear


@pytest.fixture
def tax_clerk(world):
    """A tax bureau account of Henan (data provider)."""
    profile = world.users["provider"].profile
    profile.department = "tax"
    profile.save()
    client = Client()
    client.force_login(world.users["provider"])
    return client


def post(client, text: str, department: str = "tax", year: int = 2025, encoding: str = "gbk", **extra):
    upload = SimpleUploadedFile("税务.csv", text.encode(encoding))
    return client.post("/assessment/upload/", {"department": department, "year": year, "file": upload, **extra})


def test_a_clean_file_is_stored_in_yuan_for_the_year(world, tax_clerk):
    zz, gy = world.enterprises["zz"], world.enterprises["gy"]
    text = (
        f"统一社会信用代码,纳税人名称,入库税收(万元)\n{zz.credit_code},{zz.name},12.5\n{gy.credit_code},{gy.name},3\n"
    )
    response = post(tax_clerk, text)
    assert response.status_code == 200 and "上传成功" in response.content.decode()
    assert EnterpriseYear.objects.get(enterprise=zz, year=2025).tax == 125_000.0
    assert DepartmentUpload.objects.get().stored == 2
    from jiju.changelog.models import ObjectChange

    assert ObjectChange.objects.filter(content_type__model="enterpriseyear", source="import").count() == 2


def test_a_bad_cell_rejects_the_file_and_comes_back_red(world, tax_clerk):
    zz = world.enterprises["zz"]
    bad = zz.credit_code[:-1] + ("0" if zz.credit_code[-1] != "0" else "1")
    text = f"统一社会信用代码,纳税人名称,入库税收(元)\n{zz.credit_code},甲,100\n{bad},乙,200\n"
    response = post(tax_clerk, text)
    page = response.content.decode()
    assert "文件未写入" in page and "校验位不符" in page
    assert not EnterpriseYear.objects.exists() and not DepartmentUpload.objects.exists()
    token = response.context["outcome"].marked
    workbook = tax_clerk.get(f"/assessment/marked/{token}/")
    assert workbook.status_code == 200, workbook.content[:300]
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert "校验位不符" in sheet["A3"].comment.text and sheet["A2"].comment is None
    other = Client()
    other.force_login(world.users["province"])
    assert other.get(f"/assessment/marked/{token}/").status_code == 404  # only the sender gets it back


def test_out_of_scope_and_unknown_firms_are_unmatched_without_saying_which_exists(world, tax_clerk):
    outside = world.enterprises["sjz"]  # Hebei: outside the Henan tax bureau's scope
    zz = world.enterprises["zz"]
    text = f"统一社会信用代码,纳税人名称,入库税收(元)\n{zz.credit_code},甲,100\n{outside.credit_code},乙,200\n"
    response = post(tax_clerk, text)
    assert "未在您的管辖范围内找到该统一社会信用代码的企业" in response.content.decode()
    assert not EnterpriseYear.objects.exists()
    response = post(tax_clerk, text, ignore_unmatched="1")
    assert "上传成功" in response.content.decode()
    assert list(EnterpriseYear.objects.values_list("enterprise__credit_code", flat=True)) == [zz.credit_code]


def test_a_provider_uploads_only_its_own_department_and_reads_nothing(world, tax_clerk):
    assert tax_clerk.get("/assessment/upload/?department=power").status_code == 403
    assert tax_clerk.get("/zones/").status_code == 403
    assert tax_clerk.get("/").status_code == 302  # sent to its upload page
    leader = Client()
    leader.force_login(world.users["leader"])
    assert leader.get("/assessment/upload/").status_code == 403


def test_a_remembered_mapping_reads_the_next_file(world, tax_clerk):
    zz = world.enterprises["zz"]
    text = f"统一社会信用代码,纳税人名称,本年实缴(元)\n{zz.credit_code},甲,100\n"
    assert "未找到税务部门的数据列" in post(tax_clerk, text).content.decode()
    tax_clerk.post("/assessment/mapping/", {"department": "tax", "header": "本年实缴(元)", "field": "tax"})
    assert ColumnMapping.objects.get().field == "tax"
    assert "上传成功" in post(tax_clerk, text).content.decode()
    assert EnterpriseYear.objects.get().tax == 100.0


def test_a_second_upload_updates_the_year(world, tax_clerk):
    zz = world.enterprises["zz"]
    post(tax_clerk, f"统一社会信用代码,入库税收(元)\n{zz.credit_code},100\n")
    second = post(tax_clerk, f"统一社会信用代码,入库税收(元)\n{zz.credit_code},150\n", encoding="utf-8-sig")
    assert EnterpriseYear.objects.get(enterprise=zz, year=2025).tax == 100.0  # it asks before replacing
    token = second.context["outcome"].pending
    tax_clerk.post("/assessment/upload/", {"department": "tax", "year": 2025, "pending": token, "filename": "税务.csv"})
    assert EnterpriseYear.objects.get(enterprise=zz, year=2025).tax == 150.0
