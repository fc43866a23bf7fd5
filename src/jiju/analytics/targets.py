"""Target responsibility letters (目标责任书): completion against the time elapsed ("时间过半，任务过半")."""

from __future__ import annotations

import polars as pl


def elapsed(month: int, months: int = 12) -> float:
    """The share of the year gone when the report for `month` is in (October: 10/12)."""
    return month / months


def progress(targets: pl.DataFrame | pl.LazyFrame, time_elapsed: float) -> pl.DataFrame:
    """Completion of each target from rows of (zone, code, target, actual).

    `completion` = actual / target; `gap` = completion − time elapsed (in shares of the
    target); `behind` when completion falls short of the time elapsed. A target of zero or
    less, or an actual not yet reported, leaves completion empty and is not flagged.
    """
    completion = pl.when(pl.col("target") > 0).then(pl.col("actual") / pl.col("target"))
    return (
        targets.lazy()
        .with_columns(completion.alias("completion"))
        .with_columns(
            (pl.col("completion") - time_elapsed).alias("gap"),
            (pl.col("completion") < time_elapsed).fill_null(False).alias("behind"),
        )
        .collect()
    )
