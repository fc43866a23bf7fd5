from __future__ import annotations

from django.core.exceptions import ValidationError

from jiju.core import credit_code


def validate_credit_code(value: str) -> None:
    """Refuse a code that fails GB 32100-2015, saying which character or the check."""
    try:
        credit_code.validate(value)
    except credit_code.CreditCodeError as exc:
        raise ValidationError(str(exc), code="credit_code") from None
