"""The downgrade watch (预警名单): a zone in the bottom five twice within three years."""

from __future__ import annotations

import polars as pl


def downgrade_watch(
    ranks: pl.DataFrame | pl.LazyFrame, year: int, bottom: int = 5, times: int = 2, window: int = 3
) -> pl.DataFrame:
    """Zones ranked in the last `bottom` places at least `times` times in the `window` years ending in `year`.

    `ranks` has one row per zone and year: `zone`, `year`, `rank` and `count` (how many zones
    were ranked that year). The result lists each such zone with its bottom years, newest first.
    """
    return (
        ranks.lazy()
        .filter(pl.col("year").is_between(year - window + 1, year))
        .filter(pl.col("rank") > pl.col("count") - bottom)
        .group_by("zone")
        .agg(
            pl.col("year").sort(descending=True).alias("years"),
            pl.col("rank").sort_by("year", descending=True).alias("ranks"),
        )
        .filter(pl.col("years").list.len() >= times)
        .sort("zone")
        .collect()
    )
