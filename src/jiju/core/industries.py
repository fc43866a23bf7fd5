"""Industry codes (国民经济行业分类), GB/T 4754-2017.

门类 is a letter A-T; 大类 two digits, 中类 three, 小类 four. The section of a
numeric code follows from its 大类 by the standard's ranges.
"""

from __future__ import annotations

from enum import IntEnum


class Level(IntEnum):
    SECTION = 1  # 门类
    DIVISION = 2  # 大类
    GROUP = 3  # 中类
    CLASS = 4  # 小类


def level_of(code: str) -> Level:
    if code.isalpha():
        return Level.SECTION
    return Level(len(code))


def parent_of(code: str, section: str) -> str | None:
    """The code one level up; a 大类's parent is its 门类 letter."""
    level = level_of(code)
    if level is Level.SECTION:
        return None
    if level is Level.DIVISION:
        return section
    return code[:-1]


def divisions_for(words: str, keywords: dict[str, tuple[str, ...]]) -> list[str]:
    """The 大类 codes a zone's leading-industry text names, longest keyword first, in order."""
    found: list[str] = []
    remaining = words
    for keyword in sorted(keywords, key=len, reverse=True):
        if keyword in remaining:
            remaining = remaining.replace(keyword, "|")
            found.extend(code for code in keywords[keyword] if code not in found)
    return found
