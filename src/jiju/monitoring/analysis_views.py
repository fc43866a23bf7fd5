"""Rankings, targets, zone evaluations and on-site ratings. Thin: formulas are in jiju.analytics."""

from __future__ import annotations

from collections import Counter

import polars as pl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from jiju.analytics.targets import elapsed
from jiju.monitoring import bulletin, sheets, statistics, zone_evaluations
from jiju.monitoring.models import (
    RatingEvent,
    RatingScore,
    Report,
    ReportForm,
    Target,
    ZoneEvaluation,
    ZoneResult,
    to_date_label,
)
from jiju.monitoring.views import chosen_period, form_or_404, require_view
from jiju.platform import files, runs
from jiju.platform.actions import REFUSALS, message, placement
from jiju.platform.files import TooLarge, upload_data
from jiju.platform.listing import list_context
from jiju.platform.permissions import ADD, REVIEW, VIEW, Scope
from jiju.platform.tables import Col
from jiju.registry.models import Zone

RANKING_COLUMNS = [
    Col("rank", "排名", lambda r: r["rank"]),
    Col("zone", "开发区", lambda r: r["zone_name"]),
    Col("city", "地市", lambda r: r["city_name"]),
    Col("value", "本期数值", lambda r: r["value"]),
    Col("own", "当期值", lambda r: r["own"]),
    Col("growth", "同比增长（%）", lambda r: None if r["growth"] is None else round(r["growth"] * 100, 2)),
    Col("growth_rank", "增速排名", lambda r: r["growth_rank"]),
    Col(
        "city_share", "占全市比重（%）", lambda r: None if r["city_share"] is None else round(r["city_share"] * 100, 2)
    ),
    Col(
        "province_share",
        "占全省比重（%）",
        lambda r: None if r["province_share"] is None else round(r["province_share"] * 100, 2),
    ),
    Col(
        "contribution",
        "增长贡献率（%）",
        lambda r: None if r["contribution"] is None else round(r["contribution"] * 100, 2),
    ),
]


def ranking_rows(user, form: ReportForm, year: int, month: int, code: str) -> list[dict]:
    """One indicator's ranking of the zones a user may see, with the province-wide derived values."""
    visible = dict(Zone.objects.visible_to(user, VIEW).values_list("pk", "name"))
    table = (
        statistics.period_table(form, year, month)
        .filter((pl.col("code") == code) & pl.col("zone").is_in(list(visible)))
        .sort("rank")
    )
    cities = statistics.city_names()
    return [
        {**row, "zone_name": visible[row["zone"]], "city_name": cities.get(row["city"], "")} for row in table.to_dicts()
    ]


@login_required
def rankings(request):
    require_view(request.user)
    form = form_or_404(request.GET.get("form"))
    year, month, choices = chosen_period(request, form)
    indicators = [item.indicator for item in form.items.select_related("indicator")]
    code = request.GET.get("indicator") or indicators[0].code
    indicator = next((i for i in indicators if i.code == code), None)
    if indicator is None:
        raise Http404("该报表没有这个指标")
    rows = ranking_rows(request.user, form, year, month, code)
    if request.GET.get("format") == "xlsx":
        return files.attachment(
            files.to_xlsx(RANKING_COLUMNS, rows, indicator.name),
            f"{form.period_label(year, month)}{indicator.name}排名.xlsx",
        )
    return render(
        request,
        "monitoring/rankings.html",
        {
            "forms": ReportForm.objects.all(),
            "form": form,
            "year": year,
            "month": month,
            "choices": [(y, m, form.period_label(y, m)) for y, m in choices],
            "indicators": indicators,
            "indicator": indicator,
            **list_context(request, rows, RANKING_COLUMNS),
        },
    )


TARGET_COLUMNS = [
    Col("city", "地市", lambda r: r["city"]),
    Col("zone", "开发区", lambda r: r["target"].zone.name),
    Col("indicator", "指标", lambda r: r["target"].indicator.name),
    Col("unit", "单位", lambda r: r["target"].indicator.unit),
    Col("target", "年度目标", lambda r: r["target"].value),
    Col("actual", "累计完成", lambda r: r["actual"]),
    Col("completion", "完成进度（%）", lambda r: None if r["completion"] is None else round(r["completion"] * 100, 1)),
    Col("behind", "是否滞后", lambda r: "滞后" if r["behind"] else ""),
]


