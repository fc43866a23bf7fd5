"""The leaders' dashboard (领导驾驶舱): one page of the scope's figures, drawn with ECharts."""

from __future__ import annotations

from collections import Counter

import polars as pl
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jiju.analytics.series import derive
from jiju.assessment.models import EvaluationResult, EvaluationRun
from jiju.evaluation.scheme import loads
from jiju.monitoring import statistics
from jiju.monitoring.models import Report, ReportForm, ZoneEvaluation, ZoneResult
from jiju.monitoring.views import require_view
from jiju.registry.models import Zone
from jiju.registry.querysets import VIEW

KEY = ["revenue", "tax", "value_added", "fixed_investment", "fdi", "trade"]
TRENDS = ["revenue", "tax", "fixed_investment"]
STARS = "henan_stars"


def _latest(form: ReportForm) -> tuple[int, int] | None:
    return (
        Report.objects.filter(form=form, state=Report.APPROVED)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )


def _trends(zone_ids: list[int], year: int) -> dict:
    """Each trend indicator's monthly own value, this year and last, summed over the given zones
    (those approved in the latest period, so that every month compares the same zones)."""
    reports = Report.objects.filter(
        state=Report.APPROVED, form__code="YB01", year__in=[year - 1, year], zone_id__in=zone_ids
    )
    frame = statistics.reports_frame(reports, TRENDS)
    if frame.is_empty():
        return {}
    totals = (
        frame.group_by("year", "month", "code")
        .agg(pl.col("value").sum())
        .with_columns(pl.lit(0, dtype=pl.Int64).alias("zone"), pl.lit("").alias("city"))
    )
    own = derive(totals.select("zone", "city", "year", "month", "code", "value"), statistics.specs())
    out = {}
    for code in TRENDS:
        series = own.filter(pl.col("code") == code)
        out[code] = {
            str(y): [
                next(iter(series.filter((pl.col("year") == y) & (pl.col("month") == m))["own"].to_list()), None)
                for m in range(1, 13)
            ]
            for y in (year - 1, year)
        }
    return out


def data(user) -> dict:
    zones = Zone.objects.visible_to(user, VIEW)
    zone_ids = list(zones.values_list("pk", flat=True))
    names = dict(zones.values_list("pk", "name"))
    monthly = ReportForm.objects.filter(code="YB01").first() or ReportForm.objects.filter(frequency="month").first()
    latest = _latest(monthly) if monthly else None
    result: dict = {"zones": len(zone_ids), "period": None}
    if latest is None:
        return result
    year, month = latest
    indicators = {i.indicator.code: i.indicator for i in monthly.items.select_related("indicator")}
    totals = {r["code"]: r for r in statistics.totals(monthly, year, month, zone_ids).to_dicts()}
    result["period"] = f"{year}年1—{month}月"
    comparable = statistics.comparable_zones(monthly, year, month, zone_ids)
    result["comparable"] = len(comparable)
    result["cards"] = [
        {
            "name": indicators[c].name,
            "value": totals[c]["value"] / (1e4 if indicators[c].unit == "万元" else 1),
            "unit": "亿元" if indicators[c].unit == "万元" else indicators[c].unit,
            "growth": totals[c]["growth"],
        }
        for c in KEY
        if c in totals and c in indicators
    ]
    result["trends"] = {
        "labels": [f"{m}月" for m in range(1, 13)],
        "names": {c: indicators[c].name for c in TRENDS if c in indicators},
        "series": _trends(comparable, year),
    }
    table = statistics.period_table(monthly, year, month).filter(
        (pl.col("code") == "revenue") & pl.col("zone").is_in(zone_ids)
    )
    top = table.sort("value", descending=True).head(10)
    result["top_revenue"] = [
        {"zone": names[r["zone"]], "value": r["value"] / 1e4, "growth": r["growth"]} for r in top.to_dicts()
    ]
    fastest = table.filter(pl.col("growth").is_not_null()).sort("growth", descending=True).head(10)
    result["top_growth"] = [{"zone": names[r["zone"]], "growth": r["growth"] * 100} for r in fastest.to_dicts()]
    stars = ZoneEvaluation.objects.filter(scheme=STARS, state=ZoneEvaluation.PUBLISHED).order_by("-year").first()
    if stars:
        counts = Counter(
            ZoneResult.objects.visible_to(user, VIEW).filter(evaluation=stars).values_list("grade", flat=True)
        )
        result["stars"] = {"year": stars.year, "counts": [[g, counts.get(g, 0)] for g in _grade_order(stars)]}
    run = EvaluationRun.objects.filter(state=EvaluationRun.PUBLISHED).order_by("-year", "-published_at").first()
    if run:
        counts = Counter(
            EvaluationResult.objects.visible_to(user, VIEW).filter(run=run).values_list("grade", flat=True)
        )
        result["grades"] = {"year": run.year, "name": run.scheme_name, "counts": sorted(counts.items())}
    targets = statistics.target_progress(user, year, month)
    by_indicator: dict[str, list[int]] = {}
    for row in targets:
        counts = by_indicator.setdefault(row["target"].indicator.name, [0, 0, 0])  # on track, behind, no actual
        counts[2 if row["actual"] is None else 1 if row["behind"] else 0] += 1
    result["targets"] = {"elapsed": month / 12 * 100, "rows": [[k, *v] for k, v in by_indicator.items()]}
    periods = []
    for form in ReportForm.objects.all():
        period = _latest_any(form)
        if period is None:
            continue
        done = Report.objects.filter(
            form=form, year=period[0], month=period[1], zone_id__in=zone_ids, state=Report.APPROVED
        ).count()
        waiting = Report.objects.filter(
            form=form, year=period[0], month=period[1], zone_id__in=zone_ids, state=Report.SUBMITTED
        ).count()
        periods.append(
            {
                "form": form,
                "period": form.period_label(*period),
                "year": period[0],
                "month": period[1],
                "approved": done,
                "submitted": waiting,
                "missing": len(zone_ids) - done - waiting,
            }
        )
    result["outstanding"] = periods
    return result


def _latest_any(form: ReportForm) -> tuple[int, int] | None:
    return Report.objects.filter(form=form).order_by("-year", "-month").values_list("year", "month").first()


def _grade_order(evaluation: ZoneEvaluation) -> list[str]:
    grading = loads(evaluation.scheme_text).grading
    return [g for g, _ in grading.grades] if grading else []


@login_required
def dashboard(request):
    require_view(request.user)
    return render(request, "monitoring/dashboard.html", {"data": data(request.user)})
