"""Issue 10's defects, each on a table worked by hand: no silent wrong grade, strict schemes."""

from __future__ import annotations

import io
import math

import numpy as np
import polars as pl
import pytest
from django.core.management import CommandError, call_command
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jiju.evaluation.engine import ahp_weights, evaluate
from jiju.evaluation.scheme import SchemeError, loads
from tests.evaluation.helpers import column, matrix_frame, matrix_scheme

SHARES = '[grading]\nmethod = "shares"\ngrades = [["A", 0.2], ["B", 0.6], ["C", 0.95], ["D", 1.0]]\n'
THRESHOLDS = '[grading]\nmethod = "thresholds"\ngrades = [["A", 0.9], ["B", 0.5], ["C", 0.1]]\n'


def graded_finite(result: pl.DataFrame) -> None:
    """Every unit with a rank or a grade other than T has a finite score; every other unit has a reason."""
    for row in result.iter_rows(named=True):
        if row["rank"] is not None or row.get("grade") not in (None, "T"):
            assert row["score"] is not None and math.isfinite(row["score"]), row
        else:
            assert row["excluded_reason"], row


# 1. No non-finite value reaches a rank.


def test_a_cost_under_sum_with_a_zero_value_is_refused_naming_indicator_and_unit():
    scheme = matrix_scheme(2, weights=[1, 1], types=[1, -1], normalize="sum", extra=SHARES)
    with pytest.raises(SchemeError, match=r"指标“c1”使用 sum 标准化，要求数值大于 0.*a2"):
        evaluate(scheme, matrix_frame([[3, 1], [2, 0], [1, 2]]))


@pytest.mark.parametrize("method", ["vector", "max", "sum"])
def test_an_indicator_zero_for_every_unit_carries_no_information(method):
    result = evaluate(matrix_scheme(2, weights=[1, 1], normalize=method, extra=SHARES), matrix_frame([[3, 0], [2, 0]]))
    assert list(column(result, "c1.normalized")) == [0.0, 0.0]
    assert list(column(result, "rank")) == [1, 2]  # was: NaN scores, the NaN unit ranked first with grade A
    graded_finite(result)


def test_entropy_gives_an_all_zero_indicator_weight_zero():
    result = evaluate(matrix_scheme(2, weighting="entropy", normalize="max"), matrix_frame([[3, 0], [2, 0], [1, 0]]))
    assert result["c1.weight"].to_list() == [0.0, 0.0, 0.0]
    assert result["c0.weight"].to_list() == pytest.approx([1.0, 1.0, 1.0])
    assert list(column(result, "rank")) == [1, 2, 3]


@pytest.mark.parametrize("weighting", ["entropy", "critic", "critic_benefit"])
def test_computed_weights_in_a_group_of_one_unit_set_it_aside_with_the_reason(weighting):
    frame = matrix_frame([[3, 1], [2, 5], [1, 2], [9, 9]], sector=["x", "x", "x", "y"])
    scheme = matrix_scheme(2, weighting=weighting, normalize="max", top='group = "sector"', extra=SHARES)
    result = evaluate(scheme, frame)
    lone = result.filter(pl.col("id") == "a4").row(0, named=True)
    assert (lone["grade"], lone["rank"], lone["score"]) == ("T", None, None)
    assert "无法赋权" in lone["excluded_reason"]
    assert sorted(result.filter(pl.col("sector") == "x")["rank"].to_list()) == [1, 2, 3]
    graded_finite(result)


def test_an_average_score_with_nobody_to_average_carries_no_information():
    frame = matrix_frame([[3.0, None], [2.0, None]])
    result = evaluate(matrix_scheme(2, weights=[1, 1], normalize="max", top='missing = "mean_score"'), frame)
    assert list(column(result, "c1.normalized")) == [0.0, 0.0]  # the same for every unit, not NaN
    assert list(column(result, "score")) == pytest.approx([1.0, 2 / 3])
    assert list(column(result, "rank")) == [1, 2]


