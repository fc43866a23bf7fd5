"""Administrative division codes (行政区划代码), GB/T 2260.

Six digits: province (2), prefecture (2), county (2). The statistical edition
adds x7x county-level codes for zones that act as counties; those are not
divisions and are told apart here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    PROVINCE = 1
    CITY = 2
    COUNTY = 3


def level_of(code: str) -> Level:
    if code[2:] == "0000":
        return Level.PROVINCE
    if code[4:] == "00":
        return Level.CITY
    return Level.COUNTY


def parent_of(code: str) -> str | None:
    level = level_of(code)
    if level is Level.PROVINCE:
        return None
    if level is Level.CITY:
        return code[:2] + "0000"
    return city_of(code)


def chain(code: str) -> list[str]:
    """A division and every division above it, nearest first."""
    found = []
    while code is not None:
        found.append(code)
        code = parent_of(code)
    return found


def city_of(code: str) -> str:
    """The prefecture-level division (地市) a code lies in: a county's city, a city itself; a
    province's code stays as it is, for records placed at the province."""
    return code[:4] + "00"


def scope_prefix(code: str) -> str:
    """The code prefix that every division inside this one starts with."""
    return {Level.PROVINCE: code[:2], Level.CITY: code[:4], Level.COUNTY: code}[level_of(code)]


def is_zone_code(code: str) -> bool:
    """True for the statistical x7x codes that stand for zones, not divisions."""
    return len(code) == 6 and code[4] == "7"


def expand(code: str) -> str:
    """Pad a 2- or 4-digit code of the reference files to six digits."""
    return code.ljust(6, "0")


_SUFFIXES = ("自治县", "自治旗", "地区", "县", "市", "区", "旗", "盟")
# The city-level rows of the four municipalities are placeholders, not names.
_PLACEHOLDERS = ("市辖区", "县")


def display_name(name: str, code: str, province_names: Mapping[str, str]) -> str:
    """A city-level name to match zone names against: 北京市 for 110100 '市辖区'."""
    return province_names.get(code[:2], name) if name in _PLACEHOLDERS else name


def short_name(name: str) -> str:
    """'巩义市' -> '巩义'; names that would shrink below two characters stay whole."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Division:
    code: str
    name: str


def locate(
    zone_name: str, cities: Iterable[Division], counties: Iterable[Division], aliases: Mapping[str, str] | None = None
) -> str | None:
    """The code of the division a zone's name places it in, or None.

    A county named in full wins; then a county named short, unless its short
    name is its city's (新乡经济技术开发区 is in 新乡市, not 新乡县); then a city.
    Among several counties, one inside a named city and the longest name win.
    """
    for alias, code in (aliases or {}).items():
        if alias in zone_name:
            return code
    named_cities = [c for c in cities if c.name in zone_name or short_name(c.name) in zone_name]
    city_shorts = {short_name(c.name) for c in cities}
    hits: list[tuple[int, int, str]] = []
    for county in counties:
        short = short_name(county.name)
        if county.name in zone_name:
            hits.append((2, len(county.name), county.code))
        elif len(short) >= 2 and short in zone_name and short not in city_shorts:
            hits.append((1, len(short), county.code))
    if hits:
        inside = [h for h in hits if any(h[2][:4] == c.code[:4] for c in named_cities)]
        return max(inside or hits)[2]
    if named_cities:
        return max(named_cities, key=lambda c: len(c.name)).code
    return None
