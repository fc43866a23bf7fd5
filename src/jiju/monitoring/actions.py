"""Every change to zone reports, deadlines and targets goes through these functions.

The workflow: a zone fills a report (draft), submits it (the checks run; a missing
required value refuses it, every warning needs a written explanation), the city office
approves it (locked) or returns it with a comment; only a province administrator
unlocks an approved report, with a reason, and the changelog keeps all of it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from jiju.analytics.checks import MISSING, Finding, check_report, finding_key
from jiju.assessment.actions import keep_marked
from jiju.assessment.models import EnterpriseYear
from jiju.changelog.context import IMPORT, changes_by
from jiju.core.divisions import chain, scope_prefix
from jiju.core.values import BadValue, finite
from jiju.ingest import mapping as m
from jiju.ingest.departments import annotate
from jiju.ingest.reading import ReadError, read_grid, table_of
from jiju.monitoring.models import Deadline, FormItem, Indicator, Report, ReportForm, Target
from jiju.platform import params
from jiju.platform.actions import NotInScope, action, check_placement, get_for
from jiju.platform.files import reading_limits
from jiju.platform.permissions import ADD, CHANGE, CONFIGURE, REVIEW, UNLOCK, VIEW, Scope
from jiju.platform.scoping import made_for
from jiju.registry.models import Enterprise, Zone

# Departmental data is yearly and in 元; a zone's figure is compared with it on its December report.
_YEARLY_SOURCES = {"tax": 1e4, "revenue": 1e4, "output": 1e4, "value_added": 1e4, "employees": 1}


class Refused(Exception):
    """A submission that cannot go on, with every reason."""

    def __init__(self, reasons: list[str]):
        super().__init__("；".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Context:
    """What the checks compare a report with."""

    previous: Mapping[str, float | None] = field(default_factory=dict)
    last_year: Mapping[str, float | None] = field(default_factory=dict)
    enterprises: Mapping[str, float] = field(default_factory=dict)


def items(form: ReportForm) -> list:
    """The form's lines with their indicators, in order."""
    return list(form.items.select_related("indicator"))


def typed_items(form: ReportForm) -> list:
    return [item for item in items(form) if not item.indicator.computed]


def report_for(user, form: ReportForm, zone: Zone, year: int, month: int) -> Report:
    """The zone's report of the period, or a new unsaved one if the user may fill it."""
    existing = Report.objects.visible_to(user, VIEW).filter(form=form, zone=zone, year=year, month=month).first()
    if existing is not None:
        return existing
    report = Report(form=form, zone=zone, year=year, month=month)
    try:
        check_placement(user, report, ADD)
    except PermissionDenied:
        raise NotInScope("统计报表不存在") from None
    return report


def context_for(report: Report) -> Context:
    """The previous period of the same year, the same period last year, and the enterprises' totals."""
    siblings = Report.objects.filter(form=report.form, zone=report.zone)
    step = report.form.step
    previous = {}
    if report.month > step:
        previous = (
            siblings.filter(year=report.year, month=report.month - step).values_list("values", flat=True).first() or {}
        )
    last_year = siblings.filter(year=report.year - 1, month=report.month).values_list("values", flat=True).first() or {}
    sources = {item.indicator.code: item.indicator.enterprise_source for item in items(report.form)}
    enterprises: dict[str, float] = {}
    if "firms_above" in sources.values():
        count = Enterprise.objects.filter(zone=report.zone, scale="above").count()
        enterprises.update({code: float(count) for code, s in sources.items() if s == "firms_above"})
    yearly = {code: s for code, s in sources.items() if s in _YEARLY_SOURCES}
    if yearly and report.month == 12:
        data = EnterpriseYear.objects.filter(enterprise__zone=report.zone, year=report.year)
        sums = data.aggregate(n=Count("pk"), **{s: Sum(s) for s in set(yearly.values())})
        if sums.pop("n"):
            for code, source in yearly.items():
                if sums[source] is not None:
                    enterprises[code] = sums[source] / _YEARLY_SOURCES[source]
    return Context(previous, last_year, enterprises)


def findings_for(report: Report) -> list[Finding]:
    """What the checks find on the report's values now."""
    names = dict(Indicator.objects.values_list("code", "name"))
    rules = [item.indicator.rule(item.required, names) for item in typed_items(report.form)]
    context = context_for(report)
    return check_report(
        rules,
        report.values,
        context.previous,
        context.last_year,
        context.enterprises,
        report.form.tolerance / 100,
    )


