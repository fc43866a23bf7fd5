"""Departmental uploads. Thin: the checks and the writing are in assessment.actions."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, Prefetch, Q, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiju.accounts import offices
from jiju.assessment import actions, evaluations, objections, summaries, versions
from jiju.assessment import notice as notice_document
from jiju.assessment.models import (
    ColumnMapping,
    DepartmentUpload,
    EnterpriseYear,
    EvaluationResult,
    EvaluationRun,
    IndicatorCard,
    Objection,
    ObjectionEvidence,
)
from jiju.evaluation.scheme import EVALUATED, EXCLUDED, EXEMPT, PROVISIONAL, loads, shipped
from jiju.ingest.departments import DEPARTMENTS
from jiju.platform import files, params
from jiju.platform.actions import REFUSALS, NotInScope, message
from jiju.platform.files import TooLarge, upload_data
from jiju.platform.permissions import ADD, DATA_PROVIDER, REVIEW, UPLOAD, VIEW, Scope
from jiju.platform.runs import FROZEN, do_fail_dead_runs, may_publish, may_retry
from jiju.platform.tables import Col
from jiju.registry.models import Zone


def _departments(user) -> list:
    scope = Scope.of(user)
    if not scope.allows(UPLOAD, actions.EnterpriseYear):
        raise PermissionDenied("您的角色无权上传部门数据")
    if scope.role == DATA_PROVIDER:
        own = getattr(getattr(user, "profile", None), "department", "")
        return [DEPARTMENTS[own]] if own in DEPARTMENTS else []
    return list(DEPARTMENTS.values())


@login_required
def upload(request):
    departments = _departments(request.user)
    if not departments:
        raise PermissionDenied("您的账号未设置报送部门，请联系管理员")
    chosen = request.POST.get("department") or request.GET.get("department") or departments[0].code
    if chosen not in {d.code for d in departments}:
        raise PermissionDenied("数据报送部门账号只能上传本部门的数据")
    outcome = None
    year = timezone.localdate().year - 1
    if request.method == "POST":
        file = request.FILES.get("file")
        pending = request.POST.get("pending")
        ignore = bool(request.POST.get("ignore_unmatched"))
        try:
            year = params.year(request.POST.get("year"))
            if file is None and not pending:
                raise ValidationError("请选择要上传的文件")
        except ValidationError as exc:
            messages.error(request, message(exc))
        else:
            if pending:  # the sender confirmed that the file replaces the year's figures
                data = actions.pending_file(request.user, pending)
                if data is None:
                    messages.error(request, "待确认的文件已过期，请重新上传")
                else:
                    name = request.POST.get("filename", "")[:200]
                    outcome = actions.do_upload(request.user, chosen, year, data, name, ignore, replace=True)
            else:
                try:
                    data = upload_data(file, "department")
                except TooLarge as exc:
                    messages.error(request, str(exc))
                else:
                    outcome = actions.do_upload(request.user, chosen, year, data, file.name, ignore_unmatched=ignore)
            if outcome is not None and outcome.accepted:
                messages.success(request, f"上传成功：{outcome.rows} 行，写入 {outcome.stored} 家企业的 {year} 年数据")
    department = DEPARTMENTS[chosen]
    return render(
        request,
        "assessment/upload.html",
        {
            "departments": departments,
            "department": department,
            "year": year,
            "outcome": outcome,
            "filename": getattr(request.FILES.get("file"), "name", request.POST.get("filename", "")),
            "ignore": request.POST.get("ignore_unmatched", ""),
            "fields": [
                ("credit_code", "统一社会信用代码"),
                ("name", "企业名称"),
                *((x.field, x.label) for x in department.measures),
            ],
            "mappings": ColumnMapping.objects.filter(department=chosen),
            "can_map": actions.may_set_mapping(request.user),
            "uploads": DepartmentUpload.objects.visible_to(request.user, UPLOAD).filter(department=chosen)[:20],
        },
    )


@login_required
@require_POST
def add_mapping(request):
    department = request.POST.get("department", "")
    try:
        actions.do_set_mapping(request.user, department, request.POST.get("header", ""), request.POST.get("field", ""))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已保存列映射，今后该部门文件中的这一列将按此读取")
    return redirect(f"/assessment/upload/?department={quote(department)}")


@login_required
def marked(request, token: str):
    body = actions.marked_workbook(request.user, token)
    if body is None:
        raise Http404("标注文件已过期，请重新上传")
    return files.attachment(body, "校验结果（错误已标红）.xlsx")


def _can_view_runs(user) -> Scope:
    scope = Scope.of(user)
    if not scope.allows(VIEW, EvaluationResult):
        raise PermissionDenied("您的角色无权查看评价结果")
    return scope


@login_required
def runs(request):
    scope = _can_view_runs(request.user)
    if request.method == "POST":
        try:
            run = evaluations.do_start_evaluation(
                request.user, request.POST.get("scheme", ""), request.POST.get("year")
            )
        except REFUSALS as exc:
            messages.error(request, message(exc))
        else:
            return redirect("assessment_run", pk=run.pk)
    years = sorted(set(EnterpriseYear.objects.visible_to(request.user).values_list("year", flat=True)), reverse=True)
    do_fail_dead_runs(EvaluationRun)
    runs = list(
        EvaluationRun.objects.visible_to(request.user).select_related("created_by", "published_by", "region", "zone")
    )
    counts = evaluations.grade_counts(request.user, runs)
    for run in runs:
        run.visible_grade_counts = counts[run.pk]
    return render(
        request,
        "assessment/runs.html",
        {
            "runs": runs,
            "schemes": {key: loads(path.read_text(encoding="utf-8")).name for key, path in shipped().items()},
            "years": years or [timezone.localdate().year - 1],
            "can_run": scope.allows(ADD, EvaluationRun),
        },
    )


def _run(user, pk: int) -> EvaluationRun:
    """A run the user may read (made for its scope or one above it), else 404; a dead worker's run is
    marked failed first, so no page shows it running."""
    do_fail_dead_runs(EvaluationRun)
    return get_object_or_404(EvaluationRun.objects.visible_to(user).select_related("region", "zone"), pk=pk)


@login_required
def run_detail(request, pk: int):
    _can_view_runs(request.user)
    run = _run(request.user, pk)
    if run.state in (EvaluationRun.RUNNING, EvaluationRun.FAILED):
        return render(
            request,
            "assessment/run_progress.html",
            {
                "run": run,
                "can_retry": may_retry(request.user, run),
                "can_delete": evaluations.may_delete(request.user, run),
            },
        )
    results = EvaluationResult.objects.visible_to(request.user).filter(run=run).select_related("enterprise__zone")
    lists = evaluations.list_names(run)
    # The scheme's lists in its order, each ranked apart; a scheme without lists keeps the stored names' order.
    in_order = (
        Case(*(When(list_name=n, then=k) for k, n in enumerate(lists)), default=len(lists)) if lists else F("list_name")
    )
    results = results.order_by(in_order, F("rank").asc(nulls_last=True))
    for param, lookup in (
        ("list", "list_name"),
        ("status", "status"),
        ("grade", "grade"),
        ("zone", "enterprise__zone_id"),
        ("scale", "enterprise__scale"),
        ("industry", "enterprise__industry__code__startswith"),
    ):
        if request.GET.get(param):
            results = results.filter(**{lookup: request.GET[param]})
    if request.GET.get("order") == "gap":  # by grade, the firms furthest from the next grade first
        results = results.order_by(in_order, "grade", F("gap_to_next_grade").desc(nulls_last=True))
    if request.GET.get("format") == "xlsx":
        return _official_list(run, results, lists)
    page = Paginator(results, 50).get_page(request.GET.get("page"))
    objections.changes_from_previous(run, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessment/run.html",
        {
            "run": run,
            "page": page,
            "query": query.urlencode(),
            "params": request.GET,
            "grades": sorted(evaluations.grade_counts(request.user, [run])[run.pk].items()),
            "lists": lists,
            "cards": _scheme_cards(run),
            "statuses": (EVALUATED, EXEMPT, PROVISIONAL),
            "zones": Zone.objects.visible_to(request.user).only("pk", "name").order_by("name"),
            "can_publish": may_publish(request.user, run),
            **_notice_context(request.user, run),
        },
    )


def _notice_context(user, run: EvaluationRun) -> dict:
    """The run page's notice part: the period, the objections the user may see, what the user may do."""
    scope, today = Scope.of(user), timezone.localdate()
    return {
        "objections": Objection.objects.visible_to(user)
        .filter(run=run)
        .select_related("enterprise", "decided_by")
        .prefetch_related(Prefetch("evidence", ObjectionEvidence.objects.only("pk", "objection_id", "filename")))
        if run.notice_start or run.revises_id
        else [],
        "in_notice": objections.in_notice(run, today),
        "can_object": objections.in_notice(run, today) and scope.allows(ADD, Objection),
        "can_decide": run.finalised_at is None and scope.allows(REVIEW, Objection),
        "can_finalise": objections.may_finalise(user, run, today),
        "figures": objections.FIGURES.items(),
        "revisions": EvaluationRun.objects.visible_to(user).filter(revises=run),
    }


