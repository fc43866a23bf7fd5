"""What a leader reads off a run: zones compared, grades moved since last year, and the policy per grade."""

from __future__ import annotations

import tomllib
from collections import Counter

import polars as pl

from jiju.assessment import frames
from jiju.assessment.models import EnterpriseYear, EvaluationResult, EvaluationRun
from jiju.core import units

WAN = float(units.MoneyUnit.WAN.yuan)


def zone_summary(run: EvaluationRun, results) -> list[dict]:
    """Per zone: firms graded, grade counts, 亩均税收 and 亩均增加值 (万元/亩) over graded firms, rank."""
    rows = list(results.exclude(grade="T").values("enterprise_id", "enterprise__zone__name", "grade"))
    if not rows:
        return []
    ids = results.exclude(grade="T").order_by().values("enterprise_id")
    reported = EnterpriseYear.objects.filter(year=run.year, enterprise_id__in=ids).values_list(
        "enterprise_id", "tax", "value_added"
    )
    money = {pk: (tax, va) for pk, tax, va in reported}
    land, _ = frames.land_by_enterprise(ids, "land_share")
    frame = pl.DataFrame(
        {
            "zone": [r["enterprise__zone__name"] or "（园区外）" for r in rows],
            "grade": [r["grade"] for r in rows],
            "tax": [(money.get(r["enterprise_id"], (None, None))[0] or 0) / WAN for r in rows],
            "va": [(money.get(r["enterprise_id"], (None, None))[1] or 0) / WAN for r in rows],
            "land": [land.get(r["enterprise_id"], 0.0) for r in rows],
        }
    )
    grades = sorted(frame["grade"].unique().to_list())
    table = (
        frame.group_by("zone")
        .agg(
            pl.len().alias("firms"),
            *(pl.col("grade").eq(g).sum().alias(f"grade_{g}") for g in grades),
            (pl.col("tax").sum() / pl.col("land").sum()).alias("tax_per_mu"),
            (pl.col("va").sum() / pl.col("land").sum()).alias("va_per_mu"),
        )
        .with_columns(pl.col("tax_per_mu").rank("min", descending=True).alias("rank"))
        .sort("rank")
    )
    return [{**row, "grades": [(g, row[f"grade_{g}"]) for g in grades]} for row in table.iter_rows(named=True)]


def previous_run(run: EvaluationRun) -> EvaluationRun | None:
    """Last year's published run of the same scheme."""
    return (
        EvaluationRun.objects.filter(scheme=run.scheme, year=run.year - 1, state=EvaluationRun.PUBLISHED)
        .order_by("-published_at")
        .first()
    )


def grade_migration(run: EvaluationRun, results) -> tuple[list[str], list[tuple[str, list[int]]]] | None:
    """Firms by last year's grade (rows) and this year's (columns), for firms graded in both."""
    before = previous_run(run)
    if before is None:
        return None
    now = dict(results.values_list("enterprise_id", "grade"))
    then = dict(
        EvaluationResult.objects.filter(run=before, enterprise_id__in=now).values_list("enterprise_id", "grade")
    )
    pairs = Counter((then[e], now[e]) for e in then)
    grades = sorted({g for pair in pairs for g in pair})
    return grades, [(g, [pairs.get((g, h), 0) for h in grades]) for g in grades]


POLICY_ITEMS = (
    ("electricity_surcharge", "差别化电价加价（元/千瓦时）"),
    ("water_price_change", "差别化水价调整"),
    ("land_tax_relief", "城镇土地使用税减免"),
    ("note", "其他措施"),
)


def policies(run: EvaluationRun) -> list[dict]:
    """The scheme's `[[policies]]` per grade, as configured by the office."""
    configured = tomllib.loads(run.scheme_text).get("policies", [])
    return [
        {"grade": p.get("grade", ""), "items": [(label, p.get(key)) for key, label in POLICY_ITEMS]} for p in configured
    ]
