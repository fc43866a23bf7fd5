from __future__ import annotations

import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiju.core import credit_code


def validate_credit_code(value: str) -> None:
    """Refuse a code that fails GB 32100-2015, saying which character or the check."""
    try:
        credit_code.validate(value)
    except credit_code.CreditCodeError as exc:
        raise ValidationError(str(exc), code="credit_code") from None


def validate_non_negative(value: float | Decimal | int) -> None:
    """Refuse what no area, amount or head count can be: NaN, an infinity or a negative number.

    The importer's cells are refused the same way (`jiju.ingest.mapping.non_negative`); this rule
    on the model field holds for pages, the API and imports alike.
    """
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise ValidationError(_("不是有限的数字"), code="not_finite")
    if value < 0:
        raise ValidationError(_("不能为负数"), code="negative")


def refuse_nul(value: str) -> None:
    """Refuse a NUL character, which PostgreSQL cannot store and no name holds."""
    if "\x00" in value:
        raise ValidationError(_("不能包含空字符（NUL）"), code="null_characters_not_allowed")
