"""What a firm must do to move up: per indicator, the change that alone reaches the next grade, by hand."""

from __future__ import annotations

import polars as pl
import pytest

from jiju.evaluation import engine
from jiju.evaluation.engine import evaluate
from jiju.evaluation.explain import CANNOT_ALONE, explain
from jiju.evaluation.scheme import loads
from tests.evaluation.helpers import matrix_frame, matrix_scheme

HUANGYAN_LIKE = """
name = "t"
id = "id"
[[indicators]]
code = "tax"
label = "亩均税收"
value = "tax / land"
weight = 30
normalize = { method = "benchmark", benchmark = 24 }
[[indicators]]
code = "va"
label = "亩均增加值"
value = "va / land"
weight = 20
normalize = { method = "benchmark", benchmark = 136%s }
[grading]
method = "thresholds"
grades = [["A", 60], ["B", 40], ["C", 0]]
"""
FIRMS = pl.DataFrame({"id": ["f1", "f2"], "tax": [120.0, 480.0], "va": [680.0, 1360.0], "land": [10.0, 10.0]})


def row(result: pl.DataFrame, unit: str) -> dict:
    return result.filter(pl.col("id") == unit).row(0, named=True)


def test_benchmark_scheme_each_indicator_alone():
    # f1: 亩均税收 12 → 12/24·30 = 15; 亩均增加值 68 → 68/136·20 = 10; score 25, B needs 40: 15 points short.
    # 亩均税收 alone: +15/30 = +0.5 of the benchmark, +12 万元/亩; 亩均增加值 alone: +0.75 · 136 = +102.
    f1 = row(evaluate(loads(HUANGYAN_LIKE % ""), FIRMS), "f1")
    assert (f1["grade"], f1["next_grade"], f1["gap_to_next_grade"]) == ("C", "B", pytest.approx(15))
    assert f1[engine.to_next("tax")] == pytest.approx(12)
    assert f1[engine.to_next("va")] == pytest.approx(102)


def test_a_cap_makes_an_indicator_unable_alone():
    # With 亩均增加值 capped at 1.2 of the benchmark, it would need 1.25: it cannot do it alone.
    scheme = loads(HUANGYAN_LIKE % ", cap = 1.2")
    result = evaluate(scheme, FIRMS)
    assert row(result, "f1")[engine.to_next("va")] is None
    why = explain(scheme, result, "f1")
    assert why.lines[1].to_next is None and why.lines[1].to_next_note == CANNOT_ALONE
    assert why.lines[0].to_next == pytest.approx(12) and why.lines[0].to_next_note == ""
    assert row(result, "f2")["next_grade"] is None  # f2 scores 60 + 40 = A: nothing to reach
    assert explain(scheme, result, "f2").lines[0].to_next_note == ""


def test_share_grading_aims_at_the_current_cut_off_score():
    ten = matrix_frame([[v] for v in range(10, 0, -1)])  # a1 = 10 ... a10 = 1, scored x / 10
    grading = '[grading]\nmethod = "shares"\ngrades = [["A", 0.2], ["B", 0.6], ["C", 0.95], ["D", 1.0]]\n'
    result = evaluate(matrix_scheme(1, weights=[1], normalize="max", extra=grading), ten)
    assert row(result, "a3")[engine.to_next("c0")] == pytest.approx(1)  # 8 → 9, the last A's score
    assert row(result, "a10")[engine.to_next("c0")] == pytest.approx(1)  # D at 1 → 2, the last C's
    assert row(result, "a1")[engine.to_next("c0")] is None


THRESHOLD_A = '[grading]\nmethod = "thresholds"\ngrades = [["A", %s], ["B", 0.0]]\n'


@pytest.mark.parametrize(
    ("normalize", "options", "values", "floor", "expected"),
    [
        # vector over (3, 4): 3 scores 0.6; 0.8 needs x / √(16 + x²) = 0.8, x = 0.8 · 4 / 0.6 = 5.333
        ("vector", "", [3, 4], 0.8, 16 / 3 - 3),
        # sum over (1, 3): 1 scores 0.25; 0.5 needs x / (3 + x) = 0.5, x = 3
        ("sum", "", [1, 3], 0.5, 2),
        # mean over (2, 4, 6): 2 scores 0.5; 1.0 needs 3x / (10 + x) = 1, x = 5
        ("benchmark", 'benchmark = "mean"', [2, 4, 6], 1.0, 3),
        # minmax over (0, 5, 10): 0 scores 0; 0.8 needs 5 + 0.8 · (10 - 5) = 9 (the others' range)
        ("minmax", "", [0, 5, 10], 0.8, 9),
        # linear: 0.2 + 0.8 · minmax; 0.68 is minmax 0.6: 5 + 0.6 · 5 = 8
        ("linear", "", [0, 5, 10], 0.68, 8),
    ],
)
def test_each_normalisation_solved_with_the_firms_own_change(normalize, options, values, floor, expected):
    frame = matrix_frame([[v] for v in values])
    scheme = matrix_scheme(1, weights=[1], normalize=normalize, options=options, extra=THRESHOLD_A % floor)
    result = evaluate(scheme, frame)
    change = row(result, "a1")[engine.to_next("c0")]
    assert change == pytest.approx(expected)
    moved = frame.with_columns(pl.when(pl.col("id") == "a1").then(pl.col("c0") + change).otherwise(pl.col("c0")))
    again = row(evaluate(scheme, moved), "a1")
    assert again["score"] == pytest.approx(floor, abs=1e-6)