def _back(pk: int):
    return redirect(f"/assessment/runs/{pk}/#notice")


@login_required
@require_POST
def record_objection(request, pk: int):
    run = _run(request.user, pk)
    try:
        evidence = [(f.name, upload_data(f, "evidence")) for f in request.FILES.getlist("evidence")]
        objections.do_record_objection(
            request.user,
            run,
            request.POST.get("credit_code", ""),
            request.POST.get("figure", ""),
            request.POST.get("claimed", ""),
            request.POST.get("claim", ""),
            evidence,
        )
    except NotInScope:
        messages.error(request, "未在您的管辖范围内找到该统一社会信用代码的企业")
    except TooLarge as exc:
        messages.error(request, str(exc))
    except REFUSALS as exc:
        messages.error(request, message(exc))
    else:
        messages.success(request, "已登记异议，待开发区办处理")
    return _back(pk)


@login_required
@require_POST
def decide_objection(request, pk: int, decision: str):
    objection = get_object_or_404(Objection.objects.visible_to(request.user), pk=pk)
    try:
        if decision == "accept":
            objections.do_accept_objection(request.user, objection, request.POST.get("decision", ""))
            messages.success(request, "已采纳：更正后的数据已写入部门数据，定案时将计算新版本")
        else:
            objections.do_reject_objection(request.user, objection, request.POST.get("decision", ""))
            messages.success(request, "已作不予采纳处理")
    except NotInScope:
        raise Http404("异议不存在或不在您的管辖范围内") from None
    except REFUSALS as exc:
        messages.error(request, message(exc))
    return _back(objection.run_id)


