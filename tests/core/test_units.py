import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiju.core import units
from jiju.core.units import AreaUnit, MoneyUnit


def test_mu_hectare_and_square_kilometre_are_exact_multiples():
    assert units.to_m2(15, AreaUnit.MU) == pytest.approx(10_000)
    assert units.from_m2(units.to_m2(1, AreaUnit.HECTARE), AreaUnit.MU) == pytest.approx(15)
    assert units.from_m2(units.to_m2(1, AreaUnit.KM2), AreaUnit.MU) == pytest.approx(1500)
    assert units.to_m2(1, AreaUnit.MU) == pytest.approx(666.6667, abs=1e-4)


@given(
    st.floats(min_value=0, max_value=1e9, allow_nan=False),
    st.sampled_from(list(AreaUnit)),
    st.sampled_from(list(AreaUnit)),
)
def test_area_round_trip(value, a, b):
    there = units.from_m2(units.to_m2(value, a), b)
    assert math.isclose(units.from_m2(units.to_m2(there, b), a), value, rel_tol=1e-12, abs_tol=1e-9)


def test_money_is_decimal_and_exact():
    assert units.to_yuan("1.23", MoneyUnit.YI) == Decimal("123000000.00")
    assert units.from_yuan(Decimal("12345"), MoneyUnit.WAN) == Decimal("1.2345")
    assert units.to_yuan(0.1, MoneyUnit.WAN) == Decimal("1000.0")


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("用地面积(亩)", AreaUnit.MU),
        ("用地面积（平方米）", AreaUnit.M2),
        ("核准面积_公顷", AreaUnit.HECTARE),
        ("规划面积(平方公里)", AreaUnit.KM2),
        ("用地面积", None),
        ("面积（㎡）", AreaUnit.M2),
    ],
)
def test_area_unit_in_header(header, unit):
    assert units.area_unit_in_header(header) is unit


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("合同投资(万元)", MoneyUnit.WAN),
        ("实缴税金合计（元）", MoneyUnit.YUAN),
        ("营业收入(千元)", MoneyUnit.THOUSAND),
        ("投资额（亿元）", MoneyUnit.YI),
        ("税收", None),
    ],
)
def test_money_unit_in_header(header, unit):
    assert units.money_unit_in_header(header) is unit
