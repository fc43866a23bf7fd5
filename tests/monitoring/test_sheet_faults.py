"""Faults in rating sheets and target letters are refused with their row and column, never raised (issue 9)."""

from __future__ import annotations

import pytest

from jiju.changelog.models import ObjectChange
from jiju.monitoring import sheets
from jiju.monitoring.models import RatingEvent, RatingScore, Target
from tests.ingest.hostile import workbook as book

HEADERS = ["评委", "开发区", "观摩项目", "进度（满分40）"]


@pytest.fixture
def event(world) -> RatingEvent:
    return sheets.do_create_event(world.users["province"], "观摩", "2026-07-15", "进度:40")


@pytest.mark.parametrize(
    ("cell", "column"),
    [("甲" * 51, "评委"), ("甲\x07", "评委"), ("项" * 101, "观摩项目"), ("开" * 101, "开发区")],
    ids=["long-judge", "control-judge", "long-project", "long-zone"],
)
def test_a_refused_key_cell_rejects_the_scores_with_its_place(world, event, cell, column):
    rows = [HEADERS, ["乙", "郑州经济技术开发区", "一号", 30], ["甲", "郑州经济技术开发区", "一号", 20]]
    rows[2][HEADERS.index(column)] = cell
    changes = ObjectChange.objects.count()
    outcome = sheets.do_import_scores(world.users["province"], event, book(rows), "s.xlsx")
    assert not outcome.accepted
    assert [(e.row, e.column) for e in outcome.errors] == [(3, column)]
    assert RatingScore.objects.count() == 0 and ObjectChange.objects.count() == changes


@pytest.mark.parametrize("top", ["NaN", "nan", "inf", "Infinity", "-inf", "1e400", "0", "-5", ""])
def test_a_criterion_maximum_must_be_a_finite_positive_number(world, top):
    with pytest.raises(sheets.RatingError, match="满分"):
        sheets.do_create_event(world.users["province"], "观摩", "2026-07-15", f"进度:{top}")
    assert not RatingEvent.objects.exists()


def test_a_refused_zone_cell_in_targets_is_reported_once(world):
    rows = [["开发区", "指标代码", "目标值"], ["郑州经济技术开发区", "revenue", 10], ["郑\x00州", "revenue", 5]]
    outcome = sheets.do_import_targets(world.users["city"], 2026, book(rows), "t.xlsx")
    assert not outcome.accepted
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "开发区")]
    assert not Target.objects.exists()
