"""Scope, class T, missing values, adjustments, vetoes and grading, each on a table checked by hand."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from jiju.evaluation.engine import evaluate
from jiju.evaluation.scheme import SchemeError, loads
from tests.evaluation.helpers import column, matrix_frame, matrix_scheme

TEN = matrix_frame([[v] for v in range(10, 0, -1)])  # a1 = 10 (best) ... a10 = 1


def shares(extra: str = "") -> str:
    return '[grading]\nmethod = "shares"\ngrades = [["A", 0.2], ["B", 0.6], ["C", 0.95], ["D", 1.0]]\n' + extra


def test_grade_by_shares_of_the_ranked_list():
    result = evaluate(matrix_scheme(1, weights=[1], normalize="max", extra=shares()), TEN)
    assert list(column(result, "grade")[np.argsort(column(result, "rank"))]) == list("AABBBBCCCD")


def test_ties_share_the_best_rank_and_its_grade():
    frame = matrix_frame([[5], [5], [3], [1], [1]])
    result = evaluate(matrix_scheme(1, weights=[1], normalize="max", extra=shares()), frame)
    assert list(column(result, "rank")) == [1, 1, 3, 4, 4]
    assert list(column(result, "grade")) == ["A", "A", "B", "C", "C"]


def test_grade_by_score_thresholds_and_the_gap_to_the_next_grade():
    grading = '[grading]\nmethod = "thresholds"\ngrades = [["A", 0.8], ["B", 0.5], ["C", 0.0]]\n'
    result = evaluate(matrix_scheme(1, weights=[1], normalize="max", extra=grading), TEN)
    grades = dict(zip(result["id"], result["grade"], strict=True))
    assert (grades["a1"], grades["a3"], grades["a6"], grades["a10"]) == ("A", "A", "B", "C")
    row = result.filter(pl.col("id") == "a4").row(0, named=True)  # score 0.7, needs 0.8 for A
    assert (row["grade"], row["next_grade"]) == ("B", "A")
    assert row["gap_to_next_grade"] == pytest.approx(0.1)


def test_gap_under_shares_is_to_the_lowest_score_of_the_next_grade():
    result = evaluate(matrix_scheme(1, weights=[1], normalize="max", extra=shares()), TEN)
    row = result.filter(pl.col("id") == "a3").row(0, named=True)  # B; the last A (a2) scores 0.9
    assert row["next_grade"] == "A" and row["gap_to_next_grade"] == pytest.approx(0.1)


def test_grading_within_groups():
    frame = matrix_frame([[v] for v in (10, 9, 8, 7, 6, 5, 4, 3, 2, 1)], sector=["x"] * 5 + ["y"] * 5)
    grading = '[grading]\nmethod = "shares"\ngroup = "sector"\ngrades = [["A", 0.2], ["B", 1.0]]\n'
    result = evaluate(matrix_scheme(1, weights=[1], normalize="max", extra=grading), frame)
    assert result.filter(pl.col("grade") == "A")["id"].sort().to_list() == ["a1", "a6"]
    assert result.filter(pl.col("id") == "a6")["rank"][0] == 1


def test_scheme_group_normalises_within_each_group():
    frame = matrix_frame([[10], [5], [100], [50]], sector=["x", "x", "y", "y"])
    grouped = evaluate(matrix_scheme(1, weights=[1], normalize="max", top='group = "sector"'), frame)
    assert list(column(grouped, "c0.normalized")) == [1.0, 0.5, 1.0, 0.5]
    assert list(column(grouped, "rank")) == [1, 2, 1, 2]


def test_anyang_two_stage_grading():
    # 20 firms: composite = c0; A from the top half re-ranked on c1 (15 % of 20 = 3 firms);
    # C from the bottom half re-ranked on c2, worst first (10 % of 20 = 2 firms).
    c0 = list(range(20, 0, -1))
    c1 = [1, 2, 3, 20, 19, 18, 0, 0, 0, 0, 50, 50, 50, 0, 0, 0, 0, 0, 0, 0]
    c2 = [5] * 10 + [9, 9, 1, 2, 9, 9, 9, 9, 9, 9]
    frame = matrix_frame(np.column_stack([c0, c1, c2]))
    extra = (
        '[grading]\nmethod = "two_stage"\ndefault = "B"\n'
        'top = { grade = "A", pool = 0.5, share = 0.15, score = "c1" }\n'
        'bottom = { grade = "C", pool = 0.5, share = 0.10, score = "c2" }\n'
    )
    scheme = matrix_scheme(3, weights=[1, 0, 0], normalize="max", extra=extra)
    grades = dict(zip(*evaluate(scheme, frame).select("id", "grade").to_dict(as_series=False).values(), strict=True))
    assert sorted(k for k, g in grades.items() if g == "A") == ["a4", "a5", "a6"]  # c1 of 20, 19, 18 in the top half
    assert sorted(k for k, g in grades.items() if g == "C") == ["a13", "a14"]  # lowest c2 in the bottom half
    assert grades["a11"] == "B"  # c1 = 50 but in the bottom half


def test_exclusions_and_missing_data_give_class_t_with_the_reason():
    frame = matrix_frame([[10, 1], [8, None], [6, 1], [4, 1]], section=["C", "C", "D", "C"])
    extra = shares('[[exclusions]]\nlabel = "公用事业不参评"\nwhen = "section == \'D\'"\n')
    result = evaluate(matrix_scheme(2, weights=[1, 1], normalize="max", extra=extra), frame)
    rows = {r["id"]: r for r in result.iter_rows(named=True)}
    assert (rows["a2"]["grade"], rows["a2"]["excluded_reason"]) == ("T", "缺少c1数据")
    assert (rows["a3"]["grade"], rows["a3"]["excluded_reason"]) == ("T", "公用事业不参评")
    assert rows["a3"]["rank"] is None and rows["a3"]["score"] is None
    # Normalisation sees only evaluated firms: the max of c0 among a1, a4 is 10.
    assert rows["a4"]["c0.normalized"] == pytest.approx(0.4)


def test_missing_as_zero_and_as_mean_score():
    frame = matrix_frame([[10, 4], [8, None], [6, 2]])
    zero = evaluate(matrix_scheme(2, weights=[1, 1], normalize="max", top='missing = "zero"'), frame)
    assert column(zero, "c1.normalized")[1] == 0.0
    mean = evaluate(matrix_scheme(2, weights=[1, 1], normalize="max", top='missing = "mean_score"'), frame)
    assert column(mean, "c1.normalized")[1] == pytest.approx((1.0 + 0.5) / 2)  # Huangyan: the average score


def test_group_mean_score_uses_the_units_group():
    frame = matrix_frame([[4], [None], [2], [8], [None]], sector=["x", "x", "x", "y", "y"])
    scheme = loads(
        'name = "g"\nid = "id"\nmissing = "group_mean_score"\n[normalize]\nmethod = "max"\n'
        '[[indicators]]\ncode = "c0"\nlabel = "c0"\nvalue = "c0"\nweight = 1\n'
        '[grading]\nmethod = "shares"\ngroup = "sector"\ngrades = [["A", 1.0]]\n'
    )
    result = evaluate(scheme, frame)
    assert list(column(result, "c0.normalized")) == pytest.approx([0.5, 0.375, 0.25, 1.0, 1.0])


def test_bonus_penalty_and_veto():
    frame = matrix_frame([[10], [9], [8]], hitech=[0, 1, 0], accident=[0, 0, 1])
    extra = shares(
        '[[adjustments]]\nlabel = "高新技术企业加分"\nwhen = "hitech == 1"\npoints = 0.2\n'
        '[[vetoes]]\nlabel = "发生重大安全事故"\nwhen = "accident == 1"\ngrade = "D"\n'
    )
    result = evaluate(matrix_scheme(1, weights=[1], normalize="max", extra=extra), frame)
    rows = {r["id"]: r for r in result.iter_rows(named=True)}
    assert rows["a2"]["score"] == pytest.approx(0.9 + 0.2) and rows["a2"]["rank"] == 1
    assert (rows["a3"]["grade"], rows["a3"]["veto"]) == ("D", "发生重大安全事故")


def test_scope_leaves_other_units_out():
    frame = matrix_frame([[10], [9], [8]], scale=["above", "below", "above"])
    result = evaluate(matrix_scheme(1, weights=[1], normalize="max", top="scope = \"scale == 'above'\""), frame)
    assert result["id"].to_list() == ["a1", "a3"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x"\nid = "id"\n', "缺少“indicators”"),
        ('name = "x"\nid = "id"\n[[indicators]]\ncode = "a"\nlabel = "甲"\nvalue = "a"\n', "缺少权重"),
        (
            'name = "x"\nid = "id"\n[normalize]\nmethod = "magic"\n'
            '[[indicators]]\ncode = "a"\nlabel = "甲"\nvalue = "a"\nweight = 1\n',
            "标准化方法“magic”不支持",
        ),
        (
            'name = "x"\nid = "id"\n[[indicators]]\ncode = "a"\nlabel = "甲"\nvalue = "a"\nweight = 1\n'
            'normalize = { method = "benchmark" }\n',
            "未给出 benchmark",
        ),
    ],
)
def test_scheme_faults_are_said_in_chinese(text, message):
    with pytest.raises(SchemeError, match=message):
        loads(text)


def test_unknown_column_in_an_expression_is_named():
    from jiju.evaluation.expressions import ExpressionError

    with pytest.raises(ExpressionError, match="引用的列“tax”不存在"):
        evaluate(
            loads('name = "x"\nid = "id"\n[[indicators]]\ncode = "a"\nlabel = "甲"\nvalue = "tax / c0"\nweight = 1\n'),
            matrix_frame([[1]]),
        )


def test_explain_lists_every_indicator_and_the_gap():
    from jiju.evaluation.explain import explain

    scheme = matrix_scheme(2, weights=[60, 40], normalize="max", extra=shares())
    result = evaluate(scheme, matrix_frame([[10, 5], [8, 10], [6, 2], [4, 1], [2, 1]]))
    why = explain(scheme, result, "a3")
    assert [line.code for line in why.lines] == ["c0", "c1"]
    assert why.lines[0].normalized == pytest.approx(0.6) and why.lines[0].contribution == pytest.approx(36.0)
    assert why.score == pytest.approx(36 + 8)
    assert why.grade == "B" and why.next_grade == "A"
    assert why.gap_to_next_grade == pytest.approx((48 + 40) - 44)  # A is a2 alone (20 % of 5)


def test_sensitivity_gives_rank_intervals_and_grade_stability():
    from jiju.evaluation.explain import sensitivity

    scheme = matrix_scheme(2, weights=[0.5, 0.5], normalize="max", extra=shares())
    frame = matrix_frame([[10, 1], [1, 10], [5, 5], [9.9, 1.1], [1, 1]])
    stable = sensitivity(scheme, frame, draws=50, spread=0.3, seed=1)
    rows = {r["id"]: r for r in stable.iter_rows(named=True)}
    assert rows["a5"]["rank_best"] == rows["a5"]["rank_worst"] == 5 and rows["a5"]["grade_kept"] == 1.0
    assert rows["a1"]["rank_best"] < rows["a1"]["rank_worst"]  # a1 and a2 trade places as weights move
    assert 0.0 < rows["a1"]["grade_kept"] < 1.0
