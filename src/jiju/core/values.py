"""The checks every input path applies to a number or a text typed or read from a file.

Pages, the API and the importers all call these, so that NaN, Infinity, 1e400
or a NUL byte is refused the same way wherever it comes in.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Larger than any figure the platform keeps (money in 元, areas in m²), small enough for every column type.
MAX_MAGNITUDE = Decimal("1e15")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadValue(ValueError):
    """A value refused; the message is the reason in Chinese."""


def decimal(text: str) -> Decimal:
    """A finite number within `MAX_MAGNITUDE` from text, with thousands separators allowed."""
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "")
    try:
        result = Decimal(cleaned)
    except InvalidOperation:
        raise BadValue("不是数字") from None
    if not result.is_finite():
        raise BadValue("不是有限的数字（NaN、Infinity 等不能作为数值）")
    if abs(result) >= MAX_MAGNITUDE:
        raise BadValue(f"数值过大（绝对值应小于{MAX_MAGNITUDE:.0e}）")
    return result


def finite(value: float) -> float:
    """A float that came in as a number (JSON, a form) held to the same rule as text."""
    return float(decimal(repr(float(value))))


def clean_text(text: str) -> str:
    """Text without control characters (NUL and the like), which no name or address holds."""
    found = _CONTROL.search(text)
    if found:
        raise BadValue(f"含有不可见的控制字符（U+{ord(found.group()):04X}），请删除后重试")
    return text
