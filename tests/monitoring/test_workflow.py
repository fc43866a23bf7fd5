"""The report workflow: fill, check, explain, submit, return, approve (locked), unlock."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from jiju.changelog.models import ObjectChange
from jiju.monitoring import actions
from jiju.monitoring.models import Report
from jiju.platform.actions import NotInScope
from tests.monitoring.conftest import approved


def new_report(world, monthly, user="zone", month=3):
    return actions.report_for(world.users[user], monthly, world.zones["zz"], 2026, month)


def test_missing_required_value_refuses_submission_but_keeps_the_draft(world, monthly):
    report = new_report(world, monthly)
    with pytest.raises(actions.Refused) as refused:
        actions.do_submit_report(world.users["zone"], report, {"fixed_investment": 5.0}, {})
    assert refused.value.reasons == ["营业收入为必填项，请填写"]
    report.refresh_from_db()
    assert report.state == Report.DRAFT and report.values == {"fixed_investment": 5.0}


def test_a_warning_needs_an_explanation(world, monthly):
    approved(monthly, world.zones["zz"], 2025, 3, revenue=100.0)  # last year: growth of 80 % is out of band
    approved(monthly, world.zones["zz"], 2026, 2, revenue=120.0)
    report = new_report(world, monthly)
    with pytest.raises(actions.Refused) as refused:
        actions.do_submit_report(world.users["zone"], report, {"revenue": 180.0}, {})
    assert refused.value.reasons == ["请说明：营业收入同比增长80.0%，超出合理区间（-30% 至 50%）；上年同期100"]
    report = actions.do_submit_report(
        world.users["zone"], report, {"revenue": 180.0}, {"growth:revenue": "新投产项目带动"}
    )
    assert report.state == Report.SUBMITTED and report.submitted_by == world.users["zone"]
    assert report.explanations == {"growth:revenue": "新投产项目带动"}
    # A submitted report waits for review and cannot be changed by the zone.
    with pytest.raises(actions.Refused):
        actions.do_save_report(world.users["zone"], report, {"revenue": 1.0}, {})


def test_each_check_reaches_the_form(world, monthly):
    approved(monthly, world.zones["zz"], 2026, 2, revenue=120.0)
    report = new_report(world, monthly)
    actions.do_save_report(
        world.users["zone"], report, {"revenue": 110.0, "fixed_investment": 50.0, "industrial_investment": 60.0}, {}
    )
    assert {(f["check"], f["code"]) for f in report.findings} == {
        ("cumulative", "revenue"),
        ("share", "industrial_investment"),
    }


def test_return_needs_a_comment_and_reopens_the_report(world, monthly):
    report = actions.do_submit_report(world.users["zone"], new_report(world, monthly), {"revenue": 10.0}, {})
    with pytest.raises(actions.Refused):
        actions.do_return_report(world.users["city"], report, "  ")
    report = actions.do_return_report(world.users["city"], report, "请核实营业收入")
    assert report.state == Report.RETURNED and report.review_comment == "请核实营业收入"
    report = actions.do_submit_report(world.users["zone"], report, {"revenue": 12.0}, {})
    assert report.state == Report.SUBMITTED


def test_approval_locks_and_only_a_province_admin_unlocks_with_a_reason(world, monthly):
    report = actions.do_submit_report(world.users["zone"], new_report(world, monthly), {"revenue": 10.0}, {})
    with pytest.raises(NotInScope):
        actions.do_approve_report(world.users["zone"], report)  # a zone does not review itself
    report = actions.do_approve_report(world.users["city"], report, "同意")
    assert report.locked
    with pytest.raises(actions.Refused) as refused:
        actions.do_save_report(world.users["zone"], report, {"revenue": 11.0}, {})
    assert "已审核锁定" in refused.value.reasons[0]
    with pytest.raises(actions.Refused):
        actions.do_save_report(world.users["province"], report, {"revenue": 11.0}, {})
    with pytest.raises(NotInScope):
        actions.do_unlock_report(world.users["city"], report, "数据有误")
    with pytest.raises(actions.Refused):
        actions.do_unlock_report(world.users["province"], report, "")
    report = actions.do_unlock_report(world.users["province"], report, "统计局反馈营业收入口径有误")
    assert report.state == Report.RETURNED and not report.locked
    entry = ObjectChange.for_object(report).first()
    assert entry.before["state"] == Report.APPROVED and entry.after["state"] == Report.RETURNED
    assert entry.after["unlock_reason"] == "统计局反馈营业收入口径有误"
    actions.do_save_report(world.users["zone"], report, {"revenue": 11.0}, {})


def test_scope(world, monthly):
    # A zone officer cannot open another zone's report, nor a city office one outside its city.
    with pytest.raises(NotInScope):
        actions.report_for(world.users["zone"], monthly, world.zones["ly"], 2026, 3)
    with pytest.raises(NotInScope):
        actions.report_for(world.users["city"], monthly, world.zones["ly"], 2026, 3)
    # A leader reads but does not fill.
    with pytest.raises(NotInScope):
        actions.report_for(world.users["leader"], monthly, world.zones["zz"], 2026, 3)
    report = actions.do_submit_report(world.users["zone"], new_report(world, monthly), {"revenue": 10.0}, {})
    with pytest.raises(NotInScope):
        actions.do_approve_report(world.users["leader"], report)


def test_zone_total_against_registry_firms(world):
    from jiju.monitoring.models import ReportForm

    form = ReportForm.objects.get(code="JJQ201")
    report = actions.report_for(world.users["zone"], form, world.zones["zz"], 2026, 9)
    actions.do_save_report(world.users["zone"], report, {"firms_above": 5.0}, {})
    # The registry holds one 规上 firm in 郑州经开区.
    finding = next(f for f in report.findings if f["check"] == "enterprises")
    assert finding["message"] == "规上工业企业数填报5，所属企业合计1，相差400.0%（允许5%）"


def test_deadline_default_and_override(world, monthly):
    import datetime as dt

    zz = world.zones["zz"]
    assert actions.deadline(monthly, 2026, 12, zz) == dt.date(2027, 1, 10)
    actions.do_set_deadline(world.users["city"], monthly, 2026, 12, dt.date(2027, 1, 15))
    assert actions.deadline(monthly, 2026, 12, zz) == dt.date(2027, 1, 15)
    with pytest.raises(PermissionDenied):
        actions.do_set_deadline(world.users["zone"], monthly, 2026, 12, dt.date(2027, 1, 20))
    outstanding = {z.name for z in actions.outstanding(world.users["city"], monthly, 2026, 12)}
    assert outstanding == {"郑州经济技术开发区", "巩义市产业集聚区"}


def test_a_city_sets_the_deadline_of_its_own_zones_only(world, monthly):
    """A city office's deadline held for the whole province before; now each office sets its own
    zones' and the nearest office's deadline holds."""
    import datetime as dt

    zz, ly = world.zones["zz"], world.zones["ly"]
    actions.do_set_deadline(world.users["province"], monthly, 2026, 12, dt.date(2027, 1, 12))
    actions.do_set_deadline(world.users["city"], monthly, 2026, 12, dt.date(2027, 1, 8))
    assert actions.deadline(monthly, 2026, 12, zz) == dt.date(2027, 1, 8)  # 郑州's own
    assert actions.deadline(monthly, 2026, 12, ly) == dt.date(2027, 1, 12)  # the province's, not 郑州's
    assert actions.scope_deadline(world.users["city2"], monthly, 2026, 12) == dt.date(2027, 1, 10)
    # Setting it again changes the office's own deadline, logged, and no other.
    again = actions.do_set_deadline(world.users["city"], monthly, 2026, 12, dt.date(2027, 1, 9))
    assert ObjectChange.for_object(again).first().after["due"] == "2027-01-09"
    assert actions.deadline(monthly, 2026, 12, ly) == dt.date(2027, 1, 12)


def test_a_reviewer_does_not_approve_what_they_submitted(world, monthly, settings):
    report = actions.report_for(world.users["city"], monthly, world.zones["zz"], 2026, 3)
    report = actions.do_submit_report(world.users["city"], report, {"revenue": 10.0}, {})
    with pytest.raises(actions.Refused) as refused:
        actions.do_approve_report(world.users["city"], report)
    assert "本人报送" in refused.value.reasons[0]
    with pytest.raises(actions.Refused):
        actions.do_return_report(world.users["city"], report, "请核实")
    actions.do_approve_report(world.users["province"], report)  # another reviewer may
    settings.JIJU_ALLOW_SELF_REVIEW = True  # a one-person office
    other = actions.report_for(world.users["city"], monthly, world.zones["zz"], 2026, 4)
    other = actions.do_submit_report(world.users["city"], other, {"revenue": 12.0}, {})
    assert actions.do_approve_report(world.users["city"], other).locked


def test_an_indicators_code_is_frozen_once_reports_hold_values_under_it(world, monthly):
    from django.core.exceptions import ValidationError

    from jiju.monitoring.models import Indicator
    from tests.monitoring.conftest import approved

    approved(monthly, world.zones["zz"], 2026, 3, revenue=100.0)
    revenue = Indicator.objects.get(code="revenue")
    revenue.code = "income"
    with pytest.raises(ValidationError):
        actions.do_save_indicator(world.users["province"], revenue)
    assert Indicator.objects.filter(code="revenue").exists()
    unused = Indicator.objects.get(code="industrial_investment")
    unused.name = "工业投资额"
    actions.do_save_indicator(world.users["province"], unused)  # other edits stay possible
    assert ObjectChange.for_object(unused).first().after["name"] == "工业投资额"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf"), 1e400, 1e16, "abc"])
def test_a_figure_that_is_no_finite_number_is_refused_by_name_and_nothing_is_kept(world, monthly, bad):
    report = new_report(world, monthly)
    actions.do_save_report(world.users["zone"], report, {"revenue": 5.0}, {})
    with pytest.raises(actions.Refused) as refused:
        actions.do_save_report(world.users["zone"], report, {"revenue": bad, "fixed_investment": 1.0}, {})
    assert len(refused.value.reasons) == 1 and refused.value.reasons[0].startswith("营业收入：")
    report.refresh_from_db()
    assert report.values == {"revenue": 5.0}
