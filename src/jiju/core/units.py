"""Units of area and money, converted in this one place.

Areas are kept in square metres and money in yuan; every other unit is a view.
1 亩 = 10000/15 m², 1 公顷 = 15 亩 = 10000 m², 1 km² = 1500 亩.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum


class AreaUnit(Enum):
    """Units of land area with their size in square metres."""

    M2 = ("平方米", 1.0)
    MU = ("亩", 10000 / 15)
    HECTARE = ("公顷", 10000.0)
    KM2 = ("平方公里", 1_000_000.0)

    def __init__(self, label: str, square_metres: float) -> None:
        self.label = label
        self.square_metres = square_metres


class MoneyUnit(Enum):
    """Units of money with their size in yuan."""

    YUAN = ("元", Decimal(1))
    THOUSAND = ("千元", Decimal(1000))
    WAN = ("万元", Decimal(10_000))
    YI = ("亿元", Decimal(100_000_000))

    def __init__(self, label: str, yuan: Decimal) -> None:
        self.label = label
        self.yuan = yuan


_AREA_WORDS = {
    "平方米": AreaUnit.M2,
    "㎡": AreaUnit.M2,
    "m2": AreaUnit.M2,
    "m²": AreaUnit.M2,
    "亩": AreaUnit.MU,
    "公顷": AreaUnit.HECTARE,
    "ha": AreaUnit.HECTARE,
    "平方公里": AreaUnit.KM2,
    "平方千米": AreaUnit.KM2,
    "km2": AreaUnit.KM2,
    "km²": AreaUnit.KM2,
}
_MONEY_WORDS = {"元": MoneyUnit.YUAN, "千元": MoneyUnit.THOUSAND, "万元": MoneyUnit.WAN, "亿元": MoneyUnit.YI}


def to_m2(value: float, unit: AreaUnit) -> float:
    return value * unit.square_metres


def from_m2(square_metres: float, unit: AreaUnit) -> float:
    return square_metres / unit.square_metres


FEN = Decimal("0.01")


def to_yuan(value: Decimal | float | int | str, unit: MoneyUnit) -> Decimal:
    """Yuan to the fen (分), the precision amounts are kept in: 15000.00005 万元 is 150000000.50 元."""
    return (Decimal(str(value)) * unit.yuan).quantize(FEN, rounding=ROUND_HALF_UP)


def from_yuan(yuan: Decimal | float | int, unit: MoneyUnit) -> Decimal:
    return Decimal(str(yuan)) / unit.yuan


def _unit_in(text: str, words: dict):
    """The unit named in brackets or after an underscore at the end of a header."""
    match = re.search(r"[（(\[【_/]\s*([^（()）\]】_/]+?)\s*[)）\]】]?\s*$", text.strip())
    if not match:
        return None
    return words.get(match.group(1).strip().lower()) or words.get(match.group(1).strip())


ELECTRICITY_UNITS = {"千瓦时": 1.0, "kwh": 1.0, "度": 1.0, "万千瓦时": 10_000.0, "万kwh": 10_000.0, "万度": 10_000.0}


def electricity_factor_in_header(header: str) -> float | None:
    """kWh per unit named in a header: '用电量(万千瓦时)' -> 10000; None when it names none."""
    return _unit_in(header, ELECTRICITY_UNITS)


def area_unit_in_header(header: str) -> AreaUnit | None:
    """'用地面积(亩)' -> MU; None when the header does not say."""
    return _unit_in(header, _AREA_WORDS)


def money_unit_in_header(header: str) -> MoneyUnit | None:
    """'合同投资（万元）' -> WAN; None when the header does not say."""
    return _unit_in(header, _MONEY_WORDS)
