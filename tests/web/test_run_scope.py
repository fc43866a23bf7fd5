"""Runs and evaluations carry the scope they were made for: holes that let one office touch another's."""

from __future__ import annotations

import pytest

from jiju.assessment import evaluations
from jiju.assessment.models import EvaluationRun
from jiju.changelog.models import ObjectChange
from jiju.monitoring.models import ZoneEvaluation
from jiju.platform import runs


def test_another_city_neither_sees_nor_publishes_a_citys_run(year_data):
    world = year_data
    run = evaluations.execute(evaluations.new_run(world.users["city"], "huaian_2024", 2025), world.users["city"])
    assert run.region.code == "410100"
    other = world.client("city2")
    assert other.get(f"/assessment/runs/{run.pk}/").status_code == 404
    assert other.post(f"/assessment/runs/{run.pk}/publish/").status_code == 404
    assert f"/assessment/runs/{run.pk}/" not in other.get("/assessment/runs/").content.decode()
    run.refresh_from_db()
    assert run.state == EvaluationRun.DRAFT


def test_a_zone_officer_sees_its_own_firms_grade_counts_of_a_city_run(year_data):
    world = year_data
    run = evaluations.execute(evaluations.new_run(world.users["city"], "huaian_2024", 2025), world.users["city"])
    assert sum(run.grade_counts.values()) == 2  # 郑州经开区 and 巩义
    counts = evaluations.grade_counts(world.users["zone"], [run])[run.pk]
    assert sum(counts.values()) == 1  # only 郑州经开区's firm


def test_publishing_replaces_only_the_same_scopes_publication_and_is_logged(year_data):
    world = year_data
    province = evaluations.execute(
        evaluations.new_run(world.users["province"], "huaian_2024", 2025), world.users["province"]
    )
    evaluations.do_publish(world.users["province"], province)
    city = evaluations.execute(evaluations.new_run(world.users["city"], "huaian_2024", 2025), world.users["city"])
    evaluations.do_publish(world.users["city"], city)
    province.refresh_from_db()
    assert province.state == EvaluationRun.PUBLISHED  # a city's publication leaves the province's alone
    again = evaluations.execute(evaluations.new_run(world.users["city"], "huaian_2024", 2025), world.users["city"])
    evaluations.do_publish(world.users["city"], again)
    city.refresh_from_db()
    assert city.state == EvaluationRun.SUPERSEDED  # readable, no longer the city's publication
    assert ObjectChange.for_object(city).first().after["state"] == runs.SUPERSEDED


@pytest.mark.parametrize("year", ["abc", "0", "1900", "99999", ""])
def test_a_bad_year_gets_a_chinese_message_and_makes_no_run(year_data, year):
    response = year_data.client("city").post("/assessment/runs/", {"scheme": "huaian_2024", "year": year}, follow=True)
    assert response.status_code == 200
    assert "四位年份" in response.content.decode()
    assert not EvaluationRun.objects.exists()
    assert not ZoneEvaluation.objects.exists()


def test_a_citys_notice_of_the_provinces_run_counts_only_its_own_firms(year_data):
    """The notice said "本次共评价企业3家" to 洛阳's office: the province's counts, 郑州's firms among them."""
    import io

    from docx import Document

    world = year_data
    province = world.users["province"]
    run = evaluations.execute(evaluations.new_run(province, "huaian_2024", 2025), province)
    assert sum(run.grade_counts.values()) == 3  # 郑州经开区, 巩义 and 洛阳
    body = world.client("city2").get(f"/assessment/runs/{run.pk}/notice.docx").content
    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "本次共评价企业1家" in text, text