@login_required
def targets(request):
    """Target responsibility letters: completion against time elapsed."""
    scope = require_view(request.user)
    monthly = form_or_404(None)  # targets are read against the monthly form's year-to-date values
    year, month, choices = chosen_period(request, monthly)
    if request.method == "POST":
        if not scope.allows(ADD, Target):
            raise PermissionDenied("您的角色无权下达目标任务")
        file = request.FILES.get("file")
        target_year = request.POST.get("target_year", "").strip()
        outcome = None
        if file is None:
            messages.error(request, "请选择目标任务文件")
        elif not target_year.isdigit() or not 2000 <= int(target_year) <= 2100:
            messages.error(request, f"年度“{target_year}”不正确，请填写如 {year} 的四位年份")
        else:
            try:
                data = upload_data(file, "targets")
                outcome = sheets.do_import_targets(request.user, int(target_year), data, file.name)
            except TooLarge as exc:
                messages.error(request, str(exc))
        if outcome is None:
            return redirect(request.get_full_path())
        if outcome.accepted:
            messages.success(request, f"已导入 {outcome.count} 项目标任务")
        else:
            return render(
                request,
                "monitoring/targets.html",
                {**_targets_context(request, year, month, choices), "outcome": outcome},
                status=400,
            )
        return redirect(request.get_full_path())
    if request.GET.get("format") == "xlsx":
        rows = statistics.target_progress(request.user, year, month)
        return files.attachment(
            files.to_xlsx(TARGET_COLUMNS, rows, "目标任务完成情况"), f"{year}年1-{month}月目标任务完成情况.xlsx"
        )
    return render(request, "monitoring/targets.html", _targets_context(request, year, month, choices))


def _targets_context(request, year: int, month: int, choices) -> dict:
    rows = statistics.target_progress(request.user, year, month)
    wanted = request.GET.get("behind")
    return {
        "year": year,
        "month": month,
        "choices": [(y, m, to_date_label(y, m)) for y, m in choices],
        "elapsed": elapsed(month),
        **list_context(request, [r for r in rows if r["behind"]] if wanted else rows, TARGET_COLUMNS),
        "behind": sum(1 for r in rows if r["behind"]),
        "total": len(rows),
        "wanted": wanted,
        "can_set": Scope.of(request.user).allows(ADD, Target),
    }


@login_required
def target_template(request):
    require_view(request.user)
    return files.attachment(sheets.targets_template(request.user), "目标任务模板.xlsx")


@login_required
def evaluations(request):
    require_view(request.user)
    scope = Scope.of(request.user)
    if request.method == "POST":
        try:
            evaluation = zone_evaluations.do_evaluate_zones(
                request.user, request.POST.get("scheme", ""), request.POST.get("year")
            )
        except REFUSALS as exc:
            messages.error(request, message(exc))
            return redirect("monitoring_evaluations")
        return redirect("monitoring_evaluation", pk=evaluation.pk)
    years = sorted(
        set(Report.objects.visible_to(request.user).approved().filter(month=12).values_list("year", flat=True)),
        reverse=True,
    )
    return render(
        request,
        "monitoring/evaluations.html",
        {
            "evaluations": ZoneEvaluation.objects.visible_to(request.user).select_related("region", "zone"),
            "schemes": zone_evaluations.schemes(),
            "years": years,
            "can_run": scope.allows(REVIEW, Report),
        },
    )


RESULT_COLUMNS = [
    Col("rank", "总排名", lambda r: r.rank),
    Col("zone", "开发区", lambda r: r.zone.name),
    Col("level", "级别", lambda r: r.zone.get_level_display()),
    Col("kind", "类型", lambda r: r.zone.get_kind_display()),
    Col("score", "得分", lambda r: None if r.score is None else round(r.score, 2)),
    Col("grade", "等级", lambda r: r.grade),
    Col("level_rank", "同级别排名", lambda r: r.level_rank),
    Col("kind_rank", "同类型排名", lambda r: r.kind_rank),
    Col("city_rank", "市内排名", lambda r: r.city_rank),
]
RESULT_ORDERS = {
    "rank": "rank",
    "zone": "zone__name",
    "level": "zone__level",
    "kind": "zone__kind",
    "score": "score",
    "grade": "grade",
    "level_rank": "level_rank",
    "kind_rank": "kind_rank",
    "city_rank": "city_rank",
}


@login_required
def evaluation(request, pk: int):
    require_view(request.user)
    evaluation = get_object_or_404(ZoneEvaluation.objects.visible_to(request.user), pk=pk)
    results = (
        ZoneResult.objects.visible_to(request.user, VIEW)
        .filter(evaluation=evaluation)
        .select_related("zone", "zone__region")
    )
    group = request.GET.get("group", "")
    if group in ("level", "kind"):
        results = results.order_by(f"zone__{group}", f"{group}_rank")
    elif group == "city":
        results = results.order_by("zone__region__code", "city_rank")
    shown = list_context(request, results, RESULT_COLUMNS, RESULT_ORDERS)
    if request.GET.get("format") == "xlsx":
        return files.attachment(
            files.to_xlsx(RESULT_COLUMNS, shown["listing"].items, "排名"),
            f"{evaluation.year}年{evaluation.scheme_name}.xlsx",
        )
    if request.method == "POST":
        try:
            zone_evaluations.do_publish_zones(request.user, evaluation)
        except REFUSALS as exc:
            messages.error(request, message(exc))
        else:
            messages.success(request, "已发布；本范围该年度同一方案此前发布的结果改为待审核")
        return redirect("monitoring_evaluation", pk=pk)
    grades = dict(
        Counter(grade for grade in results.values_list("grade", flat=True) if grade)
    )  # a Counter answers 0 to a template's .items
    return render(
        request,
        "monitoring/evaluation.html",
        {
            "evaluation": evaluation,
            **shown,
            "group": group,
            "grades": grades,
            "can_publish": runs.may_publish(request.user, evaluation),
        },
    )


