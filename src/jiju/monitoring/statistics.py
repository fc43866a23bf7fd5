"""Approved reports as Polars frames: the one place the monitoring pages read statistics from."""

from __future__ import annotations

import polars as pl

from jiju.analytics.series import aggregate, derive, growth, long_frame
from jiju.analytics.targets import elapsed, progress
from jiju.core.divisions import city_of
from jiju.monitoring.actions import clean_values
from jiju.monitoring.models import Indicator, Report, ReportForm, Target
from jiju.platform.permissions import VIEW
from jiju.registry.models import Region


def specs() -> list:
    return [i.spec() for i in Indicator.objects.all()]


def reports_frame(reports, codes: list[str] | None = None) -> pl.DataFrame:
    """The long frame of a queryset of reports, with each zone's city (地市) code."""
    rows = [
        {"zone": zone, "city": city_of(region), "year": year, "month": month, "values": values}
        for zone, region, year, month, values in reports.values_list(
            "zone_id", "zone__region__code", "year", "month", "values"
        )
    ]
    wanted = codes if codes is not None else list(Indicator.objects.values_list("code", flat=True))
    return long_frame(rows, wanted)


def latest_period(form: ReportForm, **filters) -> tuple[int, int] | None:
    """The newest (year, month) of the form's reports that match `filters`."""
    return Report.objects.filter(form=form, **filters).order_by("-year", "-month").values_list("year", "month").first()


def with_ratios(frame: pl.DataFrame, all_specs: list | None = None) -> pl.DataFrame:
    """The frame with each zone's ratio indicators (占比 and the like) computed from their parts."""
    ratios = [s for s in (all_specs or specs()) if s.aggregation == "ratio"]
    if not ratios or frame.is_empty():
        return frame
    cities = frame.select("zone", "city").unique()
    computed = aggregate(frame, ratios, by=["zone"]).join(cities, on="zone").drop_nulls("value")
    return pl.concat([frame.filter(~pl.col("code").is_in([s.code for s in ratios])), computed.select(frame.columns)])


def derived(frame: pl.DataFrame, step: int = 1) -> pl.DataFrame:
    all_specs = specs()
    return derive(with_ratios(frame, all_specs), all_specs, step)


def annual(zones, year: int) -> pl.DataFrame:
    """One row per zone: each indicator's value for `year` (December year-to-date or year-end),
    its growth on the year before as `<code>_growth`, from approved reports of every form."""
    frame = with_ratios(
        reports_frame(Report.objects.approved().filter(zone__in=zones, year__in=[year - 1, year], month=12))
    )
    if frame.is_empty():
        return pl.DataFrame({"zone_id": []}, schema={"zone_id": pl.Int64})
    now = frame.filter(pl.col("year") == year)
    before = frame.filter(pl.col("year") == year - 1).select("zone", "code", pl.col("value").alias("last"))
    long = now.join(before, on=["zone", "code"], how="left").with_columns(
        growth(pl.col("value"), pl.col("last")).alias("growth")
    )
    values = long.pivot("code", index="zone", values="value")
    rates = long.with_columns((pl.col("code") + "_growth").alias("code")).pivot("code", index="zone", values="growth")
    return values.join(rates, on="zone", how="left").rename({"zone": "zone_id"})


def city_names() -> dict[str, str]:
    """Names of prefecture-level divisions (地市) by code."""
    return dict(Region.objects.filter(code__endswith="00").exclude(code__endswith="0000").values_list("code", "name"))


def report_lines(report: Report, posted=None) -> list[dict]:
    """The report's lines as its page shows them: the value (as typed, if `posted`), the previous
    period's and last year's, and the derived own value and growth."""
    lines = [
        {
            "code": item.indicator.code,
            "name": item.indicator.name,
            "unit": item.indicator.unit,
            "cumulative": item.indicator.cumulative,
            "computed": item.indicator.computed,
            "required": item.required,
        }
        for item in report.form.items.select_related("indicator")
    ]
    values, numbers = dict(report.values), dict(report.values)
    if posted is not None:
        values = {line["code"]: posted.get(line["code"], "") for line in lines if not line["computed"]}  # as typed
        numbers = clean_values(report.form, posted)[0]
    others = Report.objects.filter(zone=report.zone, year__in=[report.year - 1, report.year])
    if report.pk:
        others = others.exclude(pk=report.pk)
    frame = reports_frame(others)
    current = long_frame(
        [{"zone": report.zone_id, "city": "", "year": report.year, "month": report.month, "values": numbers}],
        list(numbers),
    )
    frame = pl.concat([frame.with_columns(pl.lit("").alias("city")), current]) if not frame.is_empty() else current
    step = report.form.step
    table = derived(frame, step)
    now = {
        r["code"]: r
        for r in table.filter((pl.col("year") == report.year) & (pl.col("month") == report.month)).to_dicts()
    }

    def values_at(year: int, month: int) -> dict[str, float]:
        at = table.filter((pl.col("year") == year) & (pl.col("month") == month))
        return dict(zip(at["code"].to_list(), at["value"].to_list(), strict=True))

    # Shown for reference before anything is typed: the previous period and the same one last year.
    before = values_at(report.year, report.month - step) if report.month > step else {}
    last_year = values_at(report.year - 1, report.month)
    for line in lines:
        row = now.get(line["code"], {})
        line.update(
            value=values.get(line["code"]) if not line["computed"] else row.get("value"),
            previous=before.get(line["code"]),
            last=last_year.get(line["code"]),
            own=row.get("own") if line["cumulative"] else None,
            growth=row.get("growth"),
        )
    return lines


