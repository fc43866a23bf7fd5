"""Zone evaluation and ranking (开发区考核评价): a shipped zone scheme applied to a year's approved figures.

Zones are ranked overall and within their level, kind and city; a published evaluation
is frozen and makes the zone's history (rank and stars year by year) and the downgrade watch.
"""

from __future__ import annotations

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count

from jiju.analytics.watch import downgrade_watch
from jiju.assessment.evaluations import breakdown, clean
from jiju.core import units
from jiju.core.divisions import city_of
from jiju.evaluation import engine
from jiju.evaluation.scheme import loads, shipped
from jiju.monitoring.models import Report, ZoneEvaluation, ZoneResult
from jiju.monitoring.statistics import annual
from jiju.platform import params, runs
from jiju.platform.actions import action
from jiju.platform.permissions import PUBLISH, REVIEW, VIEW, Scope
from jiju.platform.runs import do_publish_run
from jiju.platform.scoping import made_for
from jiju.registry.models import Zone

ZONES = "zones"
GROUPS = {"level_rank": "level", "kind_rank": "kind", "city_rank": "city"}


def schemes() -> dict[str, str]:
    """Shipped zone schemes by key, with their names."""
    return {key: loads(path.read_text(encoding="utf-8")).name for key, path in shipped(ZONES).items()}


def _require(user) -> None:
    if not Scope.of(user).allows(REVIEW, Report):
        raise PermissionDenied("仅省、市开发区办可以发起和发布开发区考核评价")


def frame(zones, year: int) -> pl.DataFrame:
    """The evaluation input: each zone's annual figures, growth, built-up area, level, kind and city."""
    registry = pl.DataFrame(
        [
            {
                "zone_id": z.pk,
                "level": z.level,
                "kind": z.kind,
                "city": city_of(z.region.code),
                "registry_area": None
                if z.built_area_m2 is None
                else units.from_m2(z.built_area_m2, units.AreaUnit.KM2),
            }
            for z in zones.select_related("region")
        ],
        schema={
            "zone_id": pl.Int64,
            "level": pl.String,
            "kind": pl.String,
            "city": pl.String,
            "registry_area": pl.Float64,
        },
    )
    figures = annual(zones, year)
    joined = registry.join(figures, on="zone_id", how="inner")
    area = pl.col("built_area") if "built_area" in joined.columns else pl.lit(None, dtype=pl.Float64)
    return joined.with_columns(area.fill_null(pl.col("registry_area")).alias("built_area")).drop("registry_area")


@action("monitoring.ZoneEvaluation", REVIEW)
@transaction.atomic
def do_evaluate_zones(user, scheme_key: str, year: int) -> ZoneEvaluation:
    """Evaluate the zones in the user's scope that have approved figures for `year`."""
    _require(user)
    year = params.year(year)
    path = shipped(ZONES).get(scheme_key)
    if path is None:
        raise PermissionDenied("未知的评价方案")
    text = path.read_text(encoding="utf-8")
    scheme = loads(text)
    data = frame(Zone.objects.visible_to(user, VIEW), year)
    if data.is_empty():
        raise PermissionDenied(f"{year}年没有已审核的开发区统计数据，无法评价")
    for column in engine.referenced_columns(scheme) - set(data.columns):
        data = data.with_columns(pl.lit(None, dtype=pl.Float64).alias(column))
    result = engine.evaluate(scheme, data)
    ranked = pl.col("score").rank("min", descending=True)
    result = result.with_columns(
        pl.when(pl.col("rank").is_not_null()).then(ranked.over(group)).alias(name) for name, group in GROUPS.items()
    )
    evaluation = ZoneEvaluation.objects.create(
        scheme=scheme_key, scheme_name=scheme.name, scheme_text=text, year=year, created_by=user, **made_for(user)
    )
    ZoneResult.objects.bulk_create(
        ZoneResult(
            evaluation=evaluation,
            zone_id=row["zone_id"],
            score=clean(row["score"]),
            rank=row["rank"],
            level_rank=row["level_rank"],
            kind_rank=row["kind_rank"],
            city_rank=row["city_rank"],
            grade=row.get("grade") or "",
            excluded_reason=row.get(engine.REASON) or "",
            breakdown=breakdown(scheme, row),
        )
        for row in result.iter_rows(named=True)
    )
    return evaluation


@action("monitoring.ZoneEvaluation", PUBLISH)
def do_publish_zones(user, evaluation: ZoneEvaluation) -> ZoneEvaluation:
    """Publish for the evaluation's scope: it replaces only that scope's publication of the year."""
    _require(user)
    if evaluation.state in runs.FROZEN:
        raise PermissionDenied("该评价已发布")
    return do_publish_run(user, evaluation)


def history(user, scheme_key: str) -> pl.DataFrame:
    """Each zone's rank, ranked count and grade by year in the scheme's published evaluations."""
    rows = list(
        ZoneResult.objects.visible_to(user, VIEW)
        .filter(evaluation__scheme=scheme_key, evaluation__state=ZoneEvaluation.PUBLISHED, rank__isnull=False)
        .values_list("zone_id", "evaluation__year", "rank", "grade", "evaluation_id")
    )
    frame = pl.DataFrame(
        rows,
        schema={"zone": pl.Int64, "year": pl.Int32, "rank": pl.Int32, "grade": pl.String, "evaluation": pl.Int64},
        orient="row",
    )
    counts = (
        ZoneResult.objects.filter(evaluation_id__in=frame["evaluation"].unique().to_list(), rank__isnull=False)
        .values_list("evaluation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ranked = pl.DataFrame(list(counts), schema={"evaluation": pl.Int64, "count": pl.UInt32}, orient="row")
    return frame.join(ranked, on="evaluation", how="left").drop("evaluation")


def watch(ranks: pl.DataFrame) -> tuple[int | None, pl.DataFrame]:
    """The latest year of a `history` and the zones on the downgrade watch as of it."""
    if ranks.is_empty():
        return None, ranks
    year = int(ranks["year"].max())
    return year, downgrade_watch(ranks, year)
