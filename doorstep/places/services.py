"""Writes for places and people."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core import crypto
from doorstep.core.services import personal_data_shown
from doorstep.core.types import Actor
from doorstep.core.validators import clean_field, validate_id_number, validate_phone

from .models import Community, Household, Resident
from .selectors import pinyin_key, residents_visible_to


@transaction.atomic
def resident_create(
    *,
    community: Community,
    name: str,
    phone: str = "",
    id_number: str = "",
    household: Household | None = None,
    gender: str = "",
    birth_date: date | None = None,
    ethnic_group: str = "汉族",
    **flags: bool,
) -> Resident:
    """Register a resident. Phone and ID number are validated, then stored encrypted."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写居民姓名。")})
    phone = clean_field("phone", validate_phone, phone) if phone.strip() else ""
    id_number = clean_field("id_number", validate_id_number, id_number) if id_number.strip() else ""
    if id_number and birth_date is None:
        birth_date = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    if id_number and not gender:
        gender = "M" if int(id_number[16]) % 2 else "F"
    resident = Resident(
        community=community,
        household=household,
        name=name,
        name_pinyin=pinyin_key(name),
        gender=gender,
        birth_date=birth_date,
        ethnic_group=ethnic_group,
        **flags,
    )
    resident_set_personal_data(resident, phone=phone, id_number=id_number)
    resident.save()
    return resident


def resident_set_personal_data(resident: Resident, *, phone: str, id_number: str) -> None:
    """Fill the encrypted columns and their lookup hashes (does not save)."""
    resident.phone_encrypted = crypto.encrypt(phone)
    resident.phone_hash = crypto.lookup_hash(phone)
    resident.id_number_encrypted = crypto.encrypt(id_number)
    resident.id_number_hash = crypto.lookup_hash(id_number)
    resident.id_last4_hash = crypto.lookup_hash(id_number[-4:]) if id_number else ""


REVEALABLE = {"phone": "phone", "id_number": "id_number"}


@transaction.atomic
def resident_reveal(*, actor: Actor, resident_id: int, field: str, reason: str) -> str:
    """Show one personal field in full: needs a reason, writes an audit entry, stays in scope."""
    if field not in REVEALABLE:
        raise ValidationError(_("不能查看该字段。"))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("查看完整信息须填写理由。")})
    resident = residents_visible_to(actor).filter(pk=resident_id).first()
    if resident is None:
        raise Resident.DoesNotExist
    personal_data_shown(
        actor=actor,
        action="reveal",
        object_type="resident",
        object_id=str(resident.pk),
        field=field,
        reason=reason,
    )
    return str(getattr(resident, REVEALABLE[field]))
