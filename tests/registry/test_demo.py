"""The demo province: real Henan zones, valid and deterministic synthetic firms, an account per role."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jiju.core import credit_code
from jiju.registry.models import Enterprise, Parcel, Tenancy, Zone


def codes() -> list[str]:
    return list(Enterprise.objects.order_by("pk").values_list("credit_code", flat=True))


@pytest.mark.django_db
def test_demo_is_real_valid_and_deterministic():
    call_command("demo", enterprises=1500, seed=7)
    assert Zone.objects.count() == 150
    assert Zone.objects.filter(region__code__startswith="41").count() == 150
    assert Zone.objects.filter(region__level=1).count() == 0  # every zone placed in a city or county
    hongqiqu = Zone.objects.get(name="红旗渠经济技术开发区")
    assert hongqiqu.region.name == "林州市" and hongqiqu.code == "G411164"
    firms = Enterprise.objects.select_related("zone__region", "industry")
    assert 1400 <= firms.count() <= 1700
    for firm in firms:
        assert credit_code.is_valid(firm.credit_code)
        assert firm.credit_code[2:8] == firm.zone.region.code
        assert firm.industry.level == 4
    # Firms lean toward each zone's leading industries: 郑州经开区 (汽车、装备制造、物流).
    zz = firms.filter(zone__code="G411031")
    leading = zz.filter(industry__code__regex=r"^(34|35|36|54|59)").count()
    assert leading / zz.count() > 0.5
    assert Parcel.objects.exists() and Tenancy.objects.exists()
    assert set(Enterprise.tags.through.objects.values_list("tag__code", flat=True)) >= {"leader", "flagship"}
    from jiju.assessment.models import DepartmentUpload, EnterpriseYear

    assert set(EnterpriseYear.objects.values_list("year", flat=True)) == {2024, 2025}
    assert DepartmentUpload.objects.count() == 10  # five departments, two years, through the ordinary upload
    above = EnterpriseYear.objects.filter(enterprise__scale="above", year=2025)
    assert above.filter(value_added__isnull=False, tax__isnull=False, energy_tce__isnull=False).count() == above.count()
    first = codes()
    call_command("demo", enterprises=1500, seed=7, reset=True)
    assert codes() == first
    from django.contrib.auth import get_user_model

    roles = set(get_user_model().objects.filter(profile__isnull=False).values_list("profile__role", flat=True))
    assert roles == {"province_admin", "city_office", "zone_officer", "data_provider", "leader"}
    _monitoring_demo_holds_36_months_and_the_planted_anomalies()


def _monitoring_demo_holds_36_months_and_the_planted_anomalies():
    from jiju.assessment.models import EvaluationRun
    from jiju.monitoring import actions
    from jiju.monitoring.demo import PLANTED
    from jiju.monitoring.models import RatingEvent, Report, Target, ZoneEvaluation

    monthly = Report.objects.filter(form__code="YB01")
    periods = sorted(set(monthly.values_list("year", "month")))
    assert len(periods) == 36 and periods[0] == (2023, 11) and periods[-1] == (2026, 10)
    assert monthly.filter(year=2025, month=12).count() == 150
    # Seasonal: February (the Spring Festival) is the weakest month, March picks up.
    cumulative = {m: sum(r.values["revenue"] for r in monthly.filter(year=2025, month=m)) for m in (1, 2, 3)}
    assert cumulative[2] - cumulative[1] < cumulative[1] < cumulative[3] - cumulative[2]
    # Every stored finding is what the checks find now, and the latest periods hold exactly the planted ones.
    newest = Report.objects.filter(form__code__in=["YB01", "JJQ201"], year=2026, month__in=[9, 10]).exclude(
        form__code="YB01", month=9
    )
    found = set()
    for report in newest.select_related("form", "zone"):
        again = {(f.check, f.code) for f in actions.findings_for(report)}
        assert again == {(f["check"], f["code"]) for f in report.findings}, report
        found |= {(report.form.code, report.year, report.month, check, code) for check, code in again}
    planted = {(form, year, month, check, code) for _, form, year, month, check, code, _ in PLANTED if year == 2026}
    assert planted <= found
    assert {f[3:] for f in found} - {p[3:] for p in planted} <= {
        ("growth", "revenue"),
        ("growth", "industrial_investment"),
    }
    december = monthly.filter(year=2025, month=12)
    (tax,) = [r for r in december if any(f["check"] == "enterprises" for f in r.findings)]
    assert tax.state == Report.APPROVED and tax.explanations == {"enterprises:tax": tax.explanations["enterprises:tax"]}
    states = set(monthly.filter(year=2026, month=10).values_list("state", flat=True))
    assert states == {Report.APPROVED, Report.SUBMITTED, Report.RETURNED, Report.DRAFT}
    assert monthly.filter(year=2026, month=10).count() < 150  # some zones have not reported
    assert Target.objects.filter(year=2026).count() == 600
    assert RatingEvent.objects.get().scores.count() == 150 * 2 * 3 * 7
    assert ZoneEvaluation.objects.filter(state=ZoneEvaluation.PUBLISHED).count() == 6
    assert EvaluationRun.objects.filter(state=EvaluationRun.PUBLISHED).count() == 2
    # 2024 went through its notice period: one objection accepted, one rejected, a second version published.
    second = EvaluationRun.objects.get(year=2024, state=EvaluationRun.PUBLISHED)
    assert second.version == 2 and second.revises.state == EvaluationRun.SUPERSEDED and second.finalised_at
    assert sorted(second.revises.objections.values_list("state", flat=True)) == ["accepted", "rejected"]
    assert EvaluationRun.objects.get(year=2025, state=EvaluationRun.PUBLISHED).notice_end  # under notice
