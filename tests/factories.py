"""One record of every scoped model, placed in city A (郑州, its zone 郑州经济技术开发区), built on
the shared world. The generic scope test reads these; a new scoped model adds its factory here.

Results (of a per-mu run, a zone evaluation, a rating) sit in a run made for the whole province,
which city B reads too: only city A's own rows of it must stay hidden from B."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import models

from jiju.evaluation.scheme import shipped

YEAR, MONTH = 2025, 12
DATA_YEAR = 2017
MARK = "甲市标记"  # in the names of the records made here, so a page showing one is caught
REVENUE = 98765.0  # city A's approved revenue (万元): a total or share read by city B would show it


def _province(world):
    from jiju.registry.models import Region

    return Region.objects.get(code="410000")


def _zhengzhou(world):
    return world.zones["zz"].region


def monthly_form():
    from jiju.monitoring.models import ReportForm

    return ReportForm.objects.filter(frequency="month").first()


def _scheme() -> tuple[str, str]:
    key, path = next(iter(shipped().items()))
    return key, path.read_text(encoding="utf-8")


def _zone_scheme() -> tuple[str, str]:
    key, path = next(iter(shipped("zones").items()))
    return key, path.read_text(encoding="utf-8")


def zone(world, made):
    return world.zones["zz"]


def enterprise(world, made):
    return world.enterprises["zz"]


def parcel(world, made):
    return world.parcels["zz"]


def subpark(world, made):
    from jiju.registry.models import SubPark

    return SubPark.objects.create(zone=world.zones["zz"], name=f"{MARK}区中园")


def plan(world, made):
    from jiju.registry.models import PlanDocument

    return PlanDocument.objects.create(zone=world.zones["zz"], kind="spatial", title=f"{MARK}规划", state="drafting")


def tenancy(world, made):
    from jiju.registry.models import Tenancy

    return Tenancy.objects.create(parcel=world.parcels["zz"], tenant=world.enterprises["zz"], floor_area_m2=800)


def enterprise_year(world, made):
    from jiju.assessment.models import EnterpriseYear

    # A year no other record uses, so a page offering it to B has read A's data.
    return EnterpriseYear.objects.create(enterprise=world.enterprises["zz"], year=DATA_YEAR, tax=900_000, revenue=9e6)


def department_upload(world, made):
    from jiju.assessment.models import DepartmentUpload

    return DepartmentUpload.objects.create(
        department="tax",
        year=YEAR,
        filename=f"{MARK}税务.xlsx",
        uploaded_by=world.users["city"],
        rows=1,
        stored=1,
        region=_zhengzhou(world),
    )


def evaluation_run(world, made):
    from jiju.assessment.models import EvaluationRun

    key, text = _scheme()
    return EvaluationRun.objects.create(
        scheme=key,
        scheme_name=f"{MARK}评价",
        scheme_text=text,
        year=YEAR,
        created_by=world.users["city"],
        region=_zhengzhou(world),
    )


def evaluation_result(world, made):
    from jiju.assessment.models import EvaluationResult, EvaluationRun

    key, text = _scheme()
    run = EvaluationRun.objects.create(
        scheme=key, scheme_name="全省评价", scheme_text=text, year=YEAR, region=_province(world), grade_counts={"A": 2}
    )
    for firm, score in ((world.enterprises["ly"], 80.0), (world.enterprises["zz"], 90.0)):
        result = EvaluationResult.objects.create(run=run, enterprise=firm, score=score, rank=1, grade="A")
    return result  # city A's


def objection(world, made):
    """City A's firm's objection to the province's run (published, under notice), which B reads too."""
    from django.utils import timezone

    from jiju.assessment.models import EvaluationRun, Objection

    run = made["assessment.EvaluationResult"].run
    today = timezone.localdate()
    EvaluationRun.objects.filter(pk=run.pk).update(
        state="published", notice_start=today, notice_end=today + dt.timedelta(days=7)
    )
    return Objection.objects.create(
        run=run, enterprise=world.enterprises["zz"], field="tax", claimed=1.0, claim=f"{MARK}异议理由"
    )


