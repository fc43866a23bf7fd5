"""Trimmed-mean rating, the downgrade watch and target progress on hand-worked numbers."""

import polars as pl
import pytest

from jiju.analytics.rating import item_scores, zone_ranking
from jiju.analytics.targets import elapsed, progress
from jiju.analytics.watch import downgrade_watch


def test_trimmed_mean_drops_highest_and_lowest():
    judges = {"J1": 90, "J2": 70, "J3": 85, "J4": 80, "J5": 60}
    rows = [(j, "甲区", "P1", "进度", s) for j, s in judges.items()]
    scores = pl.DataFrame(rows, schema=["judge", "zone", "project", "criterion", "score"], orient="row")
    item = item_scores(scores).collect()
    # Drop 90 and 60: (70 + 85 + 80) / 3 = 78.333…
    assert item["score"][0] == pytest.approx(235 / 3)
    assert item["judges"][0] == 5


def test_two_judges_take_the_plain_mean():
    scores = pl.DataFrame(
        [("J1", "甲区", "P1", "进度", 80.0), ("J2", "甲区", "P1", "进度", 70.0)],
        schema=["judge", "zone", "project", "criterion", "score"],
        orient="row",
    )
    assert item_scores(scores).collect()["score"][0] == 75


def test_zone_ranking_sums_criteria_and_averages_projects():
    rows = []
    # 甲区: project P1 criteria (进度, 质量) trimmed means 30 and 40 → 70; project P2 → 50; zone 60.
    for judge, (a, b, c) in {"J1": (30, 40, 50), "J2": (31, 45, 55), "J3": (29, 38, 45)}.items():
        rows += [(judge, "甲区", "P1", "进度", a), (judge, "甲区", "P1", "质量", b), (judge, "甲区", "P2", "进度", c)]
    # 乙区: one project, 进度 scores 70, 60, 65 → trimmed 65.
    rows += [(j, "乙区", "Q1", "进度", s) for j, s in (("J1", 70), ("J2", 60), ("J3", 65))]
    scores = pl.DataFrame(rows, schema=["judge", "zone", "project", "criterion", "score"], orient="row")
    ranking = zone_ranking(scores)
    assert ranking.select("zone", "rank").rows() == [("乙区", 1), ("甲区", 2)]
    assert ranking.filter(pl.col("zone") == "甲区")["score"][0] == pytest.approx((30 + 40 + 50) / 2)
    assert ranking.filter(pl.col("zone") == "甲区")["projects"][0] == 2


def test_downgrade_watch_twice_in_bottom_five_within_three_years():
    rows = []
    for year in (2021, 2022, 2023, 2024, 2025):
        for zone in range(1, 21):
            rows.append((zone, year, zone, 20))  # zone n ranked n of 20: zones 16-20 in the bottom five
    ranks = pl.DataFrame(rows, schema=["zone", "year", "rank", "count"], orient="row")
    # Move zone 5 into the bottom five in 2021 and 2025 only (outside any three-year window),
    # and zone 6 in 2024 and 2025 (inside).
    ranks = ranks.with_columns(
        pl.when(pl.col("zone").is_in([5, 6]) & pl.col("year").is_in([2021, 2025]) & (pl.col("zone") == 5))
        .then(18)
        .when((pl.col("zone") == 6) & pl.col("year").is_in([2024, 2025]))
        .then(19)
        .otherwise(pl.col("rank"))
        .alias("rank")
    )
    watch = downgrade_watch(ranks, 2025)
    zones = watch["zone"].to_list()
    assert 5 not in zones
    assert 6 in zones and 16 in zones and 20 in zones
    assert watch.filter(pl.col("zone") == 6)["years"][0].to_list() == [2025, 2024]
    # Only one year in the window (2025) is not enough.
    assert downgrade_watch(ranks.filter(pl.col("year") == 2025), 2025).height == 0


def test_target_progress_against_time_elapsed():
    assert elapsed(6) == 0.5
    targets = pl.DataFrame(
        {
            "zone": [1, 2, 3, 4],
            "code": ["tax"] * 4,
            "target": [100.0, 100.0, 0.0, 50.0],
            "actual": [50.0, 49.0, 5.0, None],
        }
    )
    result = progress(targets, elapsed(6)).sort("zone")
    assert result["completion"].to_list()[:2] == [0.5, 0.49]
    assert result["behind"].to_list() == [False, True, False, False]
    assert result["gap"][1] == pytest.approx(-0.01)
