from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.http import QueryDict
from django.utils.html import format_html, format_html_join

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
def signed(value: float | None) -> str:
    """A change with its sign (+3.20, -2.00), as a gap to close reads; a dash for nothing."""
    return "—" if value is None else f"{value:+,.2f}"


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


@register.simple_tag
def sort_header(listing, column) -> str:
    """A column's header: a link that sorts by it (again: the other way), marked ▲/▼ when it does."""
    if listing is None or column.key not in listing.sortable:
        return column.header
    mark = " ▲" if listing.sort == column.key else " ▼" if listing.sort == f"-{column.key}" else ""
    order = f"-{column.key}" if listing.sort == column.key else column.key
    prefix = f"{listing.sort_query}&" if listing.sort_query else ""
    return format_html('<a class="sort" href="?{}sort={}">{}{}</a>', prefix, order, column.header, mark)


@register.simple_tag
def hidden_inputs(query: str) -> str:
    """The fields of an encoded query as hidden inputs, so a form (the page jump) keeps the filters."""
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', QueryDict(query).items())
