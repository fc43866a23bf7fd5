"""Derived values of reported statistics: never typed, always computed from what zones report.

A report frame is long: one row per zone, period and indicator, with the columns
`zone`, `city`, `year`, `month`, `code` and `value` (the value as reported: for a
cumulative indicator (累计值) the year-to-date total, otherwise the value at the
period's end). Periods are identified by the month they end in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

SUM, MEAN, RATIO = "sum", "mean", "ratio"
KEY = ["zone", "code"]


@dataclass(frozen=True)
class Spec:
    """What the derivations need to know of an indicator (指标)."""

    code: str
    cumulative: bool = False
    aggregation: str = SUM
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0  # a ratio shown in percent has 100


def _meta(specs: Sequence[Spec]) -> pl.LazyFrame:
    return pl.LazyFrame(
        {
            "code": [s.code for s in specs],
            "cumulative": [s.cumulative for s in specs],
            "aggregation": [s.aggregation for s in specs],
        },
        schema={"code": pl.String, "cumulative": pl.Boolean, "aggregation": pl.String},
    )


def growth(now: pl.Expr, before: pl.Expr) -> pl.Expr:
    """now / before − 1, or null when there is nothing positive to compare with."""
    return pl.when(before > 0).then(now / before - 1.0)


def _ratio(applies: pl.Expr, part: pl.Expr, whole: pl.Expr) -> pl.Expr:
    """part / whole where it applies, null (missing) where the whole is 0 or missing: never ±inf or NaN."""
    return pl.when(applies & (whole != 0)).then(part / whole)


def derive(reports: pl.DataFrame | pl.LazyFrame, specs: Sequence[Spec], step: int = 1) -> pl.DataFrame:
    """Add each row's own period value, year-on-year growth, shares, ranks and contribution.

    - `own`: the period's own value (当期值): for a cumulative indicator the year-to-date
      value less the previous period's (`step` months earlier, same year); the first period
      of a year is its own value; null when the previous period was not reported.
    - `last`, `growth` (同比): the same period a year before and value / last − 1;
      `own_growth` likewise on own values.
    - `city_share`, `province_share` (占比): value / the sum over the city's zones, or over
      the province's zones in the frame (the first two digits of the city code), for the same
      period and indicator (summed indicators only). Ranks and contributions are within the
      province too: a frame of several provinces ranks each on its own.
    - `rank`, `city_rank`, `growth_rank`: 1 for the largest value / growth.
    - `contribution` (贡献率): the zone's change over the change of the total;
      `pull` (拉动): the zone's change over last year's total (summed indicators only).
      Each is missing (null) where what it divides by is 0: a total change of 0 has no
      contribution and a total of 0 last year no pull.
    """
    frame = reports.lazy().join(_meta(specs), on="code", how="left")
    previous = frame.select(*KEY, "year", (pl.col("month") + step).alias("month"), pl.col("value").alias("previous"))
    frame = frame.join(previous, on=[*KEY, "year", "month"], how="left")
    frame = frame.with_columns(
        pl.when(~pl.col("cumulative"))
        .then(pl.col("value"))
        .when(pl.col("month") <= step)
        .then(pl.col("value"))
        .otherwise(pl.col("value") - pl.col("previous"))
        .alias("own")
    )
    before = frame.select(
        *KEY,
        (pl.col("year") + 1).alias("year"),
        "month",
        pl.col("value").alias("last"),
        pl.col("own").alias("own_last"),
    )
    frame = frame.join(before, on=[*KEY, "year", "month"], how="left")
    frame = frame.with_columns(pl.col("city").str.slice(0, 2).alias("province"))
    period = ["province", "year", "month", "code"]
    summed = pl.col("aggregation") == SUM
    change = pl.col("value") - pl.col("last")
    frame = frame.with_columns(
        growth(pl.col("value"), pl.col("last")).alias("growth"),
        growth(pl.col("own"), pl.col("own_last")).alias("own_growth"),
        _ratio(summed, pl.col("value"), pl.col("value").sum().over(["city", *period])).alias("city_share"),
        _ratio(summed, pl.col("value"), pl.col("value").sum().over(period)).alias("province_share"),
        pl.col("value").rank("min", descending=True).over(period).cast(pl.Int32).alias("rank"),
        pl.col("value").rank("min", descending=True).over(["city", *period]).cast(pl.Int32).alias("city_rank"),
        _ratio(summed, change, change.sum().over(period)).alias("contribution"),
        _ratio(summed, change, pl.col("last").sum().over(period)).alias("pull"),
    )
    frame = frame.with_columns(
        pl.col("growth").rank("min", descending=True).over(period).cast(pl.Int32).alias("growth_rank")
    )
    return frame.drop("previous", "own_last", "cumulative", "aggregation", "province").collect()


def aggregate(reports: pl.DataFrame | pl.LazyFrame, specs: Sequence[Spec], by: Sequence[str]) -> pl.DataFrame:
    """Values of a group of zones (or of each zone for ratio indicators), by each indicator's rule.

    `sum` adds the zones' values, `mean` averages them, and `ratio` divides the sum of its
    numerator by the sum of its denominator (a ratio of two sums, never a mean of ratios).
    The result is long, keyed by `by` + year, month and code.
    """
    frame = reports.lazy()
    keys = [*by, "year", "month"]
    plain = [s for s in specs if s.aggregation in (SUM, MEAN)]
    sums = (
        frame.join(_meta(plain), on="code", how="inner")
        .group_by([*keys, "code"])
        .agg(
            pl.when(pl.col("aggregation").first() == MEAN)
            .then(pl.col("value").mean())
            .otherwise(pl.col("value").sum())
            .alias("value")
        )
    )
    parts = []
    for spec in specs:
        if spec.aggregation != RATIO:
            continue
        wide = (
            frame.filter(pl.col("code").is_in([spec.numerator, spec.denominator]))
            .group_by(keys)
            .agg(
                pl.col("value").filter(pl.col("code") == spec.numerator).sum().alias("n"),
                pl.col("value").filter(pl.col("code") == spec.denominator).sum().alias("d"),
            )
        )
        parts.append(
            wide.select(
                *keys,
                pl.lit(spec.code).alias("code"),
                pl.when(pl.col("d") != 0).then(pl.col("n") / pl.col("d") * spec.scale).alias("value"),
            )
        )
    return pl.concat([sums, *parts], how="vertical_relaxed").sort([*keys, "code"]).collect()


def long_frame(rows: Sequence[Mapping[str, object]], codes: Sequence[str]) -> pl.DataFrame:
    """The long report frame from report records ({zone, city, year, month, values: {code: value}})."""
    schema = {"zone": pl.Int64, "city": pl.String, "year": pl.Int32, "month": pl.Int32}
    empty = pl.DataFrame(schema={**schema, "code": pl.String, "value": pl.Float64})
    if not rows:
        return empty
    values = pl.DataFrame(
        [{code: r["values"].get(code) for code in codes} for r in rows],
        schema={code: pl.Float64 for code in codes},
        strict=False,
    )
    head = pl.DataFrame([{k: r[k] for k in schema} for r in rows], schema=schema)
    return (
        pl.concat([head, values], how="horizontal")
        .unpivot(index=list(schema), variable_name="code", value_name="value")
        .drop_nulls("value")
        .select(*schema, "code", "value")
    )
