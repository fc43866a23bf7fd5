"""Public notice and objections (公示与异议) of a published per-mu run, and the version it leads to.

Publishing opens a notice period; during it a zone officer (for its firms) or the office records a
firm's objection with its evidence; the office accepts it (the corrected figure enters through the
departmental data path, the objection its reason) or rejects it with a reason; after the period the
office finalises: if anything was accepted a new version of the run is computed and published in
place of the old, which stays readable as superseded. Every step is a do_* action in the changelog.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiju.assessment import evaluations
from jiju.assessment.actions import write_year
from jiju.assessment.models import EnterpriseYear, EvaluationResult, EvaluationRun, Objection, ObjectionEvidence
from jiju.ingest.departments import DEPARTMENTS
from jiju.platform import runs
from jiju.platform.actions import action, check_placement, get_for, placement
from jiju.platform.permissions import ADD, PUBLISH, REVIEW, VIEW, Scope
from jiju.registry.models import Enterprise

EVIDENCE_TYPES = (".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx")
MAX_EVIDENCE = 10
# The figures an objection may dispute: every departmental measure, labelled with its stored unit.
FIGURES = {
    m.field: str(EnterpriseYear._meta.get_field(m.field).verbose_name) for d in DEPARTMENTS.values() for m in d.measures
}


def in_notice(run: EvaluationRun, today: dt.date) -> bool:
    """Whether objections may be recorded on the run today."""
    return (
        run.state == EvaluationRun.PUBLISHED
        and run.finalised_at is None
        and run.notice_start is not None
        and run.notice_start <= today <= run.notice_end
    )


def _period(run: EvaluationRun) -> str:
    return f"{run.notice_start}至{run.notice_end}" if run.notice_start else "未设公示期"


@action("assessment.Objection", ADD)
@transaction.atomic
def do_record_objection(
    user,
    run: EvaluationRun,
    credit_code: str,
    figure: str,
    claimed: float | str,
    claim: str,
    evidence: list[tuple[str, bytes]],
) -> Objection:
    """Record a firm's objection to its figure in a run under notice, with the evidence files it gave."""
    if not Scope.of(user).allows(ADD, Objection):
        raise PermissionDenied("您的角色无权登记异议")
    run = get_for(user, EvaluationRun, VIEW, pk=run.pk)
    enterprise = get_for(user, Enterprise, VIEW, credit_code=(credit_code or "").strip().upper())
    objection = Objection(run=run, enterprise=enterprise, recorded_by=user)
    check_placement(user, objection, ADD)  # a zone officer objects for its own firms only
    if not in_notice(run, timezone.localdate()):
        raise ValidationError(f"该评价批次不在公示期内（{_period(run)}），不能登记异议")
    if not EvaluationResult.objects.filter(run=run, enterprise=enterprise).exists():
        raise ValidationError(f"{enterprise.name}不在本批次的评价名单中")
    if figure not in FIGURES:
        raise ValidationError("请选择有异议的数据项")
    try:
        value = float(str(claimed).replace(",", "").strip())
    except ValueError:
        raise ValidationError(f"企业主张的数值应为数字，收到“{str(claimed)[:20]}”") from None
    if not math.isfinite(value) or value < 0:
        raise ValidationError(f"企业主张的数值应为不小于 0 的数字，收到“{str(claimed)[:20]}”")
    if not claim.strip():
        raise ValidationError("请填写异议理由")
    if not evidence:
        raise ValidationError("请上传至少一份证明材料（如加盖公章的书面材料扫描件）")
    if len(evidence) > MAX_EVIDENCE:
        raise ValidationError(f"证明材料最多 {MAX_EVIDENCE} 份，收到 {len(evidence)} 份")
    for name, _ in evidence:
        if PurePath(name).suffix.lower() not in EVIDENCE_TYPES:
            raise ValidationError(f"证明材料“{name[:60]}”的类型不受支持，请上传 PDF、OFD、图片、Word 或 Excel 文件")
    objection.field, objection.claimed, objection.claim = figure, value, claim.strip()[:2000]
    objection.save()
    ObjectionEvidence.objects.bulk_create(
        ObjectionEvidence(objection=objection, filename=name[:200], size=len(body), content=body)
        for name, body in evidence
    )
    return objection


def _pending(user, objection: Objection) -> Objection:
    if not Scope.of(user).allows(REVIEW, Objection):
        raise PermissionDenied("仅省、市开发区办可以处理异议")
    objection = get_for(user, Objection, REVIEW, pk=objection.pk)
    if objection.state != Objection.PENDING:
        raise ValidationError("该异议已处理")
    if objection.run.finalised_at is not None:
        raise ValidationError("该评价批次已定案，不能再处理异议")
    return objection


def reason_of(objection: Objection) -> str:
    """The reason a corrected figure carries, and a new version names: the accepted objection."""
    return f"采纳公示异议（第{objection.pk}号）：{FIGURES[objection.field]}更正为{objection.claimed:,.10g}"


