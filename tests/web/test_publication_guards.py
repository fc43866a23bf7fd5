"""Guards on publishing and on re-uploading (issue 11, item 8): confirm first, one publication per
scope, scheme and year, no run over a year without data, no silent overwrite of a department's year."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from jiju.assessment import evaluations
from jiju.assessment.models import DepartmentUpload, EnterpriseYear, EvaluationRun


def test_publishing_asks_first_and_names_what_it_freezes_and_replaces(year_data):
    world = year_data
    city_user = world.users["city"]
    first = evaluations.do_publish(
        city_user, evaluations.execute(evaluations.new_run(city_user, "huaian_2024", 2025), city_user)
    )
    run = evaluations.execute(evaluations.new_run(city_user, "huaian_2024", 2025), city_user)
    city = world.client("city")
    page = city.get(f"/assessment/runs/{run.pk}/").content.decode()
    assert f'href="/assessment/runs/{run.pk}/publish/"' in page  # a link to the confirmation, not a one-click form
    confirm = city.get(f"/assessment/runs/{run.pk}/publish/")
    text = confirm.content.decode()
    assert confirm.status_code == 200 and "确认发布" in text
    assert "2 家企业的得分、排名和等级" in text  # 郑州经开区's and 巩义's firms
    assert f"编号 {first.pk}" in text and "已被替代" in text
    run.refresh_from_db()
    assert run.state == EvaluationRun.DRAFT  # reading the confirmation publishes nothing
    city.post(f"/assessment/runs/{run.pk}/publish/")  # a post without the confirmation does not publish either
    run.refresh_from_db()
    assert run.state == EvaluationRun.DRAFT
    city.post(f"/assessment/runs/{run.pk}/publish/", {"confirm": "1"})
    run.refresh_from_db()
    first.refresh_from_db()
    assert run.state == EvaluationRun.PUBLISHED and first.state == EvaluationRun.SUPERSEDED
    assert EvaluationRun.objects.filter(state=EvaluationRun.PUBLISHED, scheme="huaian_2024", year=2025).count() == 1
    old = city.get(f"/assessment/runs/{first.pk}/")
    assert old.status_code == 200 and "已被替代" in old.content.decode()  # still readable
    assert city.post(f"/assessment/runs/{first.pk}/delete/").status_code == 302
    assert EvaluationRun.objects.filter(pk=first.pk).exists()  # and frozen
    assert city.get(f"/assessment/runs/{first.pk}/publish/").status_code == 302  # not published again


def test_a_run_over_a_year_without_departmental_data_is_refused(year_data):
    response = year_data.client("city").post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2019}, follow=True)
    assert "2019年尚无您管辖范围内企业的部门数据" in response.content.decode()
    assert not EvaluationRun.objects.exists()


def test_a_year_with_data_only_elsewhere_is_refused_to_a_city_without_any(year_data):
    world = year_data
    EnterpriseYear.objects.filter(year=2025, enterprise__region__code__startswith="4103").delete()  # 洛阳's firm
    response = world.client("city2").post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025}, follow=True)
    assert "尚无您管辖范围内企业的部门数据" in response.content.decode()
    assert not EvaluationRun.objects.exists()


def _tax_file(world, amount: str) -> SimpleUploadedFile:
    zz, gy = world.enterprises["zz"], world.enterprises["gy"]
    text = (
        f"统一社会信用代码,纳税人名称,入库税收(万元)\n"
        f"{zz.credit_code},{zz.name},{amount}\n{gy.credit_code},{gy.name},1\n"
    )
    return SimpleUploadedFile("税务2025.csv", text.encode("gbk"))


def test_a_reupload_says_what_it_replaces_and_writes_only_when_confirmed(year_data):
    world = year_data
    EnterpriseYear.objects.filter(enterprise=world.enterprises["gy"]).update(tax=None)  # only 郑州经开区's tax is held
    city = world.client("city")
    response = city.post("/assessment/upload/", {"department": "tax", "year": 2025, "file": _tax_file(world, "12.5")})
    page = response.content.decode()
    assert "该文件将替换 1 家企业已有的 2025 年税务部门数据" in page and "确认替换并写入" in page
    zz = EnterpriseYear.objects.get(enterprise=world.enterprises["zz"], year=2025)
    assert zz.tax == 900_000  # nothing written yet
    assert not DepartmentUpload.objects.exists()
    outcome = response.context["outcome"]
    confirmed = city.post(
        "/assessment/upload/",
        {"department": "tax", "year": 2025, "pending": outcome.pending, "filename": "税务2025.csv"},
    )
    assert "上传成功" in confirmed.content.decode()
    zz.refresh_from_db()
    assert zz.tax == 125_000
    assert DepartmentUpload.objects.get().filename == "税务2025.csv"
    again = city.post("/assessment/upload/", {"department": "tax", "year": 2025, "file": _tax_file(world, "13")})
    assert "该文件将替换 2 家企业" in again.content.decode() and "税务2025.csv（" in again.content.decode()


def test_another_departments_figures_of_the_year_are_not_counted_as_replaced(year_data):
    world = year_data
    EnterpriseYear.objects.update(tax=None)  # revenue and energy stay: other departments' figures
    response = world.client("city").post(
        "/assessment/upload/", {"department": "tax", "year": 2025, "file": _tax_file(world, "12.5")}
    )
    assert "上传成功" in response.content.decode()


def test_a_confirmation_token_serves_only_its_sender(year_data):
    world = year_data
    response = world.client("city").post(
        "/assessment/upload/", {"department": "tax", "year": 2025, "file": _tax_file(world, "12.5")}
    )
    token = response.context["outcome"].pending
    other = world.client("province").post(
        "/assessment/upload/", {"department": "tax", "year": 2025, "pending": token, "filename": "x.csv"}
    )
    assert "待确认的文件已过期" in other.content.decode()
    assert EnterpriseYear.objects.get(enterprise=world.enterprises["zz"], year=2025).tax == 900_000
