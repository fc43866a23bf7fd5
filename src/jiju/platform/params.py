"""Values typed into a page, a query string or a form, parsed into their type with a Chinese
message naming what is wrong, so that no bad value reaches a query or answers 500."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone


def year(value: object, label: str = "年度") -> int:
    """A year between JIJU_YEAR_MIN and next year: a year of nothing is refused, not run."""
    text = str(value if value is not None else "").strip()
    latest = timezone.localdate().year + 1
    if not text.isdigit() or not settings.JIJU_YEAR_MIN <= int(text) <= latest:
        raise ValidationError(f"{label}应为 {settings.JIJU_YEAR_MIN}—{latest} 之间的四位年份，收到“{text[:20]}”")
    return int(text)


def month(value: object, label: str = "月份") -> int:
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise ValidationError(f"{label}应为 1—12 之间的整数，收到“{text[:20]}”")
    return int(text)


def date(value: object, label: str = "日期") -> dt.date | None:
    """A date typed as YYYY-MM-DD; empty is None, anything else a Chinese message."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{label}应为“年-月-日”格式的日期（如 2026-03-01），收到“{text[:20]}”") from None
