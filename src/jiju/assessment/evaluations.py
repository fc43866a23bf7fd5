"""Evaluation runs in the platform: build the year's frame, apply a scheme, store, review and publish.

State changes go through the do_* functions here; a published run is frozen.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from jiju.assessment import frames
from jiju.assessment.models import EnterpriseYear, EvaluationResult, EvaluationRun
from jiju.evaluation import engine
from jiju.evaluation.scheme import loads, shipped
from jiju.platform import params, runs
from jiju.platform.actions import action, get_for, placement
from jiju.platform.permissions import ADD, DELETE, PUBLISH, VIEW, Scope
from jiju.platform.runs import do_publish_run
from jiju.platform.scoping import made_for
from jiju.registry.models import Enterprise

TENANT_LIST = "租赁企业"
WITH_LANDLORD = "租赁企业（随出租方评价）"


def _as_landlords(evaluated: list[tuple[str, pl.DataFrame]], tenants: pl.DataFrame) -> pl.DataFrame:
    """Each tenant graded with its landlord (tenants = "landlord"): the landlord's result, which holds the
    tenant's figures, under the tenant's name and without a rank of its own."""
    results = pl.concat([result for _, result in evaluated], how="diagonal_relaxed")
    pairs = tenants.select(pl.col("enterprise_id").alias("_tenant"), pl.col("landlord_id").alias("enterprise_id"))
    merged = pairs.join(results, on="enterprise_id", how="inner")
    return merged.drop("enterprise_id").rename({"_tenant": "enterprise_id"}).with_columns(pl.lit(None).alias("rank"))


def new_run(user, scheme_key: str, year: int) -> EvaluationRun:
    """A run of a shipped scheme over `year`, made for the user's scope: running until `execute` stores
    its results."""
    if not Scope.of(user).allows(ADD, EvaluationRun):
        raise PermissionDenied("您的角色无权发起评价")
    year = params.year(year)
    path = shipped().get(scheme_key)
    if path is None:
        raise PermissionDenied("未知的评价方案")
    if not EnterpriseYear.objects.visible_to(user).filter(year=year).exists():
        raise ValidationError(f"{year}年尚无您管辖范围内企业的部门数据，不能发起评价；请先上传该年度的部门数据")
    text = path.read_text(encoding="utf-8")
    return EvaluationRun.objects.create(
        scheme=scheme_key,
        scheme_name=loads(text).name,
        scheme_text=text,
        year=year,
        created_by=user,
        state=EvaluationRun.RUNNING,
        **made_for(user),
    )


@action("assessment.EvaluationRun", ADD)
def do_start_evaluation(user, scheme_key: str, year: int) -> EvaluationRun:
    """Queue an evaluation of every enterprise in the user's scope for `year` by a shipped scheme.

    The run is stored at once (state "running") and its work goes to the task queue, which
    fills in the results and the progress; the run's page follows it.
    """
    run = new_run(user, scheme_key, year)
    enqueue(run)
    return run


def enqueue(run: EvaluationRun) -> None:
    """Queue the run's current attempt; the task of an earlier attempt finds itself outdated and stops."""
    from jiju.assessment.tasks import evaluate_run

    evaluate_run.enqueue(run.pk, run.created_by_id, run.attempt)


@action("assessment.EvaluationRun", ADD)
def do_retry_run(user, run: EvaluationRun) -> EvaluationRun:
    """Queue a failed run again (its worker died, or the computation failed)."""
    return runs.do_retry_run(user, run, enqueue)


def execute(run: EvaluationRun, user) -> EvaluationRun | None:
    """Build the year's frame (and the year before's, for each firm's grade with its figures of then), apply
    the run's scheme and store the results, reporting progress.

    The results are written in one transaction at the end, and only if the run is still this attempt
    (not failed as dead, retried or deleted meanwhile): a run never shows partial results. None if the
    run was no longer this worker's to finish."""
    scheme = loads(run.scheme_text)
    started = time.perf_counter()
    with runs.heartbeat(run):
        if not runs.beat(run, progress=10):
            return None
        enterprises = Enterprise.objects.visible_to(user, VIEW)
        frame = frames.build(enterprises, run.year, scheme)
        runs.beat(run, progress=30)
        reported = EnterpriseYear.objects.filter(year=run.year - 1, enterprise__in=enterprises.order_by().values("pk"))
        previous = frames.build(enterprises, run.year - 1, scheme) if reported.exists() else None
        runs.beat(run, progress=40)
        with_landlord = frame.filter(pl.col("landlord_id").is_not_null())
        frame = frame.filter(pl.col("landlord_id").is_null())
        if scheme.tenants == "separate":
            lists = [("", frame.filter(~pl.col("is_tenant"))), (TENANT_LIST, frame.filter(pl.col("is_tenant")))]
        else:
            lists = [("", frame)]
        evaluated = [(name, engine.evaluate(scheme, part, previous=previous)) for name, part in lists if part.height]
        if with_landlord.height:
            evaluated.append((WITH_LANDLORD, _as_landlords(evaluated, with_landlord)))
        runs.beat(run, progress=60)
        with transaction.atomic():
            if not runs.claim(run):
                return None
            results = []
            for name, result in evaluated:
                results += [_result(run, name, scheme, row) for row in result.iter_rows(named=True)]
            EvaluationResult.objects.filter(run=run).delete()
            EvaluationResult.objects.bulk_create(results, batch_size=2000)
            run.grade_counts = dict(Counter(r.grade for r in results if r.grade))
            run.seconds = round(time.perf_counter() - started, 2)
            run.state, run.progress = EvaluationRun.DRAFT, 100
            run.save()  # the run's changelog entry holds its grade counts: the results are logged in bulk
    return run