values = st.one_of(
    st.just(0.0), st.floats(min_value=-50, max_value=1e4, allow_nan=False, allow_infinity=False, allow_subnormal=False)
)
small_tables = st.integers(min_value=1, max_value=8).flatmap(
    lambda n: st.lists(st.lists(values, min_size=2, max_size=2), min_size=n, max_size=n)
)
METHODS = ["vector", "sum", "max", "minmax", "benchmark", "linear", "zscore", "percentile"]


@settings(max_examples=120, deadline=None)
@given(
    small_tables,
    st.sampled_from(METHODS),
    st.sampled_from(["fixed", "entropy", "critic"]),
    st.sampled_from(["weighted_sum", "topsis"]),
    st.sampled_from([SHARES, THRESHOLDS]),
    st.sampled_from([[1, 1], [1, -1]]),
)
def test_no_non_finite_score_ever_has_a_rank_or_a_grade(table, method, weighting, aggregate, grading, types):
    options = "benchmark = 10.0" if method == "benchmark" else ""
    weights = [0.6, 0.4] if weighting == "fixed" else None
    scheme = matrix_scheme(
        2,
        weights=weights,
        types=types,
        normalize=method,
        options=options,
        weighting=weighting,
        aggregate=aggregate,
        extra=grading,
    )
    try:
        result = evaluate(scheme, matrix_frame(table))
    except SchemeError as refused:
        assert "要求数值" in str(refused)  # refused with the indicator and the units named
        return
    graded_finite(result)


# 2. The ratio normalisations refuse negative values; what is accepted keeps the monotonicity promise.


@pytest.mark.parametrize("method", ["max", "sum", "benchmark", "vector"])
def test_ratio_normalisations_refuse_negative_values_naming_the_units(method):
    options = "benchmark = 10.0" if method == "benchmark" else ""
    scheme = matrix_scheme(1, weights=[1], normalize=method, options=options)
    with pytest.raises(SchemeError, match=r"指标“c0”使用 \w+ 标准化，要求数值不为负数，但有 2 个单位不满足：a2、a3"):
        evaluate(scheme, matrix_frame([[5], [-1], [-3]]))


@settings(max_examples=120, deadline=None)
@given(
    st.integers(min_value=2, max_value=8).flatmap(
        lambda n: st.lists(st.lists(values, min_size=3, max_size=3), min_size=n, max_size=n)
    ),
    st.sampled_from(
        [(m, "weighted_sum") for m in METHODS] + [(m, "topsis") for m in ("vector", "sum", "max", "minmax", "linear")]
    ),
    st.floats(0.5, 200.0),
)
def test_every_accepted_input_keeps_the_documented_monotonicity(table, pair, step):
    method, aggregate = pair
    options = "benchmark = 10.0" if method == "benchmark" else ""
    scheme = matrix_scheme(
        3, weights=[0.5, 0.3, 0.2], types=[1, -1, 1], normalize=method, options=options, aggregate=aggregate
    )
    raised = [row[:] for row in table]
    raised[0][0] += step
    try:
        before, after = evaluate(scheme, matrix_frame(table)), evaluate(scheme, matrix_frame(raised))
    except SchemeError:
        assume(False)
    assume(before.filter(pl.col("id") == "a1")["score"][0] is not None)
    score = lambda r: r.filter(pl.col("id") == "a1")["score"][0]  # noqa: E731
    assert score(after) >= score(before) - 1e-6


# 3. The harshest veto wins and every veto that applied is listed.


def test_the_harshest_veto_wins_and_every_applied_veto_is_listed():
    frame = matrix_frame([[10], [9], [8], [7], [6]], safety=[1, 1, 0, 0, 0], pollution=[1, 0, 1, 0, 0])
    extra = SHARES + (
        '[[vetoes]]\nlabel = "重大安全事故"\nwhen = "safety == 1"\ngrade = "D"\n'
        '[[vetoes]]\nlabel = "环境违法"\nwhen = "pollution == 1"\ngrade = "C"\n'
    )
    rows = {
        r["id"]: r
        for r in evaluate(matrix_scheme(1, weights=[1], normalize="max", extra=extra), frame).iter_rows(named=True)
    }
    assert (rows["a1"]["grade"], rows["a1"]["veto"]) == ("D", "重大安全事故；环境违法")  # was C
    assert (rows["a2"]["grade"], rows["a2"]["veto"]) == ("D", "重大安全事故")  # was blank
    assert (rows["a3"]["grade"], rows["a3"]["veto"]) == ("C", "环境违法")
    assert rows["a4"]["veto"] is None