@action("assessment.Objection", REVIEW)
@transaction.atomic
def do_accept_objection(user, objection: Objection, decision: str = "") -> Objection:
    """Accept: the firm's figure goes into the year's departmental data, with the objection as its reason."""
    objection = _pending(user, objection)
    enterprise = objection.enterprise
    values = {objection.field: objection.claimed, "correction": reason_of(objection)[:300]}
    write_year(objection.run.year, {enterprise.pk: values}, {enterprise.pk: enterprise}, list(values))
    objection.state, objection.decided_by, objection.decided_at = Objection.ACCEPTED, user, timezone.now()
    objection.decision = decision.strip()[:2000] or "经核实，予以采纳"
    objection.save()
    return objection


@action("assessment.Objection", REVIEW)
@transaction.atomic
def do_reject_objection(user, objection: Objection, decision: str) -> Objection:
    """Reject, saying why; the figure stays as the department gave it."""
    objection = _pending(user, objection)
    if not decision.strip():
        raise ValidationError("不予采纳时请填写理由")
    objection.state, objection.decided_by, objection.decided_at = Objection.REJECTED, user, timezone.now()
    objection.decision = decision.strip()[:2000]
    objection.save()
    return objection


def may_finalise(user, run: EvaluationRun, today: dt.date) -> bool:
    """Whether the finalise button belongs on the run's page."""
    scope = Scope.of(user)
    return (
        run.state == EvaluationRun.PUBLISHED
        and run.finalised_at is None
        and run.notice_end is not None
        and today > run.notice_end
        and scope.allows(PUBLISH, EvaluationRun)
        and scope.covers(*placement(run))
    )


@action("assessment.EvaluationRun", PUBLISH)
def do_finalise_run(user, run: EvaluationRun) -> EvaluationRun:
    """After the notice period: with no objection accepted the run stands as published; else a new version
    is computed on the corrected data and published in its place (the old stays readable, superseded).
    Returns the run whose grades take effect."""
    if not Scope.of(user).allows(PUBLISH, EvaluationRun):
        raise PermissionDenied("仅省、市开发区办可以定案")
    run = get_for(user, EvaluationRun, PUBLISH, pk=run.pk)
    today = timezone.localdate()
    if run.state != EvaluationRun.PUBLISHED or run.finalised_at is not None:
        raise ValidationError("只有已发布、尚未定案的评价批次可以定案")
    if run.notice_end is None or today <= run.notice_end:
        raise ValidationError(f"公示期（{_period(run)}）届满后方可定案")
    pending = run.objections.filter(state=Objection.PENDING).count()
    if pending:
        raise ValidationError(f"尚有 {pending} 件异议未处理，处理后方可定案")
    accepted = list(run.objections.filter(state=Objection.ACCEPTED).select_related("enterprise"))
    if not accepted:
        run.finalised_at = timezone.now()
        run.save()
        return run
    # A version whose computation failed at an earlier try gives way to this one.
    EvaluationRun.objects.filter(revises=run).exclude(state__in=runs.FROZEN).delete()
    version = EvaluationRun.objects.create(
        scheme=run.scheme,
        scheme_name=run.scheme_name,
        scheme_text=run.scheme_text,  # the same method on the corrected data
        year=run.year,
        region=run.region,
        zone=run.zone,
        created_by=user,
        state=EvaluationRun.RUNNING,
        revises=run,
        version=run.version + 1,
        version_reason="；".join(f"{o.enterprise.name}：{reason_of(o)}" for o in accepted)[:5000],
    )
    # The firms of the run's own scope, as its author saw them, not the (perhaps larger) finaliser's.
    computed = evaluations.execute(version, run.created_by or user)
    if computed is None or computed.state != EvaluationRun.DRAFT:
        raise ValidationError("新版本计算未完成，请稍后重试")
    with transaction.atomic():
        runs.do_publish_run(user, computed)
        EvaluationRun.objects.filter(pk__in=[run.pk, computed.pk]).update(finalised_at=timezone.now())
    computed.refresh_from_db()
    return computed


def changes_from_previous(run: EvaluationRun, results: list[EvaluationResult]) -> None:
    """Mark each result of a revised run with the previous version's grade and rank, and the reason
    when an accepted objection of that firm led to the revision (`previous`, `reason`)."""
    if run.revises_id is None:
        return
    ids = [r.enterprise_id for r in results]
    before = {
        r.enterprise_id: r
        for r in EvaluationResult.objects.filter(run_id=run.revises_id, enterprise_id__in=ids).only(
            "enterprise_id", "grade", "rank", "score"
        )
    }
    reasons: dict[int, list[str]] = {}
    for o in Objection.objects.filter(run_id=run.revises_id, state=Objection.ACCEPTED, enterprise_id__in=ids):
        reasons.setdefault(o.enterprise_id, []).append(reason_of(o))
    for result in results:
        result.previous = before.get(result.enterprise_id)
        result.reason = "；".join(reasons.get(result.enterprise_id, []))
