"""Reads for places and people, always through the worker's area (辖区范围)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.db.models.functions import Lower
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
    """Find residents by name, pinyin initials, full phone or last four of the ID number.

    A name finds the names starting with it first (a surname, a full name: one range of the
    name's pattern index); only when none does, the names containing it (a given name). At a
    district's size the containing search reads every resident of the area (72 ms for 王 over
    175 k residents, docs/scale.md eleventh pass), the prefix 19 ms."""
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
        # Sorted by an expression, not the pinyin column: the planner otherwise walks the whole
        # pinyin index from "a" for the first ten 王 (they all sort at "wang"; 221 ms at 175 k).
        by_pinyin = Lower("name_pinyin")  # already lower case: the same order
        starting = list(qs.filter(name__startswith=q).order_by(by_pinyin, "pk")[:limit])
        if starting:
            return starting
        qs = qs.filter(name__contains=q)
    return list(qs.order_by("name_pinyin")[:limit])


def pinyin_key(text: str) -> str:
    """Full pinyin plus initials, for sorting by pinyin and by 首字母 (`zhangsan zs`)."""
    full = "".join(lazy_pinyin(text))
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER))
    return f"{full} {initials}".lower()