def test_a_veto_grade_the_grading_does_not_have_is_refused():
    with pytest.raises(SchemeError, match="否决项“x”的等级“E”不在分级的等级中"):
        matrix_scheme(1, weights=[1], extra=SHARES + '[[vetoes]]\nlabel = "x"\nwhen = "c0 > 1"\ngrade = "E"\n')


# 4. Grading: counts with a tolerance, ties sharing the better rank, rounded scores, the last floor.

TWO_STAGE = (
    '[grading]\nmethod = "two_stage"\ndefault = "B"\n'
    'top = {{ grade = "A", pool = {pool}, share = {share}, score = "c1" }}\n'
    'bottom = {{ grade = "C", pool = 0.5, share = 0.1, score = "c1" }}\n'
)


def test_two_stage_takes_floor_of_share_times_n_with_a_tolerance():
    frame = matrix_frame([[100 - i, 100 - i] for i in range(100)])
    scheme = matrix_scheme(2, weights=[1, 0], normalize="max", extra=TWO_STAGE.format(pool=0.5, share=0.29))
    grades = evaluate(scheme, frame)["grade"].to_list()
    assert grades.count("A") == 29  # ⌊0.29 · 100⌋; was 28 (0.29 · 100 = 28.999999999999996)
    assert grades.count("C") == 10


def test_two_stage_ties_share_the_better_grade():
    # Scores tie for places 2 and 3 of 10; sub-scores tie at the A line: both get A, not the first row.
    frame = matrix_frame([[10, 5], [9, 7], [9, 7], [7, 1], [6, 1], [5, 1], [4, 1], [3, 1], [2, 1], [1, 2]])
    scheme = matrix_scheme(2, weights=[1, 0], normalize="max", extra=TWO_STAGE.format(pool=0.3, share=0.1))
    grades = dict(zip(*evaluate(scheme, frame).select("id", "grade").to_dict(as_series=False).values(), strict=True))
    assert (grades["a2"], grades["a3"], grades["a1"]) == ("A", "A", "B")
    # The bottom pool (a6-a10) re-ranked worst first on c1: a6-a9 tie at 1, so none of them is C.
    assert [k for k, g in grades.items() if g == "C"] == []


def test_thresholds_compare_scores_rounded_to_the_declared_precision():
    frame = pl.DataFrame({"id": ["a1", "a2"], "c0": [0.7 + 0.2 - 1e-16, 0.3]})
    assert frame["c0"][0] != 0.9
    result = evaluate(
        matrix_scheme(1, weights=[1], normalize="benchmark", options="benchmark = 1.0", extra=THRESHOLDS), frame
    )
    assert column(result, "grade")[0] == "A"
    assert column(result, "score")[0] == 0.9


def test_the_last_grades_floor_is_honoured():
    frame = matrix_frame([[1.0], [0.05]])
    result = evaluate(matrix_scheme(1, weights=[1], normalize="max", extra=THRESHOLDS), frame)
    low = result.filter(pl.col("id") == "a2").row(0, named=True)  # 0.05 is under C's floor of 0.1
    assert (low["grade"], low["next_grade"]) == (None, "C")
    assert low["gap_to_next_grade"] == pytest.approx(0.05)
    catch_all = THRESHOLDS.replace('["C", 0.1]', '["C", -inf]')
    assert column(evaluate(matrix_scheme(1, weights=[1], normalize="max", extra=catch_all), frame), "grade")[1] == "C"


GRADINGS = [
    SHARES,
    '[grading]\nmethod = "thresholds"\ngrades = [["A", 0.8], ["B", 0.5], ["C", -inf]]\n',
    TWO_STAGE.format(pool=0.5, share=0.2),
]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.integers(min_value=0, max_value=4), min_size=2, max_size=2), min_size=1, max_size=25),
    st.sampled_from(GRADINGS),
    st.randoms(use_true_random=False),
)
def test_grading_is_independent_of_row_order(table, grading, random):
    scheme = matrix_scheme(2, weights=[1, 0], normalize="minmax", extra=grading)
    frame = matrix_frame(table)
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=random.randint(0, 10**6))
    one, other = (evaluate(scheme, f).sort("id").select("id", "rank", "grade") for f in (frame, shuffled))
    assert one.equals(other)


