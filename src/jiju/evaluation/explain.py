"""Why a unit scored what it did, and how stable its rank and grade are under other weights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from jiju.evaluation import engine
from jiju.evaluation.scheme import Scheme


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    value: float | None
    normalized: float | None
    weight: float | None
    contribution: float | None
    to_next: float | None = None  # the change of the value that alone reaches the next grade
    to_next_note: str = ""  # why there is none, when the unit has a next grade


CANNOT_ALONE = "无法单独达到"


@dataclass(frozen=True)
class Explanation:
    unit: str
    score: float | None
    rank: int | None
    grade: str | None
    lines: tuple[Line, ...]
    adjustment: float
    next_grade: str | None
    gap_to_next_grade: float | None
    excluded_reason: str | None


def explain(scheme: Scheme, result: pl.DataFrame, unit: str) -> Explanation:
    """Every indicator's raw value, normalised score, weight and contribution, the gap to the next grade and,
    per indicator, the change of its value that alone would close it."""
    found = result.filter(pl.col(scheme.id) == unit)
    if found.is_empty():
        raise KeyError(f"评价结果中没有“{unit}”")
    row = found.row(0, named=True)
    lines = tuple(
        Line(
            i.code,
            i.label,
            row[engine.value(i.code)],
            row[engine.normalized(i.code)],
            row[engine.weight(i.code)],
            row[engine.contribution(i.code)],
            row.get(engine.to_next(i.code)),
            CANNOT_ALONE if row.get("next_grade") and row.get(engine.to_next(i.code)) is None else "",
        )
        for i in scheme.indicators
    )
    score, base = row["score"], row["base_score"]
    return Explanation(
        unit,
        score,
        row["rank"],
        row.get("grade"),
        lines,
        (score - base) if score is not None and base is not None else 0.0,
        row.get("next_grade"),
        row.get("gap_to_next_grade"),
        row.get(engine.REASON),
    )


def sensitivity(
    scheme: Scheme, data: pl.DataFrame, draws: int = 200, spread: float = 0.1, seed: int = 0
) -> pl.DataFrame:
    """Monte Carlo on the weights: each weight times U(1 - spread, 1 + spread), `draws` times.

    Returns, per evaluated unit, its best and worst rank over the draws and the share of
    draws in which its grade stayed what the scheme gives it.
    """
    base = engine.evaluate(scheme, data)
    rng = np.random.default_rng(seed)
    ranks, grades = [base["rank"].to_numpy()], []
    for _ in range(draws):
        factors = {i.code: rng.uniform(1 - spread, 1 + spread) for i in scheme.indicators}
        run = engine.evaluate(scheme, data, weight_factors=factors)
        ranks.append(run["rank"].to_numpy())
        if "grade" in run.columns:
            grades.append(run["grade"].to_numpy() == base["grade"].to_numpy())
    stacked = np.vstack(ranks).astype(float)
    columns = {
        scheme.id: base[scheme.id],
        "rank": base["rank"],
        "rank_best": np.nanmin(stacked, axis=0),
        "rank_worst": np.nanmax(stacked, axis=0),
    }
    if grades:
        columns["grade"] = base["grade"]
        columns["grade_kept"] = np.vstack(grades).mean(axis=0)
    return pl.DataFrame(columns).filter(pl.col("rank").is_not_null())
