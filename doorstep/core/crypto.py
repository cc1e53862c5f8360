"""Personal data at rest (个人信息加密存储): Fernet encryption plus keyed lookup hashes.

An ID number or phone is stored encrypted; to find a resident by phone or by the last four
characters of the ID number we store an HMAC of those values, never the values themselves.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    digest = hashlib.sha256(("fernet:" + key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def lookup_hash(value: str) -> str:
    """A keyed hash for exact-match search on encrypted values."""
    if not value:
        return ""
    key = hashlib.sha256(("lookup:" + settings.FIELD_ENCRYPTION_KEY).encode()).digest()
    return hmac.new(key, value.upper().encode(), hashlib.sha256).hexdigest()[:40]


def mask_phone(phone: str) -> str:
    """`13812345678` → `138****5678` (手机号脱敏)."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(id_number: str) -> str:
    """`610102199001011234` → `610***********1234` (身份证号脱敏)."""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]


def encrypt_bytes(data: bytes) -> bytes:
    """A file's bytes encrypted (a background export's parts)."""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """Raises cryptography's InvalidToken when the key changed since the bytes were written."""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token)
