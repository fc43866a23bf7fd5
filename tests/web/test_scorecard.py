"""The score card and the run's page: what a firm must do to move up, and the indicator cards beside the figures."""

from __future__ import annotations

import pytest

from jiju.assessment.models import EnterpriseYear, EvaluationResult, EvaluationRun


@pytest.fixture
def province_run(year_data):
    """淮安 2024 over the province's three firms: 亩均税收 3, 1, 2 万元/亩 (zz, gy, ly) against twice the pooled
    figure 2 × 180 / 90 = 4, every indicator alike, so the scores are 75, 25, 50: zz B, ly C, gy D."""
    year_data.client("province").post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025})
    return EvaluationRun.objects.get()


def line(result: EvaluationResult, code: str) -> dict:
    return next(x for x in result.breakdown if x["code"] == code)


def test_each_indicator_alone_to_the_next_grade(year_data, province_run):
    world, run = year_data, province_run
    ly = EvaluationResult.objects.get(run=run, enterprise=world.enterprises["ly"])
    assert (ly.grade, ly.next_grade, ly.gap_to_next_grade) == ("C", "B", pytest.approx(25))
    # 亩均税收 alone: 0.5 + 25 / 45 = 19/18 of twice the pooled figure, which moves with ly's own tax a:
    # a / 30 = 19/18 × 2 × (120 + a) / 90 gives a = 285, 9.5 万元/亩: +7.5.
    assert line(ly, "tax_per_mu")["to_next"] == pytest.approx(7.5)
    card = world.client("zone2").get(f"/assessment/runs/{run.pk}/results/{ly.pk}/").content.decode()
    assert "单项升至 B 类所需" in card and "+7.50" in card
    zz = EvaluationResult.objects.get(run=run, enterprise=world.enterprises["zz"])
    assert (
        zz.gap_to_next_grade is None
        and "单项升至" not in world.client("zone").get(f"/assessment/runs/{run.pk}/results/{zz.pk}/").content.decode()
    )  # no A firm: no bar to reach


def test_a_zone_lists_its_firms_by_grade_with_the_largest_gaps_and_only_its_own(year_data, province_run):
    world, run = year_data, province_run
    page = world.client("province").get(f"/assessment/runs/{run.pk}/", {"order": "gap"}).content.decode()
    names = [world.enterprises[k].name for k in ("zz", "ly", "gy")]  # B, C, D
    assert [page.index(n) for n in names] == sorted(page.index(n) for n in names)
    own = world.client("zone2").get(f"/assessment/runs/{run.pk}/", {"order": "gap"}).content.decode()
    assert world.enterprises["ly"].name in own
    assert world.enterprises["gy"].name not in own and world.enterprises["zz"].name not in own


def test_the_grade_with_last_years_figures(year_data):
    world = year_data
    # ly's 2024: 120 万元 of tax (4 万元/亩) on this year's field: twice the pooled figure is 2 × 240 / 90,
    # so 0.75 on every indicator, 75: the lowest B's score (zz), a B. This year it is a C.
    EnterpriseYear.objects.create(
        enterprise=world.enterprises["ly"], year=2024, tax=1_200_000, revenue=12_000_000, energy_tce=10.0
    )
    world.client("province").post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025})
    ly = EvaluationResult.objects.get(enterprise=world.enterprises["ly"])
    assert (ly.grade, ly.grade_with_previous) == ("C", "B")
    assert EvaluationResult.objects.get(enterprise=world.enterprises["gy"]).grade_with_previous == ""
    card = world.client("zone2").get(f"/assessment/runs/{ly.run_id}/results/{ly.pk}/").content.decode()
    assert '<div class="n">B</div><div class="l">按上年数据的等级</div>' in card