@login_required
def evidence(request, pk: int):
    found = get_object_or_404(ObjectionEvidence.objects.visible_to(request.user), pk=pk)
    return files.attachment(bytes(found.content), found.filename, "application/octet-stream")


@login_required
@require_POST
def finalise(request, pk: int):
    run = _run(request.user, pk)
    try:
        final = objections.do_finalise_run(request.user, run)
    except REFUSALS as exc:
        messages.error(request, message(exc))
        return _back(pk)
    if final.pk != run.pk:
        messages.success(request, f"已定案：采纳的异议已计入，新版本（第{final.version}版）已发布，原版本标为已被替代")
    else:
        messages.success(request, "已定案：无采纳的异议，本批次结果生效")
    return redirect("assessment_run", pk=final.pk)


def _official_list(run: EvaluationRun, results, lists: list[str]) -> HttpResponse:
    """The lists as counties publish them: everyone, then each of the scheme's lists (ranked apart), the firms
    set aside (不参评, 暂不评价) with their reasons, and each grade's firms."""
    columns = [
        Col("rank", "排名", lambda r: r.rank),
        Col("credit_code", "统一社会信用代码", lambda r: r.enterprise.credit_code),
        Col("name", "企业名称", lambda r: r.enterprise.name),
        Col("zone", "所在开发区", lambda r: r.enterprise.zone),
        Col("score", "得分", lambda r: None if r.score is None else round(r.score, 2)),
        Col("grade", "等级", lambda r: r.grade),
        Col("list", "名单", lambda r: r.list_name),
        Col("status", "评价状态", lambda r: r.status),
        Col("reason", "不参评原因", lambda r: r.excluded_reason),
    ]
    everyone = list(results)
    grades = sorted({r.grade for r in everyone if r.grade and r.grade != EXCLUDED})
    sheets = [("全部名单", everyone)]
    ranked = [(name, [r for r in everyone if r.list_name == name and r.rank is not None]) for name in lists]
    sheets += [(name, rows) for name, rows in ranked if rows]
    aside = [r for r in everyone if r.status in (EXEMPT, PROVISIONAL)]
    sheets += [("不参评及暂不评价", aside)] if aside else []
    sheets += [(f"{g}类企业", [r for r in everyone if r.grade == g]) for g in grades]
    return files.attachment(files.to_xlsx_sheets(columns, sheets), f"{run.year}年{run.scheme_name}.xlsx")


