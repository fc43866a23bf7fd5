"""The Excel sheets of on-site rating events (观摩点评) and of target letters, in and out.

Both imports are all-or-nothing, with every fault named by row and column and a
red-marked copy of the file, as every other import.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import transaction

from jiju.analytics.rating import zone_ranking
from jiju.changelog.context import IMPORT, changes_by
from jiju.core import values
from jiju.ingest import mapping as m
from jiju.ingest.reading import ReadError, read_table
from jiju.monitoring.actions import ImportOutcome, do_set_target, refuse, unreadable
from jiju.monitoring.models import Indicator, RatingEvent, RatingScore, Target
from jiju.platform import files
from jiju.platform.actions import action, check_placement, placement
from jiju.platform.files import reading_limits
from jiju.platform.permissions import ADD, REVIEW, VIEW, Scope
from jiju.platform.scoping import made_for
from jiju.platform.tables import Col
from jiju.registry.actions import do_bulk_create
from jiju.registry.models import Zone

TARGET_CODES = ["revenue", "tax", "fixed_investment", "fdi"]


class RatingError(ValueError):
    """A rating event that cannot be created, said in Chinese."""


@action("monitoring.RatingEvent", REVIEW)
def do_create_event(user, name: str, date: str, criteria: str) -> RatingEvent:
    """A rating event; `criteria` as 名称:满分 pairs separated by commas or new lines."""
    if not Scope.of(user).allows(REVIEW, RatingEvent):
        raise RatingError("仅省、市开发区办可以组织观摩点评")
    if not name.strip():
        raise RatingError("请填写活动名称")
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise RatingError("请按 年-月-日 填写活动日期") from None
    parsed = []
    for part in criteria.replace("，", ",").replace("\n", ",").split(","):
        if not part.strip():
            continue
        label, _, top = part.replace("：", ":").partition(":")
        try:
            # NaN, Infinity and 1e400 pass float(); a maximum has to be a finite number above zero.
            most = values.decimal(top.strip())
        except values.BadValue:
            most = None
        if not label.strip() or most is None or most <= 0:
            raise RatingError(f"评分项目“{part.strip()}”应写成 名称:满分（满分为大于0的数），如 项目建设进度:40")
        parsed.append({"name": label.strip(), "max": float(most)})
    if not parsed:
        raise RatingError("请至少填写一个评分项目，如 项目建设进度:40")
    return RatingEvent.objects.create(name=name.strip(), date=day, criteria=parsed, created_by=user, **made_for(user))


def _header(criterion: dict) -> str:
    return f"{criterion['name']}（满分{criterion['max']:g}）"


def scores_template(user, event: RatingEvent) -> bytes:
    headers = ["评委", "开发区", "观摩项目", *(_header(c) for c in event.criteria)]
    zones = Zone.objects.visible_to(user, VIEW).order_by("region__code", "name").values_list("name", flat=True)
    return files.grid_to_xlsx([("评分表", headers, [["", name, ""] for name in zones])])


@action("monitoring.RatingScore", REVIEW)
def do_import_scores(user, event: RatingEvent, data: bytes, filename: str) -> ImportOutcome:
    """The judges' scores of a file, replacing what those judges scored before in the user's zones."""
    scope = Scope.of(user)
    if not scope.allows(REVIEW, RatingEvent) or not scope.covers(*placement(event)):
        return ImportOutcome(False, errors=[m.RowError(0, "", "", "仅组织该活动的省、市开发区办可以录入评分")])
    criteria = {_header(c): c for c in event.criteria}
    columns = [
        m.Column("judge", ("评委",), m.text(50), True),
        m.Column("zone", ("开发区",), m.text(100), True),
        m.Column("project", ("观摩项目",), m.text(100), True),
        *(m.Column(header, (header, c["name"]), m.non_negative, True) for header, c in criteria.items()),
    ]
    try:
        table = read_table(data, filename, {"评委", "开发区", "观摩项目", *criteria}, reading_limits())
    except ReadError as exc:
        return unreadable(filename, exc)
    mapped = m.map_table(table, columns)
    errors = list(mapped.errors)
    faulty = {e.row for e in errors}  # a row with a refused cell is reported already and read no further
    zones = dict(Zone.objects.visible_to(user, VIEW).values_list("name", "pk"))
    scores: list[RatingScore] = []
    seen: dict[tuple, int] = {}
    for row, record in mapped.records:
        if row in faulty:
            continue
        zone = zones.get(record.get("zone") or "")
        if record.get("zone") and zone is None:
            errors.append(m.RowError(row, "开发区", record["zone"], "未在您的管辖范围内找到该开发区"))
            continue
        key = (record.get("judge"), zone, record.get("project"))
        if key in seen:
            reason = f"同一评委对同一项目重复评分（与第{seen[key]}行相同）"
            errors.append(m.RowError(row, "评委", str(record.get("judge")), reason))
        seen.setdefault(key, row)
        for header, criterion in criteria.items():
            value = record.get(header)
            if value is None:
                continue
            if float(value) > criterion["max"]:
                errors.append(
                    m.RowError(row, mapped.headers.get(header, header), str(value), f"超过满分{criterion['max']:g}")
                )
                continue
            scores.append(
                RatingScore(
                    event=event,
                    judge=record["judge"],
                    zone_id=zone,
                    project=record["project"],
                    criterion=criterion["name"],
                    score=float(value),
                )
            )
    if errors:
        return refuse(user, data, filename, errors, table.header_row)
    with transaction.atomic(), changes_by(user, IMPORT):
        # Deleting through the queryset sends each row's signal, so every replaced score is logged.
        RatingScore.objects.visible_to(user, VIEW).filter(event=event, judge__in={s.judge for s in scores}).delete()
        do_bulk_create(RatingScore, scores, batch_size=2000)
    return ImportOutcome(True, count=len(scores))


RANKING_COLUMNS = [
    Col("rank", "排名", lambda r: r["rank"]),
    Col("zone", "开发区", lambda r: r["zone_name"]),
    Col("projects", "观摩项目数", lambda r: r["projects"]),
    Col("score", "得分", lambda r: round(r["score"], 2)),
]


def ranking(user, event: RatingEvent) -> list[dict]:
    """Zones ranked on their trimmed-mean scores; ranks are over all zones of the event."""
    rows = list(event.scores.values_list("judge", "zone_id", "project", "criterion", "score"))
    if not rows:
        return []
    frame = pl.DataFrame(rows, schema=["judge", "zone", "project", "criterion", "score"], orient="row")
    names = dict(Zone.objects.visible_to(user, VIEW).values_list("pk", "name"))
    return [{**r, "zone_name": names[r["zone"]]} for r in zone_ranking(frame).to_dicts() if r["zone"] in names]


def targets_template(user) -> bytes:
    indicators = list(Indicator.objects.filter(code__in=TARGET_CODES))
    zones = Zone.objects.visible_to(user, VIEW).order_by("region__code", "name").values_list("name", flat=True)
    rows = [[name, i.code, i.name, i.unit, ""] for name in zones for i in indicators]
    return files.grid_to_xlsx([("目标任务", ["开发区", "指标代码", "指标名称", "计量单位", "目标值"], rows)])


@action("monitoring.Target", ADD)
def do_import_targets(user, year: int, data: bytes, filename: str) -> ImportOutcome:
    """A year's targets from a filled template, all or none."""
    columns = [
        m.Column("zone", ("开发区",), m.text(100), True),
        m.Column("code", ("指标代码",), m.text(40), True),
        m.Column("value", ("目标值",), m.non_negative),
    ]
    try:
        table = read_table(data, filename, {"开发区", "指标代码", "目标值"}, reading_limits())
    except ReadError as exc:
        return unreadable(filename, exc)
    mapped = m.map_table(table, columns)
    errors = list(mapped.errors)
    faulty = {e.row for e in errors}
    zones = {z.name: z for z in Zone.objects.visible_to(user, VIEW).select_related("region")}
    indicators = {i.code: i for i in Indicator.objects.all()}
    wanted = []
    seen: dict[tuple, tuple[int, object]] = {}
    for row, record in mapped.records:
        if row in faulty or record.get("value") is None:
            continue
        key = (record.get("zone"), record.get("code"))
        if key in seen:
            first, value = seen[key]
            if value != record["value"]:
                reason = f"与第{first}行同一开发区、同一指标的目标值（{value}）不一致"
                errors.append(m.RowError(row, "目标值", str(record["value"]), reason))
            continue
        seen[key] = (row, record["value"])
        zone, indicator = zones.get(record.get("zone") or ""), indicators.get(record.get("code") or "")
        if zone is None:
            errors.append(m.RowError(row, "开发区", str(record.get("zone")), "未在您的管辖范围内找到该开发区"))
        if indicator is None:
            errors.append(m.RowError(row, "指标代码", str(record.get("code")), "没有这个指标代码"))
        if zone and indicator:
            try:
                check_placement(user, Target(zone=zone, year=year, indicator=indicator, value=0), ADD)
            except PermissionDenied as exc:
                errors.append(m.RowError(row, "开发区", zone.name, str(exc)))
            wanted.append((zone, indicator, float(record["value"])))
    if not wanted and not errors:
        errors.append(m.RowError(table.header_row, "目标值", "", "文件中没有填写任何目标值，未导入"))
    if errors:
        return refuse(user, data, filename, errors, table.header_row)
    with transaction.atomic(), changes_by(user, IMPORT):
        for zone, indicator, value in wanted:
            do_set_target(user, zone, year, indicator, value)
    return ImportOutcome(True, count=len(wanted))