# 5. CRITIC per Diakoulaki et al. (1995): a cost scaled (max − x) / (max − min).


def critic_by_the_paper(matrix: np.ndarray, cost: list[bool]) -> np.ndarray:
    """The paper's steps written out: scale, σ, r, C = σ Σ(1 − r), w = C / ΣC."""
    low, high = matrix.min(axis=0), matrix.max(axis=0)
    scaled = np.where(cost, (high - matrix) / (high - low), (matrix - low) / (high - low))
    sigma = scaled.std(axis=0)
    r = np.corrcoef(scaled, rowvar=False)
    c = sigma * (1 - r).sum(axis=0)
    return c / c.sum()


def test_critic_scales_a_cost_criterion_as_the_paper_does():
    # c1 = 40 − 5 · c0 is a cost: scaled (max − x) / (max − min) it is c0 scaled, so r(c0, c1) = +1.
    # c0 and c2 scale to the same set {0, ¼, ½, ¾, 1}, hence the same σ; with r = r(c0, c2):
    # C0 = σ(0 + 1 − r), C1 = σ(0 + 1 − r), C2 = σ(2(1 − r)), so the weights are ¼, ¼, ½.
    matrix = np.array([[7.0, 5, 3], [5, 15, 4], [9, -5, 2], [6, 10, 6], [8, 0, 5]])
    scheme = matrix_scheme(3, weighting="critic", types=[1, -1, 1], normalize="minmax")
    result = evaluate(scheme, matrix_frame(matrix))
    weights = [result[f"c{j}.weight"][0] for j in range(3)]
    assert weights == pytest.approx([0.25, 0.25, 0.5], abs=1e-12)  # was: c1 scaled as a benefit, r = −1
    np.testing.assert_allclose(weights, critic_by_the_paper(matrix, [False, True, False]), atol=1e-12)
    peers = matrix_scheme(3, weighting="critic_benefit", types=[1, -1, 1], normalize="minmax")
    assert evaluate(peers, matrix_frame(matrix))["c2.weight"][0] < 0.5  # the named variant keeps the old reading


# 6. AHP refuses a matrix that is not reciprocal; Saaty's RI up to n = 15.


@pytest.mark.parametrize("matrix", [[[1, 3], [3, 1]], [[1, 2, 4], [0.5, 1, 2], [0.25, 2, 1]], [[2]]])
def test_ahp_refuses_a_matrix_that_is_not_reciprocal(matrix):
    with pytest.raises(SchemeError, match="判断矩阵"):
        ahp_weights(tuple(map(tuple, matrix)))


def test_ahp_refuses_it_in_a_scheme_file_with_the_line():
    text = (
        'name = "x"\nid = "id"\n[weights]\nmethod = "ahp"\nmatrix = [[1, 3], [3, 1]]\n'
        '[[indicators]]\ncode = "a"\nlabel = "甲"\nvalue = "a"\n[[indicators]]\ncode = "b"\nlabel = "乙"\nvalue = "b"\n'
    )
    with pytest.raises(SchemeError, match=r"^第5行：判断矩阵不互反"):
        loads(text)


@pytest.mark.parametrize("n", [11, 15])
def test_ahp_up_to_fifteen_criteria(n):
    w = np.arange(1, n + 1, dtype=float)
    weights, ratio = ahp_weights(tuple(tuple(a / b for b in w) for a in w))  # a consistent matrix
    np.testing.assert_allclose(weights, w / w.sum(), atol=1e-9)
    assert ratio == pytest.approx(0.0, abs=1e-9)


def test_ahp_past_fifteen_criteria_is_refused():
    with pytest.raises(SchemeError, match="RI 只到 15 阶"):
        ahp_weights(tuple(tuple(1.0 for _ in range(16)) for _ in range(16)))


