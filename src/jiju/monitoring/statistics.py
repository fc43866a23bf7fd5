"""Approved reports as Polars frames: the one place the monitoring pages read statistics from."""

from __future__ import annotations

import polars as pl

from jiju.analytics.series import aggregate, derive, long_frame
from jiju.monitoring.models import Indicator, Report


def specs() -> list:
    return [i.spec() for i in Indicator.objects.all()]


def reports_frame(reports, codes: list[str] | None = None) -> pl.DataFrame:
    """The long frame of a queryset of reports, with each zone's city (地市) code."""
    rows = [
        {"zone": zone, "city": region[:4] + "00", "year": year, "month": month, "values": values}
        for zone, region, year, month, values in reports.values_list(
            "zone_id", "zone__region__code", "year", "month", "values"
        )
    ]
    wanted = codes if codes is not None else list(Indicator.objects.values_list("code", flat=True))
    return long_frame(rows, wanted)


def approved(zones, **filters):
    """Approved reports of the given zones; the figures every ranking and bulletin is built on."""
    return Report.objects.filter(zone__in=zones, state=Report.APPROVED, **filters)


def with_ratios(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each zone's ratio indicators (占比 and the like) computed from their parts."""
    ratios = [s for s in specs() if s.aggregation == "ratio"]
    if not ratios or frame.is_empty():
        return frame
    cities = frame.select("zone", "city").unique()
    computed = aggregate(frame, ratios, by=["zone"]).join(cities, on="zone").drop_nulls("value")
    return pl.concat([frame.filter(~pl.col("code").is_in([s.code for s in ratios])), computed.select(frame.columns)])


def derived(frame: pl.DataFrame, step: int = 1) -> pl.DataFrame:
    return derive(with_ratios(frame), specs(), step)


def annual(zones, year: int) -> pl.DataFrame:
    """One row per zone: each indicator's value for `year` (December year-to-date or year-end),
    its growth on the year before as `<code>_growth`, from approved reports of every form."""
    frame = with_ratios(reports_frame(approved(zones, year__in=[year - 1, year], month=12)))
    if frame.is_empty():
        return pl.DataFrame({"zone_id": []}, schema={"zone_id": pl.Int64})
    now = frame.filter(pl.col("year") == year)
    before = frame.filter(pl.col("year") == year - 1).select("zone", "code", pl.col("value").alias("last"))
    long = now.join(before, on=["zone", "code"], how="left").with_columns(
        pl.when(pl.col("last") > 0).then(pl.col("value") / pl.col("last") - 1).alias("growth")
    )
    values = long.pivot("code", index="zone", values="value")
    growth = long.with_columns((pl.col("code") + "_growth").alias("code")).pivot("code", index="zone", values="growth")
    return values.join(growth, on="zone", how="left").rename({"zone": "zone_id"})
