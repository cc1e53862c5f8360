"""Validators for Chinese personal identifiers, with messages in the user's language."""

import re
from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
ID_RE = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s\-()（）]", "", value or "").removeprefix("+86")


def validate_phone(value: str) -> str:
    """Accept a mobile number (11 digits starting 1) or a landline with area code."""
    phone = normalise_phone(value)
    if PHONE_RE.match(phone) or LANDLINE_RE.match(value.strip()):
        return phone
    raise ValidationError(_("手机号码格式不正确：应为以 1 开头的 11 位数字。"), code="phone")


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_id_number(value: str) -> str:
    """Resident ID number (居民身份证号): 18 characters, valid birth date, GB 11643 check digit."""
    number = (value or "").strip().upper()
    if not ID_RE.match(number):
        raise ValidationError(_("身份证号码应为 18 位，最后一位可以是数字或 X。"), code="id_format")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth") from None
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新输入。"), code="id_check")
    return number


def clean_field(field: str, validator: Callable[[str], str], value: str) -> str:
    """Run a validator and attach its error to `field`, so forms show it in the right place."""
    try:
        return validator(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