def clean_values(form: ReportForm, raw: Mapping[str, object]) -> tuple[dict[str, float], list[str]]:
    """Numbers for the form's typed indicators from text, with a message for each unreadable one."""
    values, errors = {}, []
    for item in typed_items(form):
        text = str(raw.get(item.indicator.code) or "").strip().replace(",", "").replace("，", "")
        if text in m.EMPTY:
            continue
        try:
            number = float(text)
        except ValueError:
            errors.append(f"{item.indicator.name}：“{text}”不是数字")
            continue
        if not math.isfinite(number) or number < 0:
            errors.append(f"{item.indicator.name}：应为不小于0的数")
            continue
        values[item.indicator.code] = number
    return values, errors


def _require_editable(user, report: Report) -> None:
    if report.pk is None:
        check_placement(user, report, ADD)
    else:
        get_for(user, Report, CHANGE, pk=report.pk)
    if report.locked:
        raise Refused(["该报表已审核锁定，如需修改请联系省级管理员解锁"])
    if report.state == Report.SUBMITTED:
        raise Refused(["该报表已报送，等待审核中，不能修改"])


def _figures(values: Mapping[str, float]) -> dict[str, float]:
    """The report's figures, each held to the importers' rule (finite, within bounds); Refused names each fault."""
    figures, faults = {}, []
    for code, value in values.items():
        if value is None:
            continue
        try:
            figures[code] = finite(value)
        except BadValue as exc:
            faults.append((code, str(exc)))
        except (TypeError, ValueError):
            faults.append((code, "不是数字"))
    if faults:
        names = dict(Indicator.objects.values_list("code", "name"))
        raise Refused([f"{names.get(code, code)}：{reason}" for code, reason in faults])
    return figures


@action("monitoring.Report", CHANGE)
@transaction.atomic
def do_save_report(user, report: Report, values: Mapping[str, float], explanations: Mapping[str, str]) -> Report:
    """Keep a draft: the values and explanations as they stand, and the checks' findings."""
    _require_editable(user, report)
    report.values = _figures(values)
    report.findings = [dataclasses.asdict(f) for f in findings_for(report)]
    keys = {finding_key(f["check"], f["code"]) for f in report.findings}
    report.explanations = {k: v.strip() for k, v in explanations.items() if k in keys and v and v.strip()}
    if report.pk is None:
        report.state = Report.DRAFT
    report.save()
    return report


@action("monitoring.Report", CHANGE)
def do_submit_report(user, report: Report, values: Mapping[str, float], explanations: Mapping[str, str]) -> Report:
    """Submit for review; refused while a required value is missing or a warning is unexplained.

    A refused submission keeps what was typed as a draft, with its findings.
    """
    do_save_report(user, report, values, explanations)
    reasons = [f["message"] for f in report.findings if f["check"] == MISSING]
    reasons += [
        f"请说明：{f['message']}"
        for f in report.findings
        if f["check"] != MISSING and not report.explanations.get(finding_key(f["check"], f["code"]))
    ]
    if reasons:
        raise Refused(reasons)
    report.state = Report.SUBMITTED
    report.submitted_by, report.submitted_at = user, timezone.now()
    report.save()
    return report


def _for_review(user, report: Report) -> Report:
    report = get_for(user, Report, REVIEW, pk=report.pk)
    if report.state != Report.SUBMITTED:
        raise Refused(["只有待审核的报表可以审核"])
    if report.submitted_by_id == user.pk and not settings.JIJU_ALLOW_SELF_REVIEW:
        raise Refused(["不能审核本人报送的报表，请由其他审核人审核"])
    return report


@action("monitoring.Report", REVIEW)
@transaction.atomic
def do_approve_report(user, report: Report, comment: str = "") -> Report:
    """Approve and lock."""
    report = _for_review(user, report)
    report.state, report.review_comment = Report.APPROVED, comment.strip()
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    report.save()
    return report


@action("monitoring.Report", REVIEW)
@transaction.atomic
def do_return_report(user, report: Report, comment: str) -> Report:
    """Send back to the zone with what to mend; a comment is required."""
    if not comment.strip():
        raise Refused(["退回时请填写审核意见"])
    report = _for_review(user, report)
    report.state, report.review_comment = Report.RETURNED, comment.strip()
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    report.save()
    return report


