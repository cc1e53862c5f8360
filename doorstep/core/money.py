"""Money (金额): always `Decimal` with two decimals (fen), never float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")


def money(verbose: Any, **kw: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """A money column: `DecimalField(max_digits=12, decimal_places=2)`."""
    return models.DecimalField(verbose, max_digits=12, decimal_places=2, **kw)


def money_sum(value: Decimal | None) -> Decimal:
    """Sums come back from SQLite without their scale (`Decimal("6")`): give them fen again."""
    return Decimal(value or 0).quantize(CENT)


def parse_amount(
    value: object,
    field: str = "amount",
    *,
    allow_zero: bool = False,
    maximum: Decimal | None = None,
) -> Decimal:
    """A money amount as Decimal with at most two decimals; floats are refused outright.
    `maximum` is a caller's own ceiling (a counter's single payment), said in the message."""
    if isinstance(value, float):
        raise TypeError("money must be Decimal or str, never float")
    try:
        amount = Decimal(str(value).strip().replace("¥", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("金额格式不正确。")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("金额格式不正确。")})
    exponent = amount.as_tuple().exponent  # an int: `amount` is finite (checked above)
    if isinstance(exponent, int) and exponent < -2:
        raise ValidationError({field: _("金额最多保留两位小数（精确到分）。")})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("金额必须大于零。")})
    if maximum is not None and amount > maximum:
        raise ValidationError({field: _("金额不能超过 %(max)s 元。") % {"max": f"{maximum:,}"}})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("金额过大。")})
    return amount.quantize(CENT)