@login_required
def scorecard(request, pk: int, result_pk: int):
    _can_view_runs(request.user)
    result = (
        EvaluationResult.objects.visible_to(request.user)
        .filter(run_id=pk, pk=result_pk)
        .select_related("run", "enterprise__zone")
        .first()
    )
    if result is None:
        raise Http404("评价结果不存在或不在您的管辖范围内")
    last_year = (
        EvaluationResult.objects.visible_to(request.user)
        .filter(
            enterprise=result.enterprise,
            run__year=result.run.year - 1,
            run__scheme=result.run.scheme,
            run__state=EvaluationRun.PUBLISHED,
        )
        .order_by("-run__published_at")
        .first()
    )
    cards = actions.cards_for(loads(result.run.scheme_text))
    costs = {i.code for i in loads(result.run.scheme_text).indicators if i.cost}
    lines = [
        {
            **line,
            "card": cards.get(line["code"]),
            "standing": cards[line["code"]].standing(line["value"], line["code"] in costs)
            if line["code"] in cards
            else "",
        }
        for line in result.breakdown
    ]
    return render(
        request,
        "assessment/scorecard.html",
        {
            "lines": lines,
            "result": result,
            "run": result.run,
            "last_year": last_year,
            "chart": [[line["label"], round(line["contribution"] or 0, 4)] for line in result.breakdown],
        },
    )


@login_required
def summary(request, pk: int):
    _can_view_runs(request.user)
    run = _run(request.user, pk)
    results = EvaluationResult.objects.visible_to(request.user).filter(run=run)
    return render(
        request,
        "assessment/summary.html",
        {
            "run": run,
            "zones": summaries.zone_summary(run, results),
            "migration": summaries.grade_migration(run, results),
            "previous": summaries.previous_run(run),
            "policies": summaries.policies(run),
            "policy_labels": [label for _, label in summaries.POLICY_ITEMS],
        },
    )


@login_required
def notice(request, pk: int):
    _can_view_runs(request.user)
    run = _run(request.user, pk)
    results = EvaluationResult.objects.visible_to(request.user).filter(run=run)
    body = notice_document.build(
        run,
        evaluations.grade_counts(request.user, [run])[run.pk],
        summaries.zone_summary(run, results),
        summaries.grade_migration(run, results),
        summaries.policies(run),
        offices.issuing_office(request.user),
        timezone.localdate(),
        offices.area_name(request.user),
    )
    return files.attachment(body, f"{run.year}年亩均效益评价通报.docx", files.DOCX)