@action("monitoring.Report", UNLOCK)
@transaction.atomic
def do_unlock_report(user, report: Report, reason: str) -> Report:
    """Reopen an approved report (province administrators only), with the reason in the changelog."""
    if not reason.strip():
        raise Refused(["解锁须填写原因"])
    report = get_for(user, Report, UNLOCK, pk=report.pk)
    if not report.locked:
        raise Refused(["只有已审核锁定的报表需要解锁"])
    report.state, report.unlock_reason = Report.RETURNED, reason.strip()
    report.review_comment = f"已解锁：{reason.strip()}"
    report.save()
    return report


def _nearness(deadline: Deadline) -> int:
    """How close the office that set a deadline is to a zone: its own zone, then county, city, province."""
    if deadline.zone_id:
        return 10
    return len(scope_prefix(deadline.region.code)) if deadline.region_id else 0


def due_dates(form: ReportForm, year: int, month: int, zones) -> dict[int, dt.date]:
    """Each zone's deadline for the period: the nearest office's, or the form's default."""
    set_here = list(Deadline.objects.filter(form=form, year=year, month=month).select_related("region"))
    default = form.default_deadline(year, month)
    due = {}
    for zone in zones:
        codes = set(chain(zone.region.code))
        holding = [
            d
            for d in set_here
            if d.zone_id == zone.pk or (d.zone_id is None and (d.region_id is None or d.region.code in codes))
        ]
        due[zone.pk] = max(holding, key=_nearness).due if holding else default
    return due


def deadline(form: ReportForm, year: int, month: int, zone: Zone) -> dt.date:
    return due_dates(form, year, month, [zone])[zone.pk]


def scope_deadline(user, form: ReportForm, year: int, month: int) -> dt.date:
    """The deadline the user's own office has set for the period, else the form's default."""
    found = Deadline.objects.filter(form=form, year=year, month=month, **made_for(user)).first()
    return found.due if found else form.default_deadline(year, month)


@action("monitoring.Deadline", REVIEW)
@transaction.atomic
def do_set_deadline(user, form: ReportForm, year: int, month: int, due: dt.date) -> Deadline:
    """The deadline of the period for the zones of the user's scope; an office further down may set its own."""
    if not Scope.of(user).allows(REVIEW, Report):  # the offices that review the reports set their deadlines
        raise PermissionDenied("您的角色无权设置报送期限")
    year, month = params.year(year), params.month(month)
    scope = made_for(user)
    found = Deadline.objects.filter(form=form, year=year, month=month, **scope).first()
    if found is None:
        return Deadline.objects.create(form=form, year=year, month=month, due=due, **scope)
    found.due = due
    found.save()
    return found


def require_configure(user) -> None:
    if not Scope.of(user).allows(CONFIGURE, Indicator):
        raise PermissionDenied("只有省级管理员可以设置指标与报表")


def _in_use(code: str) -> bool:
    """Whether any report holds a value under the indicator's code."""
    return Report.objects.filter(values__has_key=code).exists()


@action("monitoring.Indicator", CONFIGURE)
@transaction.atomic
def do_save_indicator(user, indicator: Indicator) -> Indicator:
    """Save an indicator defined on the configuration page. Once reports hold values under its
    code, the code is frozen: renaming it would empty those reports' figures."""
    require_configure(user)
    if indicator.pk:
        stored = Indicator.objects.get(pk=indicator.pk).code
        if stored != indicator.code and _in_use(stored):
            raise ValidationError(f"已有报表填报了指标“{stored}”的数值，指标代码不能再修改")
    indicator.full_clean()
    indicator.save()
    return indicator


@action("monitoring.ReportForm", CONFIGURE)
@transaction.atomic
def do_save_form(user, report_form: ReportForm, lines) -> ReportForm:
    """Save a form and its lines; indicators keep their order, required unless computed."""
    require_configure(user)
    report_form.full_clean()
    report_form.save()
    chosen = sorted(lines, key=lambda i: (i.order, i.code))
    for item in report_form.items.exclude(indicator__in=chosen):
        item.delete()
    existing = {item.indicator_id: item for item in report_form.items.all()}
    for order, indicator in enumerate(chosen, start=1):
        item = existing.get(indicator.pk) or FormItem(
            form=report_form, indicator=indicator, required=not indicator.computed
        )
        if item.order != order or item.pk is None:
            item.order = order
            item.save()
    return report_form


# The report's Excel template: one line per indicator, the value in the fourth column.
TEMPLATE_HEADERS = ("指标代码", "指标名称", "计量单位", "本期数值")


