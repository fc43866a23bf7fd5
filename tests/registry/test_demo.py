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
