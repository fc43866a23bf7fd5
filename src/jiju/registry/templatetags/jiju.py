from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def display(value: object) -> str:
    """How a value reads in a table: dashes for nothing, separators and two decimals for numbers."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (float, Decimal)):
        return f"{value:,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


@register.filter
def is_number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def percent(value: object, digits: int = 1) -> str:
    """A fraction as a percentage: 0.123 → 12.3%; nothing → a dash."""
    if value is None or value == "" or not isinstance(value, (int, float, Decimal)):
        return "—"
    return f"{float(value) * 100:,.{digits}f}%"
