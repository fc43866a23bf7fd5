"""The leaders' dashboard (领导驾驶舱): one page of the scope's figures, drawn with ECharts."""

from __future__ import annotations

from collections import Counter

import polars as pl
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from jiju.analytics.series import aggregate, derive
from jiju.assessment.models import EvaluationResult, EvaluationRun
from jiju.evaluation.scheme import loads
from jiju.monitoring import statistics
from jiju.monitoring.models import Indicator, Report, ReportForm, ZoneEvaluation, ZoneResult, to_date_label
from jiju.monitoring.views import form_or_404, require_view
from jiju.platform.permissions import VIEW
from jiju.registry.models import Zone

KEY = ["revenue", "tax", "value_added", "fixed_investment", "fdi", "trade"]
TRENDS = ["revenue", "tax", "fixed_investment"]
STARS = "henan_stars"


def _trends(form: ReportForm, zone_ids: list[int], year: int) -> dict:
    """Each trend indicator's monthly own value, this year and last, summed over the given zones
    (those approved in the latest period, so that every month compares the same zones)."""
    reports = Report.objects.approved().filter(form=form, year__in=[year - 1, year], zone_id__in=zone_ids)
    frame = statistics.reports_frame(reports, TRENDS)
    if frame.is_empty():
        return {}
    specs = statistics.specs()
    totals = aggregate(frame, specs, by=[]).with_columns(
        pl.lit(0, dtype=pl.Int64).alias("zone"), pl.lit("").alias("city")
    )
    own = derive(totals.select("zone", "city", "year", "month", "code", "value"), specs)
    found = {(code, y, m): value for code, y, m, value in own.select("code", "year", "month", "own").iter_rows()}
    return {
        code: {str(y): [found.get((code, y, m)) for m in range(1, 13)] for y in (year - 1, year)} for code in TRENDS
    }


def _reporting(zone_ids: list[int]) -> list[dict]:
    """Per form, its newest period and how many of the zones are approved, awaiting review, not in."""
    periods = []
    for form in ReportForm.objects.all():
        period = statistics.latest_period(form)
        if period is None:
            continue
        counts = Report.objects.filter(form=form, year=period[0], month=period[1], zone_id__in=zone_ids).aggregate(
            approved=Count("pk", filter=Q(state=Report.APPROVED)),
            submitted=Count("pk", filter=Q(state=Report.SUBMITTED)),
        )
        periods.append(
            {
                "form": form,
                "period": form.period_label(*period),
                "year": period[0],
                "month": period[1],
                **counts,
                "missing": len(zone_ids) - counts["approved"] - counts["submitted"],
            }
        )
    return periods


def data(user) -> dict:
    zones = Zone.objects.visible_to(user, VIEW)
    names = dict(zones.values_list("pk", "name"))
    zone_ids = list(names)
    monthly = form_or_404(None)
    latest = statistics.latest_period(monthly, state=Report.APPROVED)
    result: dict = {"zones": len(zone_ids), "period": None}
    if latest is None:
        return result
    year, month = latest
    indicators = {i.indicator.code: i.indicator for i in monthly.items.select_related("indicator")}
    comparable = statistics.comparable_zones(monthly, year, month, zone_ids)
    result["period"] = to_date_label(year, month)
    result["comparable"] = len(comparable)
    result["cards"] = statistics.headline(monthly, statistics.totals(monthly, year, month, zone_ids), KEY)
    result["trends"] = {
        "labels": [f"{m}月" for m in range(1, 13)],
        "names": dict(Indicator.objects.filter(code__in=TRENDS).values_list("code", "name")),
        "series": _trends(monthly, comparable, year),
    }
    table = statistics.period_table(monthly, year, month).filter(
        (pl.col("code") == "revenue") & pl.col("zone").is_in(zone_ids)
    )
    top = table.sort("value", descending=True).head(10)
    unit = indicators["revenue"].unit if "revenue" in indicators else ""
    result["top_revenue"] = [
        {"zone": names[r["zone"]], "value": statistics.scaled(r["value"], unit)[0], "growth": r["growth"]}
        for r in top.to_dicts()
    ]
    fastest = table.filter(pl.col("growth").is_not_null()).sort("growth", descending=True).head(10)
    result["top_growth"] = [{"zone": names[r["zone"]], "growth": r["growth"] * 100} for r in fastest.to_dicts()]
    stars = (
        ZoneEvaluation.objects.visible_to(user)
        .filter(scheme=STARS, state=ZoneEvaluation.PUBLISHED)
        .order_by("-year", "-published_at")
        .first()
    )
    if stars:
        counts = Counter(
            ZoneResult.objects.visible_to(user, VIEW).filter(evaluation=stars).values_list("grade", flat=True)
        )
        result["stars"] = {"year": stars.year, "counts": [[g, counts.get(g, 0)] for g in _grade_order(stars)]}
    run = (
        EvaluationRun.objects.visible_to(user)
        .filter(state=EvaluationRun.PUBLISHED)
        .order_by("-year", "-published_at")
        .first()
    )
    if run:
        counts = Counter(
            EvaluationResult.objects.visible_to(user, VIEW).filter(run=run).values_list("grade", flat=True)
        )
        result["grades"] = {"year": run.year, "name": run.scheme_name, "counts": sorted(counts.items())}
    by_indicator: dict[str, list[int]] = {}
    for row in statistics.target_progress(user, year, month):
        counts = by_indicator.setdefault(row["target"].indicator.name, [0, 0, 0])  # on track, behind, no actual
        counts[2 if row["actual"] is None else 1 if row["behind"] else 0] += 1
    result["targets"] = {"elapsed": month / 12 * 100, "rows": [[k, *v] for k, v in by_indicator.items()]}
    result["outstanding"] = _reporting(zone_ids)
    return result


def _grade_order(evaluation: ZoneEvaluation) -> list[str]:
    grading = loads(evaluation.scheme_text).grading
    return [g for g, _ in grading.grades] if grading else []


@login_required
def dashboard(request):
    require_view(request.user)
    return render(request, "monitoring/dashboard.html", {"data": data(request.user)})
