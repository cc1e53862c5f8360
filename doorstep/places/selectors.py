"""Reads for places and people, always through the worker's area (辖区范围)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from pypinyin import Style, lazy_pinyin

from doorstep.core import crypto
from doorstep.core.types import Actor

from .access import communities_for, staff_profile, visible_to
from .models import Resident

User = Actor | AnonymousUser

# communities_for and staff_profile live in the access policy; imported from here by many.
__all__ = ["User", "communities_for", "pinyin_key", "resident_search", "residents_visible_to"]
__all__ += ["staff_profile"]


def residents_visible_to(user: User) -> QuerySet[Resident]:
    """The residents of the staff member's area (the rule is in ``places.access``)."""
    return visible_to(user, Resident)


def resident_search(user: User, query: str, limit: int = 10) -> list[Resident]:
    """Find residents by name, pinyin initials, full phone or last four of the ID number."""
    q = (query or "").strip()
    if not q:
        return []
    qs = residents_visible_to(user).select_related("household__building__compound")
    if q.isdigit() and len(q) == 11:
        qs = qs.filter(phone_hash=crypto.lookup_hash(q))
    elif len(q) == 4 and (q[:3].isdigit() and (q[3].isdigit() or q[3] in "xX")):
        qs = qs.filter(id_last4_hash=crypto.lookup_hash(q))
    elif len(q) == 18:
        qs = qs.filter(id_number_hash=crypto.lookup_hash(q))
    elif q.isascii():
        qs = qs.filter(name_pinyin__icontains=q.lower())
    else:
        qs = qs.filter(Q(name__contains=q))
    return list(qs.order_by("name_pinyin")[:limit])


def pinyin_key(text: str) -> str:
    """Full pinyin plus initials, for sorting by pinyin and by 首字母 (`zhangsan zs`)."""
    full = "".join(lazy_pinyin(text))
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER))
    return f"{full} {initials}".lower()