@login_required
def publish(request, pk: int):
    """A confirmation page naming what publishing freezes and replaces; only its confirmed form publishes."""
    run = _run(request.user, pk)
    if request.method != "POST" or request.POST.get("confirm") != "1":
        if not may_publish(request.user, run):
            messages.error(request, "该评价批次不能由您发布（需为待审核状态，且由省、市开发区办发布）")
            return redirect("assessment_run", pk=pk)
        start, end = evaluations.notice_period(None, None, timezone.localdate())
        return render(
            request,
            "assessment/publish_confirm.html",
            {"run": run, "start": start, "end": end, **evaluations.what_publishing_freezes(request.user, run)},
        )
    try:
        start = params.date(request.POST.get("notice_start"), "公示开始日期")
        end = params.date(request.POST.get("notice_end"), "公示截止日期")
        evaluations.do_publish(request.user, run, start, end)
    except REFUSALS as exc:
        messages.error(request, message(exc))
    else:
        messages.success(request, "已发布，结果已冻结")
    return redirect("assessment_run", pk=pk)


@login_required
@require_POST
def retry_run(request, pk: int):
    run = _run(request.user, pk)
    try:
        evaluations.do_retry_run(request.user, run)
    except NotInScope:
        raise Http404("评价批次不存在或不在您的管辖范围内") from None
    except REFUSALS as exc:
        messages.error(request, message(exc))
    else:
        messages.success(request, "已重新提交，评价在后台进行")
    return redirect("assessment_run", pk=pk)


@login_required
@require_POST
def delete_run(request, pk: int):
    run = _run(request.user, pk)
    try:
        evaluations.do_delete_run(request.user, run)
    except REFUSALS as exc:
        messages.error(request, message(exc))
        return redirect("assessment_run", pk=pk)
    messages.success(request, "已删除该评价批次")
    return redirect("assessment_runs")


@login_required
def compare(request, pk: int):
    """This run against another the user may read (by default the version it revises, else last year's)."""
    _can_view_runs(request.user)
    run = _run(request.user, pk)
    choices = (
        EvaluationRun.objects.visible_to(request.user)
        .filter(state__in=[EvaluationRun.DRAFT, *FROZEN])
        .exclude(pk=run.pk)
        .filter(Q(year=run.year) | Q(year=run.year - 1, scheme=run.scheme))
    )
    other = None
    if request.GET.get("with"):
        other = choices.filter(pk=request.GET["with"]).first() if request.GET["with"].isdigit() else None
        if other is None:
            raise Http404("比较的评价批次不存在或不在您的管辖范围内")
    else:
        other = run.revises or choices.filter(year=run.year - 1).order_by("-published_at").first()
    return render(
        request,
        "assessment/compare.html",
        {
            "run": run,
            "other": other,
            "choices": choices.order_by("-year", "-created_at"),
            "lines": versions.compare(request.user, other, run) if other else [],
        },
    )


def _scheme_cards(run: EvaluationRun) -> list[tuple[str, IndicatorCard | None]]:
    """Each indicator of the run's scheme with its card (None where the card is missing)."""
    scheme = loads(run.scheme_text)
    cards = actions.cards_for(scheme)
    return [(i.label, cards.get(i.code)) for i in scheme.indicators]


class CardForm(forms.ModelForm):
    class Meta:
        model = IndicatorCard
        exclude = ["code"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}


@login_required
def indicator_cards(request):
    _can_view_runs(request.user)
    return render(
        request,
        "assessment/indicator_cards.html",
        {"cards": IndicatorCard.objects.all(), "can_edit": actions.may_edit_cards(request.user)},
    )


@login_required
def indicator_card(request, pk: int):
    _can_view_runs(request.user)
    card = get_object_or_404(IndicatorCard, pk=pk)
    if not actions.may_edit_cards(request.user):
        raise PermissionDenied("指标卡片由省级管理员维护")
    form = CardForm(request.POST or None, instance=card)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_indicator_card(request.user, form.save(commit=False))
        except REFUSALS as exc:
            messages.error(request, message(exc))
        else:
            messages.success(request, f"已保存指标卡片“{card.label}”")
            return redirect("assessment_indicator_cards")
    return render(request, "assessment/indicator_card.html", {"card": card, "form": form})
