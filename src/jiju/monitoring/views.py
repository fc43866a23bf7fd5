"""Zone reports: status of a period, filling, checking, reviewing, unlocking. Thin: the work is in actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiju.analytics.checks import CHECK_NAMES, finding_key
from jiju.changelog.history import history_rows
from jiju.core.divisions import city_of
from jiju.monitoring import actions, statistics, templates
from jiju.monitoring.models import MONTH, Report, ReportForm
from jiju.platform import files, params
from jiju.platform.actions import REFUSALS, NotInScope, message
from jiju.platform.files import TooLarge, upload_data
from jiju.platform.listing import list_context
from jiju.platform.permissions import ADD, CHANGE, REVIEW, UNLOCK, VIEW, Scope
from jiju.platform.tables import Col
from jiju.registry.models import Zone


def require_view(user) -> Scope:
    scope = Scope.of(user)
    if not scope.allows(VIEW, Report):
        raise PermissionDenied("您的角色无权查看开发区统计报表")
    return scope


def period_choices(form: ReportForm) -> list[tuple[int, int]]:
    """Periods with reports, newest first, and the period now due if none is yet."""
    today = timezone.localdate()
    due = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    if form.step > 1:
        due = (due[0], due[1] - due[1] % form.step) if due[1] % form.step else due
        if due[1] == 0:
            due = (due[0] - 1, 12)
    found = set(Report.objects.filter(form=form).values_list("year", "month").distinct())
    return sorted(found | {due}, reverse=True)


def chosen_period(request, form: ReportForm) -> tuple[int, int, list[tuple[int, int]]]:
    choices = period_choices(form)
    try:
        year, month = int(request.GET["year"]), int(request.GET["month"])
    except (KeyError, ValueError):
        year, month = statistics.latest_period(form) or choices[0]
    return year, month, choices


def form_or_404(code: str | None) -> ReportForm:
    forms = ReportForm.objects.all()
    form = forms.filter(code=code).first() if code else (forms.filter(frequency=MONTH).first() or forms.first())
    if form is None:
        raise Http404("报表不存在")
    return form


STATUS_COLUMNS = [
    Col("city", "地市", lambda r: r["city"]),
    Col("zone", "开发区", lambda r: r["zone"].name),
    Col("state", "状态", lambda r: r["state_label"]),
    Col("findings", "校验提示", lambda r: r["findings"]),
    Col("submitted", "报送时间", lambda r: r["submitted"]),
    Col("late", "是否逾期", lambda r: "逾期" if r["late"] else ""),
]


@login_required
def status(request):
    """Who has reported a period, who is late, what awaits review."""
    scope = require_view(request.user)
    form = form_or_404(request.GET.get("form"))
    year, month, choices = chosen_period(request, form)
    due = actions.scope_deadline(request.user, form, year, month)
    reports = {
        r.zone_id: r for r in Report.objects.visible_to(request.user, VIEW).filter(form=form, year=year, month=month)
    }
    zones = list(Zone.objects.visible_to(request.user, VIEW).select_related("region").order_by("region__code", "name"))
    dues = actions.due_dates(form, year, month, zones)
    cities = statistics.city_names()
    today = timezone.localdate()
    rows = []
    for zone in zones:
        report = reports.get(zone.pk)
        reported = report is not None and report.state in (Report.SUBMITTED, Report.APPROVED)
        submitted = timezone.localtime(report.submitted_at) if report and report.submitted_at else None
        rows.append(
            {
                "zone": zone,
                "city": cities.get(city_of(zone.region.code), ""),
                "report": report,
                "state": report.state if report else "missing",
                "state_label": report.get_state_display() if report else "未填报",
                "findings": len(report.findings) if report else 0,
                "submitted": submitted.strftime("%Y-%m-%d %H:%M") if submitted else "",
                "late": (submitted.date() > dues[zone.pk]) if submitted else (not reported and today > dues[zone.pk]),
            }
        )
    if request.GET.get("format") == "xlsx":
        title = f"{form.code}{form.period_label(year, month)}报送情况"
        return files.attachment(files.to_xlsx(STATUS_COLUMNS, rows, title), title + ".xlsx")
    # What the office must act on comes first: reports to review, then zones not yet in.
    urgency = {"submitted": 0, "missing": 1, "draft": 2, "returned": 3, "approved": 4}
    rows.sort(key=lambda r: urgency[r["state"]])
    wanted = request.GET.get("state", "")
    counts = {
        key: sum(1 for r in rows if r["state"] == key)
        for key in ("approved", "submitted", "returned", "draft", "missing")
    }
    return render(
        request,
        "monitoring/status.html",
        {
            "forms": ReportForm.objects.all(),
            "form": form,
            "year": year,
            "month": month,
            "period": form.period_label(year, month),
            "choices": [(y, m, form.period_label(y, m)) for y, m in choices],
            "due": due,
            **list_context(request, [r for r in rows if not wanted or r["state"] == wanted], STATUS_COLUMNS),
            "wanted": wanted,
            "counts": counts,
            "late": sum(1 for r in rows if r["late"]),
            "can_fill": scope.allows(ADD, Report),
            "can_set_deadline": scope.allows(REVIEW, Report),
        },
    )


@login_required
@require_POST
def set_deadline(request):
    form = form_or_404(request.POST.get("form"))
    try:
        year, month = params.year(request.POST.get("year")), params.month(request.POST.get("month"))
    except ValidationError as exc:
        messages.error(request, message(exc))
        return redirect(f"{reverse('monitoring_status')}?form={form.code}")
    try:
        due = dt.date.fromisoformat(request.POST.get("due", ""))
    except ValueError:
        messages.error(request, "请按 年-月-日 填写截止日期")
    else:
        try:
            actions.do_set_deadline(request.user, form, year, month, due)
        except REFUSALS as exc:
            messages.error(request, message(exc))
        else:
            messages.success(request, f"已将本辖区{form.period_label(year, month)}的报送截止日期设为 {due}")
    return redirect(f"{reverse('monitoring_status')}?form={form.code}&year={year}&month={month}")


def _report(request, form_code: str, zone_pk: int, year: int, month: int) -> Report:
    form = form_or_404(form_code)
    if not (1 <= month <= 12) or month % form.step:
        raise Http404("报告期不正确")
    zone = Zone.objects.visible_to(request.user, VIEW).filter(pk=zone_pk).first()
    if zone is None:
        raise Http404("开发区不存在或不在您的管辖范围内")
    try:
        return actions.report_for(request.user, form, zone, year, month)
    except NotInScope:
        raise Http404("该报表尚未填报") from None


def _posted(request, report: Report) -> tuple[dict[str, float], dict[str, str], list[str]]:
    values, errors = actions.clean_values(report.form, request.POST)
    explanations = {k[len("explain:") :]: v for k, v in request.POST.items() if k.startswith("explain:")}
    return values, explanations, errors


@login_required
def report(request, form_code: str, zone_pk: int, year: int, month: int):
    """Fill, check and submit a report; review it; unlock it."""
    require_view(request.user)
    report = _report(request, form_code, zone_pk, year, month)
    url = reverse("monitoring_report", args=[form_code, zone_pk, year, month])
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("save", "submit"):
                values, explanations, errors = _posted(request, report)
                if errors:
                    raise actions.Refused(errors)
                if action == "save":
                    actions.do_save_report(request.user, report, values, explanations)
                    messages.success(request, "已保存；校验提示见下表")
                else:
                    actions.do_submit_report(request.user, report, values, explanations)
                    messages.success(request, "已报送，等待市级开发区办审核")
            elif action == "upload":
                file = request.FILES.get("file")
                if file is None:
                    raise actions.Refused(["请选择填好的模板文件"])
                outcome = actions.do_import_report(request.user, report, upload_data(file, "report"), file.name)
                if not outcome.accepted:
                    return _render_report(request, report, import_errors=outcome)
                messages.success(request, "模板已导入为草稿，请检查校验提示后报送")
            elif action == "approve":
                actions.do_approve_report(request.user, report, request.POST.get("comment", ""))
                messages.success(request, "已审核通过，报表已锁定")
            elif action == "return":
                actions.do_return_report(request.user, report, request.POST.get("comment", ""))
                messages.success(request, "已退回开发区修改")
            elif action == "unlock":
                actions.do_unlock_report(request.user, report, request.POST.get("reason", ""))
                messages.success(request, "已解锁，开发区可修改后重新报送")
            else:
                raise actions.Refused(["未知的操作"])
        except actions.Refused as exc:
            for reason in exc.reasons:
                messages.error(request, reason)
            if action in ("save", "submit"):
                return _render_report(request, report, posted=request.POST)
        except TooLarge as exc:
            messages.error(request, str(exc))
        except (PermissionDenied, NotInScope) as exc:
            messages.error(request, str(exc) or "您无权执行此操作")
        return redirect(url)
    return _render_report(request, report)


def _render_report(request, report: Report, posted=None, import_errors=None):
    scope = Scope.of(request.user)
    lines = statistics.report_lines(report, posted)
    by_code: dict[str, list[dict]] = {}
    for finding in report.findings:
        key = finding_key(finding["check"], finding["code"])
        by_code.setdefault(finding["code"], []).append(
            {
                **finding,
                "key": key,
                "name": CHECK_NAMES.get(finding["check"], finding["check"]),
                "explanation": (posted or {}).get(f"explain:{key}") or report.explanations.get(key, ""),
            }
        )
    for line in lines:
        line["findings"] = by_code.get(line["code"], [])
    # A new report was let through by report_for only if the user may fill it.
    editable = report.editable and (
        report.pk is None or Report.objects.visible_to(request.user, CHANGE).filter(pk=report.pk).exists()
    )
    return render(
        request,
        "monitoring/report.html",
        {
            "report": report,
            "form": report.form,
            "lines": lines,
            "editable": editable,
            "can_review": report.state == Report.SUBMITTED and scope.allows(REVIEW, Report),
            "can_unlock": report.locked and scope.allows(UNLOCK, Report),
            "due": actions.deadline(report.form, report.year, report.month, report.zone),
            "history": history_rows(report) if report.pk else [],
            "import_errors": import_errors,
        },
        status=400 if import_errors else 200,
    )


@login_required
def template(request, form_code: str, zone_pk: int, year: int, month: int):
    """The form's Excel template with the zone and period filled in (and any values already typed)."""
    require_view(request.user)
    report = _report(request, form_code, zone_pk, year, month)
    name = f"{report.zone.name}{report.period}{report.form.name}.xlsx"
    return files.attachment(templates.report_template(report), name)
