"""What counties' rules need: both meanings of "average", caps (封顶), grade shares and floors by group."""

from __future__ import annotations

import polars as pl
import pytest

from jiju.evaluation.engine import evaluate
from jiju.evaluation.scheme import SchemeError, loads

FIRMS = pl.DataFrame(
    {
        "id": ["big", "small", "mid"],
        "tax": [90.0, 5.0, 25.0],
        "land_mu": [30.0, 0.5, 9.5],  # 亩均税收 3, 10, 2.6315...
        "scale": ["above", "below", "above"],
    }
)


def scheme(normalize: str, extra: str = "") -> str:
    return (
        f'name = "t"\nid = "id"\n[normalize]\n{normalize}\n'
        '[[indicators]]\ncode = "tpm"\nlabel = "亩均税收"\nvalue = "tax / land_mu"\nweight = 100\n' + extra
    )


def test_pooled_average_is_the_countys_per_mu_figure_and_mean_is_the_mean_of_ratios():
    pooled = evaluate(loads(scheme('method = "benchmark"\nbenchmark = "pooled"')), FIRMS)
    mean = evaluate(loads(scheme('method = "benchmark"\nbenchmark = "mean"')), FIRMS)
    county = (90 + 5 + 25) / (30 + 0.5 + 9.5)  # Σ tax / Σ land = 3.0 万元/亩, what a county publishes
    ratios = (3.0 + 10.0 + 25 / 9.5) / 3  # the firms' ratios averaged: 5.2105
    by_id = lambda r: dict(zip(r["id"], r["score"], strict=True))  # noqa: E731
    assert by_id(pooled)["big"] == pytest.approx(100 * 3.0 / county)
    assert by_id(mean)["big"] == pytest.approx(100 * 3.0 / ratios)


def test_pooled_needs_an_indicator_written_as_a_ratio():
    text = scheme('method = "benchmark"\nbenchmark = "pooled"').replace('"tax / land_mu"', '"tax"')
    with pytest.raises(SchemeError, match="“分子 / 分母”"):
        loads(text)


@pytest.mark.parametrize("method", ['method = "benchmark"\nbenchmark = 3.0\ncap = 1.5', 'method = "max"\ncap = 0.5'])
def test_a_cap_bounds_an_items_score_under_any_normalisation(method):
    result = evaluate(loads(scheme(method)), FIRMS)
    cap = 150.0 if "benchmark" in method else 50.0
    scores = dict(zip(result["id"], result["score"], strict=True))
    assert scores["small"] == pytest.approx(cap)  # 10 万元/亩 on half a 亩: capped, not 333 points
    assert max(scores.values()) <= cap + 1e-9


def test_grade_shares_differ_by_group_and_each_group_is_graded_apart():
    frame = pl.DataFrame(
        {
            "id": [f"u{i}" for i in range(10)],
            "tax": [float(10 - i) for i in range(10)],
            "land_mu": [1.0] * 10,
            "scale": ["above"] * 5 + ["below"] * 5,
        }
    )
    grading = (
        '[grading]\nmethod = "shares"\ngrades = [["A", 0.2], ["B", 0.6], ["C", 1.0]]\n'
        '[[grading.groups]]\nlabel = "规下企业"\nwhen = "scale == \'below\'"\ngrades = [["B", 0.4], ["C", 1.0]]\n'
    )
    result = evaluate(loads(scheme('method = "max"', grading)), frame)
    grades = dict(zip(result["id"], result["grade"], strict=True))
    ranks = dict(zip(result["id"], result["rank"], strict=True))
    assert [grades[f"u{i}"] for i in range(5)] == ["A", "B", "B", "C", "C"]  # 规上 among themselves
    assert [grades[f"u{i}"] for i in range(5, 10)] == ["B", "B", "C", "C", "C"]  # 规下: no A, B for the top 40 %
    assert ranks["u5"] == 1


def test_grade_floors_differ_by_group():
    grading = (
        '[grading]\nmethod = "thresholds"\ngrades = [["A", 80], ["B", 40], ["C", -inf]]\n'
        '[[grading.groups]]\nlabel = "规下企业"\nwhen = "scale == \'below\'"\n'
        'grades = [["A", 95], ["B", 20], ["C", -inf]]\n'
    )
    result = evaluate(loads(scheme('method = "max"', grading)), FIRMS)  # scores 30, 100, 26.3
    grades = dict(zip(result["id"], result["grade"], strict=True))
    assert grades == {"big": "C", "small": "A", "mid": "C"}
    small = evaluate(loads(scheme('method = "benchmark"\nbenchmark = 10.5', grading)), FIRMS)
    row = small.filter(pl.col("id") == "small").row(0, named=True)  # 95.24 ≥ the 规下 A floor of 95
    assert row["grade"] == "A"


def test_a_group_with_grades_the_scheme_does_not_have_is_refused():
    grading = (
        '[grading]\nmethod = "shares"\ngrades = [["A", 0.2], ["B", 1.0]]\n'
        '[[grading.groups]]\nlabel = "x"\nwhen = "scale == \'below\'"\ngrades = [["E", 1.0]]\n'
    )
    with pytest.raises(SchemeError, match=r"^第16行：分级组“x”的等级须为"):
        loads(scheme('method = "max"', grading))
