"""The lists counties publish and the statuses of the firms set aside, on a table worked by hand."""

from __future__ import annotations

import polars as pl
import pytest

from jiju.evaluation.engine import evaluate, result_columns
from jiju.evaluation.scheme import SchemeError, loads

SCHEME = """
name = "t"
id = "id"
[[lists]]
name = "规上企业"
when = "scale == 'above'"
[[lists]]
name = "规下企业（3亩及以上）"
when = "scale == 'below' and land >= 3"
[[lists]]
name = "规下企业（3亩以下）"
when = "scale == 'below'"
[[exclusions]]
label = "电力、热力、燃气及水生产和供应业不参评"
when = "section == 'D'"
[[exclusions]]
label = "投产不满两年"
when = "years < 2"
status = "暂不评价"
[[indicators]]
code = "x"
label = "亩均税收"
value = "x"
weight = 1
normalize = { method = "benchmark", benchmark = 10 }
[grading]
method = "shares"
grades = [["A", 0.5], ["B", 1.0]]
"""
FIRMS = pl.DataFrame(
    {
        "id": ["a1", "a2", "a3", "b1", "b2", "b3", "b4"],
        "scale": ["above"] * 3 + ["below"] * 4,
        "x": [10.0, 8.0, 6.0, 5.0, 4.0, 3.0, 9.0],
        "land": [50.0, 40.0, 30.0, 5.0, 4.0, 2.0, 6.0],
        "section": ["C", "C", "D", "C", "C", "C", "C"],
        "years": [10, 10, 10, 10, 10, 10, 1],
    }
)


def test_each_list_is_ranked_and_graded_apart_with_the_statuses():
    result = evaluate(loads(SCHEME), FIRMS)
    rows = {r["id"]: (r["list"], r["rank"], r["grade"], r["status"]) for r in result.iter_rows(named=True)}
    assert rows == {
        "a1": ("规上企业", 1, "A", "参评"),  # 1 / 2 ≤ 0.5
        "a2": ("规上企业", 2, "B", "参评"),
        "a3": ("规上企业", None, "T", "不参评"),  # a utility: exempt
        "b1": ("规下企业（3亩及以上）", 1, "A", "参评"),  # ranked 1 in its own list, though a2 scores more
        "b2": ("规下企业（3亩及以上）", 2, "B", "参评"),
        "b3": ("规下企业（3亩以下）", 1, "B", "参评"),  # alone: 1 / 1 > 0.5, shares never round up
        "b4": ("规下企业（3亩及以上）", None, "T", "暂不评价"),  # a new firm: provisional
    }
    assert result.filter(pl.col("id") == "b4")["excluded_reason"][0] == "投产不满两年"
    assert result_columns(loads(SCHEME), result).columns[:2] == ["id", "list"]


def test_a_unit_in_no_list_is_in_the_unnamed_one():
    result = evaluate(loads(SCHEME), FIRMS.with_columns(pl.lit("other").alias("scale")))
    assert set(result["list"]) == {""} and result["rank"].max() == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('status = "暂不评价"', None),
        ('status = "暂缓"', "状态“暂缓”不支持，可用：不参评、暂不评价"),
    ],
)
def test_an_exclusion_status_is_one_counties_use(change, message):
    text = SCHEME.replace('status = "暂不评价"', change)
    if message is None:
        assert loads(text).exclusions[1].status == "暂不评价"
    else:
        with pytest.raises(SchemeError, match=message):
            loads(text)


def test_a_list_named_twice_is_refused_with_its_line():
    text = SCHEME.replace("规下企业（3亩以下）", "规上企业")
    with pytest.raises(SchemeError, match=r"第\d+行：名单“规上企业”重复"):
        loads(text)
