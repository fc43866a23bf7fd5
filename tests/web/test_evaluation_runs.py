"""Evaluation runs in the platform: the year's frame, scoped results, review and publication, score cards."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from jiju.assessment import frames
from jiju.assessment.models import EnterpriseYear, EvaluationResult, EvaluationRun
from jiju.evaluation.scheme import load, shipped
from jiju.registry.models import Enterprise, Parcel, Tenancy


def test_frame_converts_units_and_gives_tenants_their_land_share(year_data):
    world = year_data
    parcel = world.parcels["zz"]
    parcel.floor_area_m2 = 10_000
    parcel.save()
    Tenancy.objects.create(parcel=parcel, tenant=world.enterprises["gy"], floor_area_m2=2_500)
    frame = frames.build(Enterprise.objects.all(), 2025, load(shipped()["huaian_2024"]))
    rows = {r["credit_code"]: r for r in frame.iter_rows(named=True)}
    zz, gy = rows[world.enterprises["zz"].credit_code], rows[world.enterprises["gy"].credit_code]
    assert zz["tax"] == pytest.approx(90.0)  # 万元
    assert zz["land_mu"] == pytest.approx(30 - 7.5)  # a quarter of the floor is leased out
    assert gy["land_mu"] == pytest.approx(30 + 7.5) and gy["is_tenant"]
    assert zz["years_in_production"] == 10


def test_a_city_runs_reviews_and_publishes_an_evaluation_of_its_firms(year_data):
    world = year_data
    city = world.client("city")
    response = city.post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025})
    run = EvaluationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/assessment/runs/{run.pk}/"
    results = {r.enterprise.credit_code: r for r in EvaluationResult.objects.filter(run=run)}
    assert set(results) == {world.enterprises["zz"].credit_code, world.enterprises["gy"].credit_code}
    zz = results[world.enterprises["zz"].credit_code]
    # 亩均税收 30 万元/亩 against twice the average (2 × 20): 0.75 of 45 points, and so on.
    assert zz.score == pytest.approx(0.75 * 45 + 0.75 * 35 + 0.75 * 20)
    assert [line["code"] for line in zz.breakdown] == ["tax_per_mu", "sales_per_mu", "tax_per_energy"]
    page = city.get(f"/assessment/runs/{run.pk}/").content.decode()
    assert world.enterprises["zz"].name in page and "待审核" in page
    assert world.enterprises["zz"].name in city.get(f"/assessment/runs/{run.pk}/", {"industry": "36"}).content.decode()
    assert (
        world.enterprises["zz"].name not in city.get(f"/assessment/runs/{run.pk}/", {"industry": "13"}).content.decode()
    )
    card = city.get(f"/assessment/runs/{run.pk}/results/{zz.pk}/").content.decode()
    assert "亩均税收" in card and "各指标得分" in card
    book = load_workbook(io.BytesIO(city.get(f"/assessment/runs/{run.pk}/", {"format": "xlsx"}).content))
    assert book.sheetnames == ["全部名单", "规上企业", *(f"{g}类企业" for g in sorted(run.grade_counts))]
    sheet = book["全部名单"]
    assert next(sheet.iter_rows(values_only=True))[:3] == ("排名", "统一社会信用代码", "企业名称")
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [1, 2]  # ranked
    assert world.client("zone").post(f"/assessment/runs/{run.pk}/publish/").status_code == 302
    assert EvaluationRun.objects.get().state == EvaluationRun.DRAFT  # a zone officer cannot publish
    city.post(f"/assessment/runs/{run.pk}/publish/", {"confirm": "1"})
    assert EvaluationRun.objects.get().state == EvaluationRun.PUBLISHED
    city.post(f"/assessment/runs/{run.pk}/delete/")
    assert EvaluationRun.objects.filter(pk=run.pk).exists()  # published runs are frozen


def test_results_are_scoped_like_everything_else(year_data):
    world = year_data
    world.client("province").post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025})
    run = EvaluationRun.objects.get()
    ly = EvaluationResult.objects.get(run=run, enterprise=world.enterprises["ly"])
    zone_officer = world.client("zone")
    assert zone_officer.get(f"/assessment/runs/{run.pk}/results/{ly.pk}/").status_code == 404
    assert world.enterprises["ly"].name not in zone_officer.get(f"/assessment/runs/{run.pk}/").content.decode()
    assert world.client("province").get(f"/assessment/runs/{run.pk}/results/{ly.pk}/").status_code == 200
    assert world.client("provider").get("/assessment/runs/").status_code == 403
    leader = world.client("leader")
    assert leader.get(f"/assessment/runs/{run.pk}/").status_code == 200
    assert leader.post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025}).status_code == 200
    assert EvaluationRun.objects.count() == 1  # a leader reads, it does not run


def test_firms_without_data_are_class_t_with_the_reason(year_data):
    world = year_data
    EnterpriseYear.objects.filter(enterprise=world.enterprises["gy"]).delete()
    Parcel.objects.filter(holder=world.enterprises["zz"]).delete()
    world.client("city").post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025})
    results = {r.enterprise_id: r for r in EvaluationResult.objects.all()}
    assert results[world.enterprises["gy"].pk].grade == "T"
    assert results[world.enterprises["gy"].pk].excluded_reason == "缺少亩均税收数据"
    assert results[world.enterprises["zz"].pk].grade == "T"  # no land: 亩均 values cannot be computed


def test_summary_compares_zones_shows_grade_moves_and_the_policy_table(year_data):
    world = year_data
    for key in ("zz", "gy"):
        EnterpriseYear.objects.create(
            enterprise=world.enterprises[key], year=2024, tax=100_000, revenue=1_000_000, energy_tce=10.0
        )
    city = world.client("city")
    city.post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2024})
    last = EvaluationRun.objects.get(year=2024)
    city.post(f"/assessment/runs/{last.pk}/publish/", {"confirm": "1"})
    city.post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025})
    run = EvaluationRun.objects.get(year=2025)
    response = city.get(f"/assessment/runs/{run.pk}/summary/")
    assert response.status_code == 200
    zones = {z["zone"]: z for z in response.context["zones"]}
    # 郑州经开区: 90 万元 tax on 30 亩; 巩义: 30 万元 on 30 亩.
    assert zones["郑州经济技术开发区"]["tax_per_mu"] == pytest.approx(3.0)
    assert zones["郑州经济技术开发区"]["rank"] == 1 and zones["巩义市产业集聚区"]["rank"] == 2
    _, rows = response.context["migration"]
    assert sum(sum(counts) for _, counts in rows) == 2  # both firms graded in both years
    page = response.content.decode()
    assert "差别化政策" in page and "0.30" in page and "+30%" in page


def test_notice_is_a_word_document_in_the_official_format(year_data):
    from docx import Document
    from docx.shared import Pt

    world = year_data
    city = world.client("city")
    city.post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025})
    run = EvaluationRun.objects.get()
    response = city.get(f"/assessment/runs/{run.pk}/notice.docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    mm = lambda emu: round(emu / 36_000, 1)  # noqa: E731 - lengths are EMU; Word stores twentieths of a point
    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert (mm(section.top_margin), mm(section.left_margin)) == (37.0, 28.0)
    assert mm(section.page_width - section.left_margin - section.right_margin) == 156.0
    assert mm(section.page_height - section.top_margin - section.bottom_margin) == 225.0
    title, body = document.paragraphs[0], document.paragraphs[3]
    assert title.text == "关于2025年度郑州市工业企业亩均效益综合评价结果的通报（审核稿）"  # the city's notice
    assert title.runs[0].font.size == Pt(22) and "方正小标宋简体" in title.runs[0]._element.xml
    assert body.runs[0].font.size == Pt(16) and "仿宋_GB2312" in body.runs[0]._element.xml
    heading = next(p for p in document.paragraphs if p.text == "一、评价总体情况")
    assert "黑体" in heading.runs[0]._element.xml
    assert "共评价企业2家" in "".join(p.text for p in document.paragraphs)
    assert "郑州经济技术开发区" in document.tables[0]._element.xml
    footer = section.footer._element.xml
    assert "PAGE" in footer and "— " in footer


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker closes its connection
def test_a_run_waits_in_the_database_queue_until_the_worker_takes_it(year_data, settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    city = year_data.client("city")
    response = city.post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025})
    run = EvaluationRun.objects.get()
    assert run.state == EvaluationRun.RUNNING and not EvaluationResult.objects.exists()
    page = city.get(response["Location"]).content.decode()
    assert "排队等待后台任务" in page and "location.reload" in page  # no worker has taken it yet
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    run.refresh_from_db()
    assert (run.state, run.progress) == (EvaluationRun.DRAFT, 100)
    assert EvaluationResult.objects.filter(run=run).count() == 2
    assert "正在评价" not in city.get(response["Location"]).content.decode()