FAILED_COMPUTATION = "评价计算出错，已中止，未保存任何结果；可重试或删除，如再次失败请联系系统管理员"


def fail(run: EvaluationRun) -> None:
    """Mark this attempt failed with a Chinese reason (the details go to the worker's log); no results stay."""
    with transaction.atomic():
        if not runs.claim(run):
            return
        EvaluationResult.objects.filter(run=run).delete()
        run.state, run.error = EvaluationRun.FAILED, FAILED_COMPUTATION
        run.save()


def clean(value):
    """A stored number: infinities and NaN (from a division by zero) become empty."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def breakdown(scheme, row: dict) -> list[dict]:
    """Each indicator's value, normalised value, weight and contribution to the score (得分明细), and the
    change of its value that alone would lift the firm to its next grade."""
    return [
        {
            "code": i.code,
            "label": i.label,
            "value": clean(row[engine.value(i.code)]),
            "normalized": clean(row[engine.normalized(i.code)]),
            "weight": clean(row[engine.weight(i.code)]),
            "contribution": clean(row[engine.contribution(i.code)]),
            "to_next": clean(row.get(engine.to_next(i.code))),
        }
        for i in scheme.indicators
    ]


def _result(run: EvaluationRun, list_name: str, scheme, row: dict) -> EvaluationResult:
    return EvaluationResult(
        run=run,
        enterprise_id=row["enterprise_id"],
        list_name=list_name or row.get(engine.LIST) or "",
        status=row.get(engine.STATUS) or "",
        score=clean(row["score"]),
        rank=row["rank"],
        grade=row.get("grade") or "",
        excluded_reason=row.get(engine.REASON) or "",
        next_grade=row.get("next_grade") or "",
        gap_to_next_grade=clean(row.get("gap_to_next_grade")),
        grade_with_previous=row.get("grade_with_previous") or "",
        breakdown=breakdown(scheme, row),
    )


NOTICE_DAYS = 7  # the notice period (公示期) a publication opens unless the office says otherwise


def notice_period(start: dt.date | None, end: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period a publication opens: from `start` (today) to `end` (NOTICE_DAYS later), end not before start."""
    start = start or today
    end = end or start + dt.timedelta(days=NOTICE_DAYS)
    if end < start:
        raise ValidationError(f"公示截止日期（{end}）不能早于开始日期（{start}）")
    return start, end


@action("assessment.EvaluationRun", PUBLISH)
@transaction.atomic
def do_publish(
    user, run: EvaluationRun, notice_start: dt.date | None = None, notice_end: dt.date | None = None
) -> EvaluationRun:
    """Publish a reviewed run for its scope and open its notice period (公示期); from then on its results
    do not change (a correction makes a new version, objections.do_finalise_run)."""
    start, end = notice_period(notice_start, notice_end, timezone.localdate())
    run = do_publish_run(user, run)
    run.notice_start, run.notice_end = start, end
    run.save()
    return run


def what_publishing_freezes(user, run: EvaluationRun) -> dict:
    """What the confirmation page names before publishing: the firms whose scores, ranks and grades
    freeze, the scheme, and the publication this one replaces (which stays readable, superseded)."""
    return {
        "results": EvaluationResult.objects.filter(run=run).count(),
        "grades": sorted(grade_counts(user, [run])[run.pk].items()),
        "replaces": list(runs.replaced_by(run).select_related("published_by")),
    }


def list_names(run: EvaluationRun) -> list[str]:
    """The names of the lists the run's scheme publishes, in its order (empty for a scheme without lists)."""
    return [x.name for x in loads(run.scheme_text).lists]


def may_delete(user, run: EvaluationRun) -> bool:
    """Whether the delete button belongs on the run's page: an unpublished run the user started (or any, for
    those who cover everything)."""
    scope = Scope.of(user)
    return (
        run.state not in runs.FROZEN
        and scope.allows(DELETE, EvaluationRun)
        and scope.covers(*placement(run))
        and (run.created_by_id == user.pk or scope.everything)
    )


@action("assessment.EvaluationRun", DELETE)
@transaction.atomic
def do_delete_run(user, run: EvaluationRun) -> None:
    run = get_for(user, EvaluationRun, DELETE, pk=run.pk)
    if run.state in runs.FROZEN:
        raise PermissionDenied("已发布（或已被替代）的评价批次不能删除")
    if not may_delete(user, run):
        raise PermissionDenied("只能删除本人发起的评价批次")
    run.delete()


def grade_counts(user, runs: list[EvaluationRun]) -> dict[int, dict[str, int]]:
    """Each run's grade distribution as the user may see it: the whole run's for those who cover
    its scope, else counted over the results of the user's own firms."""
    scope = Scope.of(user)
    counts = {run.pk: dict(run.grade_counts) if scope.covers(*placement(run)) else {} for run in runs}
    partial = [run.pk for run in runs if not scope.covers(*placement(run))]
    if partial:
        rows = (
            EvaluationResult.objects.visible_to(user, VIEW)
            .filter(run_id__in=partial)
            .exclude(grade="")
            .values_list("run_id", "grade")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for pk, grade, n in rows:
            counts[pk][grade] = n
    return {pk: dict(sorted(c.items())) for pk, c in counts.items()}
