"""Reports of the small world: two years of a monthly form for the Zhengzhou and Gongyi zones."""

from __future__ import annotations

import pytest

from jiju.monitoring.models import Indicator, Report, ReportForm


@pytest.fixture
def monthly(world):
    """A monthly form of three indicators: revenue (cumulative, required), investment and its part."""
    form = ReportForm.objects.create(code="T01", name="测试月报", frequency="month", deadline_day=10)
    revenue = Indicator.objects.get(code="revenue")
    fixed = Indicator.objects.get(code="fixed_investment")
    industrial = Indicator.objects.get(code="industrial_investment")
    form.items.create(indicator=revenue, order=1, required=True)
    form.items.create(indicator=fixed, order=2, required=False)
    form.items.create(indicator=industrial, order=3, required=False)
    return form


def approved(form, zone, year, month, **values) -> Report:
    return Report.objects.create(form=form, zone=zone, year=year, month=month, state=Report.APPROVED, values=values)