@dataclass
class ImportOutcome:
    """What an import of a sheet (report template, targets, scores) did, or why it stored nothing."""

    accepted: bool
    count: int = 0
    errors: list[m.RowError] = field(default_factory=list)
    marked: str | None = None  # token of the red-marked copy, for the sender


def refuse(user, data: bytes, filename: str, errors: list[m.RowError], header_row: int) -> ImportOutcome:
    """Nothing stored: every fault, sorted by row, and the file with them marked red."""
    marked = keep_marked(user, annotate(data, filename, errors, header_row, reading_limits()))
    return ImportOutcome(False, errors=sorted(errors, key=lambda e: e.row), marked=marked)


def unreadable(filename: str, error: ReadError) -> ImportOutcome:
    return ImportOutcome(False, errors=[m.RowError(0, "", filename, str(error))])


@action("monitoring.Report", CHANGE)
def do_import_report(user, report: Report, data: bytes, filename: str) -> ImportOutcome:
    """Read a filled template into the report as a draft: every value or none."""
    _require_editable(user, report)
    try:
        grid = read_grid(data, filename, reading_limits())
        table = table_of(grid, set(TEMPLATE_HEADERS))
    except ReadError as exc:
        return unreadable(filename, exc)
    columns = [
        m.Column("code", ("指标代码",), m.text(40), True),
        m.Column("name", ("指标名称",), m.text(60)),
        m.Column("value", ("本期数值",), m.non_negative),
    ]
    mapped = m.map_table(table, columns)
    errors = list(mapped.errors)
    lines = items(report.form)
    typed = {item.indicator.code for item in lines if not item.indicator.computed}
    computed = {item.indicator.code for item in lines} - typed
    values: dict[str, float] = {}
    seen: dict[str, int] = {}
    for row, record in mapped.records:
        code = record.get("code")
        if code is None:
            continue
        if code not in typed:
            if code not in computed:
                errors.append(m.RowError(row, "指标代码", str(code), f"“{code}”不是{report.form.code}的指标"))
            continue
        if code in seen:
            errors.append(m.RowError(row, "指标代码", str(code), f"指标重复填报（与第{seen[code]}行相同）"))
            continue
        seen[code] = row
        if record.get("value") is not None:
            values[code] = float(record["value"])
    if not values and not errors:
        # An empty template would replace the draft's values with nothing.
        errors.append(m.RowError(table.header_row, "本期数值", "", "模板中没有填写任何数值，报表未改动"))
    titles = _titles(grid)
    zone_cell, period_cell = titles.get("开发区", ""), titles.get("报告期", "")
    if zone_cell and zone_cell != report.zone.name:
        errors.append(m.RowError(2, "", zone_cell, f"模板所属开发区为“{zone_cell}”，不是“{report.zone.name}”"))
    if period_cell and period_cell != report.period:
        errors.append(m.RowError(3, "", period_cell, f"模板报告期为“{period_cell}”，不是“{report.period}”"))
    if errors:
        return refuse(user, data, filename, errors, table.header_row)
    with changes_by(user, IMPORT):
        do_save_report(user, report, values, report.explanations)
    return ImportOutcome(True, count=len(values))


def _titles(grid: list[list[str]]) -> dict[str, str]:
    """Labels and values written above the template's header (开发区：…, 报告期：…)."""
    found = {}
    for row in grid[:6]:
        for label, value in itertools.pairwise(row):
            if label.endswith(("：", ":")):
                found.setdefault(label.rstrip("：:"), value.strip())
    return found


@action("monitoring.Target", CHANGE)
@transaction.atomic
def do_set_target(user, zone: Zone, year: int, indicator: Indicator, value: float) -> Target:
    found = Target.objects.filter(zone=zone, year=year, indicator=indicator).first()
    if found is None:
        target = Target(zone=zone, year=year, indicator=indicator, value=value)
        check_placement(user, target, ADD)
        target.save()
        return target
    check_placement(user, found, CHANGE)
    found.value = value
    found.save()
    return found


def outstanding(user, form: ReportForm, year: int, month: int):
    """Zones in the user's scope that have not submitted the period's report."""
    done = Report.objects.filter(form=form, year=year, month=month, state__in=[Report.SUBMITTED, Report.APPROVED])
    return Zone.objects.visible_to(user, VIEW).exclude(pk__in=done.values("zone_id")).select_related("region")