def test_pooled_benchmark_moves_the_numerator():
    # tax / land over (10/10, 30/10, 60/20): pooled 100 / 40 = 2.5, f1 has 1 → 0.4. 1.0 needs a / 10 = (90 + a) / 40,
    # a = 30: +2 per mu (then Σ 120 / 40 = 3 and 3 / 3 = 1).
    scheme = loads(
        'name = "t"\nid = "id"\n[[indicators]]\ncode = "t"\nlabel = "亩均税收"\nvalue = "tax / land"\nweight = 1\n'
        'normalize = { method = "benchmark", benchmark = "pooled" }\n' + THRESHOLD_A % 1.0
    )
    frame = pl.DataFrame({"id": ["f1", "f2", "f3"], "tax": [10.0, 30.0, 60.0], "land": [10.0, 10.0, 20.0]})
    assert row(evaluate(scheme, frame), "f1")[engine.to_next("t")] == pytest.approx(2)


def test_a_cost_indicator_must_fall():
    # energy per unit, cost, benchmark 2: 4 scores 2 / 4 = 0.5; 1.0 needs 2, a fall of 2
    scheme = loads(
        'name = "t"\nid = "id"\n[[indicators]]\ncode = "e"\nlabel = "单位能耗"\nvalue = "c0"\ndirection = "cost"\n'
        'weight = 1\nnormalize = { method = "benchmark", benchmark = 2 }\n' + THRESHOLD_A % 1.0
    )
    result = evaluate(scheme, matrix_frame([[4], [1]]))
    assert row(result, "a1")[engine.to_next("e")] == pytest.approx(-2)


def test_a_veto_holds_the_grade_whatever_the_figures():
    scheme = loads(
        'name = "t"\nid = "id"\n[[indicators]]\ncode = "c0"\nlabel = "x"\nvalue = "c0"\nweight = 1\n'
        'normalize = { method = "benchmark", benchmark = 10 }\n'
        '[[vetoes]]\nlabel = "重大安全事故"\nwhen = "accident"\ngrade = "B"\n' + THRESHOLD_A % 0.8
    )
    result = evaluate(scheme, matrix_frame([[5], [9]], accident=[False, True]))  # a2 scores A, vetoed to B
    assert row(result, "a1")[engine.to_next("c0")] == pytest.approx(3)  # 5 → 8
    assert row(result, "a2")[engine.to_next("c0")] is None


def test_grade_with_last_years_figures_among_this_years_firms():
    # f1 last year: 亩均税收 24, 亩均增加值 136 → 30 + 20 = 50, a B by this year's floors (this year C, 25).
    last = pl.DataFrame({"id": ["f1"], "tax": [240.0], "va": [1360.0], "land": [10.0]})
    result = evaluate(loads(HUANGYAN_LIKE % ""), FIRMS, previous=last)
    assert row(result, "f1")["grade_with_previous"] == "B"
    assert row(result, "f2")["grade_with_previous"] is None  # no figures of last year


def test_grade_with_last_years_figures_against_this_years_cut_offs():
    ten = matrix_frame([[v] for v in range(10, 0, -1)])  # scored x / max: A from 0.9, B from 0.5 (a6 = 5)
    grading = '[grading]\nmethod = "shares"\ngrades = [["A", 0.2], ["B", 0.6], ["C", 0.95], ["D", 1.0]]\n'
    last = pl.DataFrame({"id": ["a10", "a1"], "c0": [9.5, 5.0]})
    result = evaluate(matrix_scheme(1, weights=[1], normalize="max", extra=grading), ten, previous=last)
    assert row(result, "a10")["grade_with_previous"] == "A"  # 9.5 / 10 = 0.95 reaches the last A's 0.9
    assert row(result, "a1")["grade_with_previous"] == "B"  # 5 / 9 (the others' largest) = 0.56 ≥ 0.5


def test_grade_with_last_years_figures_moves_the_pooled_figure():
    # f1 last year 30 / 10: the pooled figure becomes (90 + 30) / (30 + 10) = 3, and 3 / 3 = 1: an A.
    scheme = loads(
        'name = "t"\nid = "id"\n[[indicators]]\ncode = "t"\nlabel = "亩均税收"\nvalue = "tax / land"\nweight = 1\n'
        'normalize = { method = "benchmark", benchmark = "pooled" }\n' + THRESHOLD_A % 1.0
    )
    frame = pl.DataFrame({"id": ["f1", "f2", "f3"], "tax": [10.0, 30.0, 60.0], "land": [10.0, 10.0, 20.0]})
    last = pl.DataFrame({"id": ["f1"], "tax": [30.0], "land": [10.0]})
    result = evaluate(scheme, frame, previous=last)
    assert row(result, "f1")["grade"] == "B" and row(result, "f1")["grade_with_previous"] == "A"
