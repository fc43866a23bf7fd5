"""On-site observation rating (观摩点评): judges score each zone's projects on the event's criteria.

For each item (a zone's project on one criterion) the highest and the lowest of the
judges' scores are dropped and the rest averaged (去掉一个最高分和一个最低分); with fewer
than three judges nothing can be dropped and the plain mean is taken. A project's score
is the sum over criteria; a zone's score the mean of its projects'; zones are ranked on it.
"""

from __future__ import annotations

import polars as pl


def item_scores(scores: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Trimmed means per zone, project and criterion from rows of (judge, zone, project, criterion, score)."""
    score = pl.col("score")
    n = score.count()
    return (
        scores.lazy()
        .group_by("zone", "project", "criterion")
        .agg(
            pl.when(n >= 3)
            .then((score.sum() - score.max() - score.min()) / (n - 2))
            .otherwise(score.mean())
            .alias("score"),
            n.alias("judges"),
        )
    )


def zone_ranking(scores: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Each zone's score (mean of its projects' summed item scores), projects counted, and rank."""
    projects = item_scores(scores).group_by("zone", "project").agg(pl.col("score").sum())
    return (
        projects.group_by("zone")
        .agg(pl.col("score").mean(), pl.len().alias("projects"))
        .with_columns(pl.col("score").rank("min", descending=True).cast(pl.Int32).alias("rank"))
        .sort("rank", "zone")
        .collect()
    )