@login_required
def history(request):
    """A zone's rank and grade year by year under one scheme, and the downgrade watch."""
    require_view(request.user)
    keys = zone_evaluations.schemes()
    scheme = request.GET.get("scheme") or next(iter(keys), "")
    if scheme not in keys:
        raise Http404("未知的评价方案")
    ranks = zone_evaluations.history(request.user, scheme)
    year, watch = zone_evaluations.watch(ranks)
    names = dict(Zone.objects.visible_to(request.user, VIEW).values_list("pk", "name"))
    years = sorted(ranks["year"].unique().to_list()) if not ranks.is_empty() else []
    table: dict[int, dict] = {}
    for row in ranks.to_dicts():
        table.setdefault(row["zone"], {})[row["year"]] = row
    rows = sorted(
        ({"zone": names.get(z, ""), "years": [cells.get(y) for y in years]} for z, cells in table.items()),
        key=lambda r: (r["years"][-1] or {}).get("rank") or 10**9,
    )
    return render(
        request,
        "monitoring/history.html",
        {
            "schemes": keys,
            "scheme": scheme,
            "years": years,
            "rows": rows,
            "watch_year": year,
            "watch": [
                {"zone": names.get(r["zone"], ""), "years": r["years"], "ranks": r["ranks"]} for r in watch.to_dicts()
            ]
            if year
            else [],
        },
    )


@login_required
def rating_events(request):
    require_view(request.user)
    scope = Scope.of(request.user)
    if request.method == "POST":
        try:
            event = sheets.do_create_event(
                request.user,
                request.POST.get("name", ""),
                request.POST.get("date", ""),
                request.POST.get("criteria", ""),
            )
        except sheets.RatingError as exc:
            messages.error(request, str(exc))
            return redirect("monitoring_ratings")
        return redirect("monitoring_rating", pk=event.pk)
    return render(
        request,
        "monitoring/ratings.html",
        {
            "events": RatingEvent.objects.visible_to(request.user).select_related("region", "zone"),
            "can_create": scope.allows(REVIEW, Report),
            "today": timezone.localdate(),
        },
    )


@login_required
def rating_event(request, pk: int):
    require_view(request.user)
    event = get_object_or_404(RatingEvent.objects.visible_to(request.user), pk=pk)
    outcome = None
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            messages.error(request, "请选择评分文件")
        else:
            try:
                outcome = sheets.do_import_scores(request.user, event, upload_data(file, "rating"), file.name)
            except TooLarge as exc:
                messages.error(request, str(exc))
            else:
                if outcome.accepted:
                    messages.success(request, f"已导入 {outcome.count} 条评分")
                    return redirect("monitoring_rating", pk=pk)
    ranking = sheets.ranking(request.user, event)
    if request.GET.get("format") == "xlsx":
        return files.attachment(
            files.to_xlsx(sheets.RANKING_COLUMNS, ranking, "观摩点评排名"), f"{event.name}排名.xlsx"
        )
    return render(
        request,
        "monitoring/rating.html",
        {
            "event": event,
            "ranking": ranking,
            "outcome": outcome,
            "can_upload": Scope.of(request.user).allows(REVIEW, Report)
            and Scope.of(request.user).covers(*placement(event)),
            "judges": RatingScore.objects.visible_to(request.user)
            .filter(event=event)
            .values("judge")
            .distinct()
            .count(),
        },
        status=400 if outcome and not outcome.accepted else 200,
    )


@login_required
def rating_template(request, pk: int):
    require_view(request.user)
    event = get_object_or_404(RatingEvent.objects.visible_to(request.user), pk=pk)
    return files.attachment(sheets.scores_template(request.user, event), f"{event.name}评分表.xlsx")


def _bulletin(request) -> bulletin.Bulletin:
    require_view(request.user)
    form = form_or_404(request.GET.get("form"))
    year, month, _ = chosen_period(request, form)
    return bulletin.collect(request.user, form, year, month)


@login_required
def bulletin_docx(request):
    """The month's bulletin as a Word document in the official format."""
    b = _bulletin(request)
    body = bulletin.document(b, timezone.localdate())
    return files.attachment(body, b.period + "开发区主要经济指标通报.docx", files.DOCX)


@login_required
def bulletin_xlsx(request):
    """The bulletin's ranking tables as Excel."""
    b = _bulletin(request)
    return files.attachment(bulletin.workbook(b), f"{b.period}开发区主要指标排名.xlsx")
