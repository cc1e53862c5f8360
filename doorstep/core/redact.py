"""Personal numbers in free text (自由文本中的个人信息): find China mobile and landline phones,
international numbers written with "+", and 18-digit ID numbers with a valid check digit, and
mask them.

A resident who types "请回电 13812345678" into a request gets a description that every list,
API and Open311 response shows as "请回电 138****5678"; the full text is kept encrypted beside
it (`seal`) and shown only through an audited reveal.
"""

import re
from dataclasses import dataclass

from . import crypto
from .validators import id_check_digit

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(0\d{2,3})[ -]?(\d{7,8})(?![0-9])")
_INTERNATIONAL = re.compile(r"(?<![0-9+])\+(?!86)(\d[\d ()-]{5,18})(\d{4})(?![0-9])")


def _valid_id(number: str) -> bool:
    number = number.upper()
    month, day = int(number[10:12]), int(number[12:14])
    return 1 <= month <= 12 and 1 <= day <= 31 and id_check_digit(number[:17]) == number[17]


def _mask_id(match: re.Match[str]) -> str:
    number = match.group(1)
    return crypto.mask_id_number(number.upper()) if _valid_id(number) else number


def redact(text: str) -> str:
    """The text with every phone and valid ID number masked (`138****5678`)."""
    text = _ID.sub(_mask_id, text)
    text = _INTERNATIONAL.sub(lambda m: "+" + re.sub(r"\d", "*", m.group(1)) + m.group(2), text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LANDLINE.sub(
        lambda m: f"{m.group(1)}-{'*' * (len(m.group(2)) - 4)}{m.group(2)[-4:]}", text
    )


@dataclass(frozen=True)
class Sealed:
    """Free text as stored: `text` is safe to show; `encrypted` holds the original when
    anything had to be masked (empty otherwise)."""

    text: str
    encrypted: str

    @property
    def flagged(self) -> bool:
        return bool(self.encrypted)


def seal(text: str) -> Sealed:
    redacted = redact(text)
    return Sealed(redacted, crypto.encrypt(text) if redacted != text else "")