def objection_evidence(world, made):
    from jiju.assessment.models import ObjectionEvidence

    return ObjectionEvidence.objects.create(
        objection=made["assessment.Objection"], filename=f"{MARK}证明.pdf", size=4, content=b"%PDF"
    )


def deadline(world, made):
    from jiju.monitoring.models import Deadline

    return Deadline.objects.create(
        form=monthly_form(), year=YEAR, month=MONTH, due=dt.date(2026, 1, 20), region=_zhengzhou(world)
    )


def report(world, made):
    from jiju.monitoring.models import Report

    return Report.objects.create(
        form=monthly_form(),
        zone=world.zones["zz"],
        year=YEAR,
        month=MONTH,
        state=Report.APPROVED,
        values={"revenue": REVENUE},
        submitted_by=world.users["zone"],
        reviewed_by=world.users["city"],
    )


def target(world, made):
    from jiju.monitoring.models import Indicator, Target

    return Target.objects.create(
        zone=world.zones["zz"], year=YEAR, indicator=Indicator.objects.get(code="revenue"), value=1234.5
    )


def zone_evaluation(world, made):
    from jiju.monitoring.models import ZoneEvaluation

    key, text = _zone_scheme()
    return ZoneEvaluation.objects.create(
        scheme=key, scheme_name=f"{MARK}考核", scheme_text=text, year=YEAR, region=_zhengzhou(world)
    )


def zone_result(world, made):
    from jiju.monitoring.models import ZoneEvaluation, ZoneResult

    key, text = _zone_scheme()
    evaluation = ZoneEvaluation.objects.create(
        scheme=key, scheme_name="全省考核", scheme_text=text, year=YEAR, region=_province(world), state="published"
    )
    ZoneResult.objects.create(evaluation=evaluation, zone=world.zones["ly"], score=70, rank=2)
    return ZoneResult.objects.create(evaluation=evaluation, zone=world.zones["zz"], score=90, rank=1)


def rating_event(world, made):
    from jiju.monitoring.models import RatingEvent

    return RatingEvent.objects.create(
        name=f"{MARK}观摩", date=dt.date(2025, 6, 1), criteria=[{"name": "进度", "max": 40}], region=_zhengzhou(world)
    )


def rating_score(world, made):
    from jiju.monitoring.models import RatingEvent, RatingScore

    event = RatingEvent.objects.create(
        name="全省观摩", date=dt.date(2025, 6, 2), criteria=[{"name": "进度", "max": 40}], region=_province(world)
    )
    for zone_key, score in (("ly", 30.0), ("zz", 35.0)):
        found = RatingScore.objects.create(
            event=event,
            judge="张评委",
            zone=world.zones[zone_key],
            project=f"{MARK}{zone_key}项目",
            criterion="进度",
            score=score,
        )
    return found  # city A's


def profile(world, made):
    return world.users["zone"].profile


# label -> factory(world, made so far); in an order where each may use those before it.
FACTORIES: dict[str, Callable[..., models.Model]] = {
    "registry.Zone": zone,
    "registry.Enterprise": enterprise,
    "registry.Parcel": parcel,
    "registry.SubPark": subpark,
    "registry.PlanDocument": plan,
    "registry.Tenancy": tenancy,
    "assessment.EnterpriseYear": enterprise_year,
    "assessment.DepartmentUpload": department_upload,
    "assessment.EvaluationRun": evaluation_run,
    "assessment.EvaluationResult": evaluation_result,
    "assessment.Objection": objection,
    "assessment.ObjectionEvidence": objection_evidence,
    "monitoring.Deadline": deadline,
    "monitoring.Report": report,
    "monitoring.Target": target,
    "monitoring.ZoneEvaluation": zone_evaluation,
    "monitoring.ZoneResult": zone_result,
    "monitoring.RatingEvent": rating_event,
    "monitoring.RatingScore": rating_score,
    "accounts.Profile": profile,
}


def city_a_records(world) -> dict[str, models.Model]:
    """One record of each scoped model in city A, by model label."""
    made: dict[str, models.Model] = {}
    for label, factory in FACTORIES.items():
        made[label] = factory(world, made)
    return made