def period_table(form, year: int, month: int) -> pl.DataFrame:
    """Every zone's derived values of a form's indicators for one period, from approved reports.

    Shares, ranks and contributions are over all zones of the province that reported; callers
    show the rows of the zones a user may see.
    """
    months = {month, month - form.step} - {0}
    reports = Report.objects.approved().filter(year__in=[year - 1, year], month__in=months)
    codes = list(form.items.values_list("indicator__code", flat=True))
    table = derived(reports_frame(reports), form.step)
    return table.filter((pl.col("year") == year) & (pl.col("month") == month) & pl.col("code").is_in(codes))


def comparable_zones(form, year: int, month: int, zone_ids: list[int] | None = None) -> list[int]:
    """The zones whose report of the period is approved: totals of both years are taken over
    them alone (同口径), so that a zone not yet approved does not read as a fall."""
    reports = Report.objects.approved().filter(form=form, year=year, month=month)
    if zone_ids is not None:
        reports = reports.filter(zone_id__in=zone_ids)
    return list(reports.values_list("zone_id", flat=True))


def totals(form, year: int, month: int, zone_ids: list[int] | None = None, by: tuple[str, ...] = ()) -> pl.DataFrame:
    """Each indicator of the form summed (or averaged, or as a ratio of sums) over the comparable
    zones, grouped `by` (nothing for the whole scope, "city" for each city): this year's value,
    last year's and the growth."""
    reports = Report.objects.approved().filter(
        year__in=[year - 1, year], month=month, zone_id__in=comparable_zones(form, year, month, zone_ids)
    )
    frame = reports_frame(reports)
    schema = {**dict.fromkeys(by, pl.String), "code": pl.String, "value": pl.Float64}
    if frame.is_empty():
        return pl.DataFrame(schema={**schema, "last": pl.Float64, "growth": pl.Float64})
    codes = list(form.items.values_list("indicator__code", flat=True))
    summed = aggregate(frame, specs(), by=list(by)).filter(pl.col("code").is_in(codes))
    now = summed.filter(pl.col("year") == year).select(*by, "code", "value")
    last = summed.filter(pl.col("year") == year - 1).select(*by, "code", pl.col("value").alias("last"))
    return now.join(last, on=[*by, "code"], how="left").with_columns(
        growth(pl.col("value"), pl.col("last")).alias("growth")
    )


# A sum in 万元 reads in 亿元 on the dashboard and in the bulletin; other units as they are.
SCALES = {"万元": (1e4, "亿元")}


def scaled(value: float | None, unit: str) -> tuple[float | None, str]:
    factor, shown = SCALES.get(unit, (1, unit))
    return (None if value is None else value / factor), shown


def headline(form: ReportForm, totals: pl.DataFrame, codes: list[str]) -> list[dict]:
    """The main figures of `totals` in the order of `codes`: name, value and unit as read, growth."""
    indicators = {item.indicator.code: item.indicator for item in form.items.select_related("indicator")}
    found = {row["code"]: row for row in totals.to_dicts()}
    figures = []
    for code in codes:
        if code in found and code in indicators:
            value, unit = scaled(found[code]["value"], indicators[code].unit)
            figures.append(
                {"name": indicators[code].name, "value": value, "unit": unit, "growth": found[code]["growth"]}
            )
    return figures


def target_progress(user, year: int, month: int) -> list[dict]:
    """Each visible target with its year-to-date actual from approved reports and its completion."""
    targets = list(
        Target.objects.visible_to(user, VIEW).filter(year=year).select_related("zone", "indicator", "zone__region")
    )
    if not targets:
        return []
    # Actuals from every form that carries a target's indicator and has a period ending in `month`.
    actuals: dict[tuple[int, str], float] = {}
    wanted = {t.indicator_id for t in targets}
    for form in ReportForm.objects.filter(items__indicator__in=wanted).distinct():
        if month % form.step == 0:
            table = period_table(form, year, month).select("zone", "code", "value")
            actuals.update({(zone, code): value for zone, code, value in table.iter_rows()})
    frame = pl.DataFrame(
        [
            {
                "target_id": t.pk,
                "zone": t.zone_id,
                "code": t.indicator.code,
                "target": t.value,
                "actual": actuals.get((t.zone_id, t.indicator.code)),
            }
            for t in targets
        ],
        schema={"target_id": pl.Int64, "zone": pl.Int64, "code": pl.String, "target": pl.Float64, "actual": pl.Float64},
    )
    done = {r["target_id"]: r for r in progress(frame, elapsed(month)).to_dicts()}
    cities = city_names()
    return [
        {
            "target": t,
            "city": cities.get(city_of(t.zone.region.code), ""),
            **{k: done[t.pk][k] for k in ("actual", "completion", "gap", "behind")},
        }
        for t in targets
    ]
