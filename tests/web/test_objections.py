"""Public notice and objections (issue 11, item 1): publishing opens a notice period; a zone officer
records its firm's objection with evidence; the office accepts (the figure is corrected in the
departmental data, the objection its reason) or rejects; after the period the office finalises, and a
new version is computed and published if anything was accepted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiju.assessment import evaluations, objections
from jiju.assessment.models import EnterpriseYear, EvaluationResult, EvaluationRun, Objection
from jiju.changelog.models import ObjectChange
from jiju.platform.actions import NotInScope

PDF = b"%PDF-1.4 stamped statement of the tax bureau"


@pytest.fixture
def published(year_data):
    """郑州's run of 2025, published with the default notice period (today and seven days on)."""
    city = year_data.users["city"]
    run = evaluations.execute(evaluations.new_run(city, "huaian_2024", 2025), city)
    return evaluations.do_publish(city, run)


def _end_period(run: EvaluationRun) -> None:
    """The calendar moves on: the notice period ended yesterday."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    EvaluationRun.objects.filter(pk=run.pk).update(notice_start=yesterday - dt.timedelta(days=7), notice_end=yesterday)
    run.refresh_from_db()


def test_publishing_opens_a_notice_period_and_a_bad_period_is_refused(year_data):
    city = year_data.users["city"]
    run = evaluations.execute(evaluations.new_run(city, "huaian_2024", 2025), city)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="不能早于开始日期"):
        evaluations.do_publish(city, run, today, today - dt.timedelta(days=1))
    run.refresh_from_db()
    assert run.state == EvaluationRun.DRAFT  # nothing half-done
    response = year_data.client("city").post(
        f"/assessment/runs/{run.pk}/publish/", {"confirm": "1", "notice_start": "2026-13-01"}, follow=True
    )
    assert "公示开始日期应为“年-月-日”格式的日期" in response.content.decode()
    run = evaluations.do_publish(city, run)
    assert (run.notice_start, run.notice_end) == (today, today + dt.timedelta(days=7))


def test_an_accepted_objection_corrects_the_figure_and_finalising_makes_a_new_version(published, year_data):
    run, city, gy = published, year_data.users["city"], year_data.enterprises["gy"]
    before = EvaluationResult.objects.get(run=run, enterprise=gy)
    objection = objections.do_record_objection(
        city, run, gy.credit_code, "tax", "3,000,000", "税务局少计了第四季度入库税款", [("完税证明.pdf", PDF)]
    )
    assert objection.evidence.get().content == PDF
    objections.do_accept_objection(city, objection, "经税务局核实")
    year = EnterpriseYear.objects.get(enterprise=gy, year=2025)
    assert year.tax == 3_000_000 and f"第{objection.pk}号" in year.correction
    assert ObjectChange.for_object(year).first().after["tax"] == 3_000_000  # the correction is in the changelog
    with pytest.raises(ValidationError, match="届满后方可定案"):
        objections.do_finalise_run(city, run)
    _end_period(run)
    final = objections.do_finalise_run(city, run)
    run.refresh_from_db()
    assert final.pk != run.pk and final.version == 2 and final.revises_id == run.pk
    assert final.state == EvaluationRun.PUBLISHED and run.state == EvaluationRun.SUPERSEDED
    assert run.finalised_at and final.finalised_at
    after = EvaluationResult.objects.get(run=final, enterprise=gy)
    # 300 万元 of tax on 30 亩 puts 巩义's firm above 郑州经开区's (90 万元): first, where it was second.
    assert (before.rank, after.rank) == (2, 1)
    assert after.score > before.score
    assert "采纳公示异议" in final.version_reason and gy.name in final.version_reason


def test_a_zone_officer_objects_for_its_own_firms_only_and_cannot_decide(published, year_data):
    world, run = year_data, published
    zone = world.users["zone"]  # 郑州经开区's officer
    own, other = world.enterprises["zz"], world.enterprises["gy"]
    objection = objections.do_record_objection(zone, run, own.credit_code, "tax", 1, "少计", [("证明.pdf", PDF)])
    with pytest.raises(NotInScope):
        objections.do_record_objection(zone, run, other.credit_code, "tax", 1, "少计", [("证明.pdf", PDF)])
    with pytest.raises(PermissionDenied):
        objections.do_accept_objection(zone, objection)
    assert Objection.objects.count() == 1


@pytest.mark.parametrize(
    ("figure", "claimed", "claim", "evidence", "says"),
    [
        ("tax", "abc", "少计", [("a.pdf", PDF)], "应为数字"),
        ("tax", "-5", "少计", [("a.pdf", PDF)], "不小于 0"),
        ("nothing", "5", "少计", [("a.pdf", PDF)], "请选择有异议的数据项"),
        ("tax", "5", " ", [("a.pdf", PDF)], "请填写异议理由"),
        ("tax", "5", "少计", [], "请上传至少一份证明材料"),
        ("tax", "5", "少计", [("a.exe", b"MZ")], "类型不受支持"),
    ],
)
def test_a_bad_objection_says_why_and_records_nothing(published, figure, claimed, claim, evidence, says):
    firm = EvaluationResult.objects.filter(run=published).first().enterprise
    with pytest.raises(ValidationError, match=says):
        objections.do_record_objection(
            published.created_by, published, firm.credit_code, figure, claimed, claim, evidence
        )
    assert not Objection.objects.exists()


def test_no_objection_outside_the_notice_period_and_a_rejection_needs_a_reason(published):
    run, city = published, published.created_by
    firm = EvaluationResult.objects.filter(run=run).first().enterprise
    objection = objections.do_record_objection(city, run, firm.credit_code, "tax", 5, "少计", [("a.pdf", PDF)])
    with pytest.raises(ValidationError, match="请填写理由"):
        objections.do_reject_objection(city, objection, "")
    _end_period(run)
    with pytest.raises(ValidationError, match="不在公示期内"):
        objections.do_record_objection(city, run, firm.credit_code, "tax", 5, "少计", [("a.pdf", PDF)])
    with pytest.raises(ValidationError, match="尚有 1 件异议未处理"):
        objections.do_finalise_run(city, run)
    objections.do_reject_objection(city, objection, "材料未加盖公章")
    final = objections.do_finalise_run(city, run)
    assert final.pk == run.pk and final.finalised_at and final.version == 1  # nothing accepted: it stands
    assert EnterpriseYear.objects.get(enterprise=firm, year=2025).tax != 5


def test_evidence_over_the_size_limit_is_refused_with_its_size(published, year_data, settings):
    settings.JIJU_UPLOAD_LIMITS = {**settings.JIJU_UPLOAD_LIMITS, "evidence": 1000}
    firm = year_data.enterprises["zz"]
    big = SimpleUploadedFile("扫描件.pdf", b"%PDF" + b"0" * 2000)
    response = year_data.client("zone").post(
        f"/assessment/runs/{published.pk}/objections/",
        {"credit_code": firm.credit_code, "figure": "tax", "claimed": "5", "claim": "少计", "evidence": big},
        follow=True,
    )
    assert "文件过大" in response.content.decode() and "异议证明材料" in response.content.decode()
    assert not Objection.objects.exists()


def test_evidence_is_kept_and_served_only_within_scope(published, year_data):
    firm = year_data.enterprises["zz"]
    year_data.client("zone").post(
        f"/assessment/runs/{published.pk}/objections/",
        {
            "credit_code": firm.credit_code,
            "figure": "tax",
            "claimed": "5",
            "claim": "少计",
            "evidence": SimpleUploadedFile("完税证明.pdf", PDF),
        },
    )
    evidence = Objection.objects.get().evidence.get()
    assert year_data.client("city").get(f"/assessment/evidence/{evidence.pk}/").content == PDF
    assert year_data.client("city2").get(f"/assessment/evidence/{evidence.pk}/").status_code == 404
    assert year_data.client("zone2").get(f"/assessment/evidence/{evidence.pk}/").status_code == 404


def test_a_version_whose_computation_failed_gives_way_at_the_next_try(published, year_data):
    run, city = published, year_data.users["city"]
    firm = year_data.enterprises["gy"]
    objection = objections.do_record_objection(city, run, firm.credit_code, "tax", 5, "少计", [("a.pdf", PDF)])
    objections.do_accept_objection(city, objection)
    failed = EvaluationRun.objects.create(
        scheme=run.scheme,
        scheme_name=run.scheme_name,
        scheme_text=run.scheme_text,
        year=run.year,
        region=run.region,
        state=EvaluationRun.FAILED,
        revises=run,
        version=2,
    )
    _end_period(run)
    final = objections.do_finalise_run(city, run)
    assert list(EvaluationRun.objects.filter(revises=run)) == [final]
    assert not EvaluationRun.objects.filter(pk=failed.pk).exists()