# 7. "—", "/", "暂无" in numeric cells: missing, with a message naming row and column.


def test_evaluate_turns_placeholders_into_missing_with_row_and_column(tmp_path):
    data = tmp_path / "企业.csv"
    data.write_text("id,c0,c1\nq1,10,5\nq2,—,4\nq3,8,/\nq4,6,暂无\nq5,4,2\n", encoding="utf-8")
    scheme = tmp_path / "s.toml"
    scheme.write_text(
        'name = "t"\nid = "id"\n[normalize]\nmethod = "max"\n'
        '[[indicators]]\ncode = "c0"\nlabel = "甲"\nvalue = "c0"\nweight = 1\n'
        '[[indicators]]\ncode = "c1"\nlabel = "乙"\nvalue = "c1"\nweight = 1\n',
        encoding="utf-8",
    )
    out, stdout = tmp_path / "o.csv", io.StringIO()
    call_command("evaluate", str(scheme), str(data), "-o", str(out), stdout=stdout)
    said = stdout.getvalue()
    assert "第3行“c0”列的“—”不是数字，按缺失处理" in said
    assert "第4行“c1”列的“/”不是数字" in said and "第5行“c1”列的“暂无”不是数字" in said
    result = pl.read_csv(out, infer_schema=False)
    reasons = dict(zip(result["id"], result["excluded_reason"], strict=True))
    assert (reasons["q2"], reasons["q3"], reasons["q1"]) == ("缺少甲数据", "缺少乙数据", None)


def test_evaluate_answers_a_text_column_in_arithmetic_without_a_traceback(tmp_path):
    data = tmp_path / "企业.csv"
    data.write_text("id,c0,kind\nq1,10,甲\nq2,5,乙\n", encoding="utf-8")
    scheme = tmp_path / "s.toml"
    scheme.write_text(
        'name = "t"\nid = "id"\n[[indicators]]\ncode = "c0"\nlabel = "甲"\nvalue = "c0"\nweight = 1\n'
        '[[exclusions]]\nlabel = "x"\nwhen = "kind > 3"\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"^无法按方案计算"):
        call_command("evaluate", str(scheme), str(data), "-o", str(tmp_path / "o.csv"))


# 9. Unknown keys are refused naming the key and the nearest known one, with the line.

BASE = 'name = "x"\nid = "id"\n[[indicators]]\ncode = "a"\nlabel = "甲"\nvalue = "a"\nweight = 1\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'name = "x"\nid = "id"\nmising = "zero"\n' + BASE.split("\n", 2)[2],
            "^第3行：方案中有未知的键“mising”，是否应为“missing”？",
        ),
        (BASE + '[grading]\nbogus = 2\ngrades = [["A", 1.0]]\n', "^第9行：\\[grading\\]中有未知的键“bogus”"),
        (BASE + "[normalize]\nmethd = 'max'\n", "^第9行：方案的标准化中有未知的键“methd”，是否应为“method”？"),
        (BASE.replace("weight = 1", "wieght = 1"), "^第7行：第1个指标中有未知的键“wieght”，是否应为“weight”？"),
        (BASE + '[[vetoes]]\nlabel = "v"\nwhen = "a > 1"\ngrad = "D"\n', "^第11行：第1个否决项中有未知的键“grad”"),
        (BASE.replace("weight = 1", 'weight = "三十"'), "^第7行：第1个指标（甲）的“weight”应为数值"),
        (BASE.replace('value = "a"', 'value = "a +"'), "^第6行：第1个指标（甲）：表达式“a \\+”无法解析"),
        (BASE + "[grading]\nmethod = 'shares'\ngrades = [['A', 0.6], ['B', 0.2]]\n", "^第10行：\\[grading\\]的比例"),
        ('name = "x"\nid = "id\n', "^方案文件第2行第\\d+列不是合法的 TOML 写法"),
    ],
)
def test_every_scheme_mistake_gets_a_chinese_message_with_the_line(text, message):
    with pytest.raises(SchemeError, match=message) as raised:
        loads(text)
    assert not any(word in str(raised.value) for word in ("line", "column", "Error", "Invalid"))
