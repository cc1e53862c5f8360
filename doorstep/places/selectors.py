"""Reads for places and people, always through the worker's area (辖区范围)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from pypinyin import Style, lazy_pinyin

from doorstep.core import crypto
from doorstep.core.types import Actor

from .choices import COMMUNITY_ROLES, Role
from .models import Community, Resident, StaffProfile

User = Actor | AnonymousUser


def staff_profile(user: User) -> StaffProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.staff  # type: ignore[union-attr,no-any-return]
    except StaffProfile.DoesNotExist:
        return None


def communities_for(user: User) -> QuerySet[Community]:
    """The communities a staff member may see: own community, own street, or whole district."""
    profile = staff_profile(user)
    qs = Community.objects.select_related("street")
    if profile is None:
        return qs.none()
    if profile.role in COMMUNITY_ROLES and profile.community_id is not None:
        return qs.filter(pk=profile.community_id)
    if profile.role == Role.STREET and profile.street_id is not None:
        return qs.filter(street_id=profile.street_id)
    if profile.role in (Role.DISTRICT, Role.DEPARTMENT):
        return qs.filter(street__district_id=profile.district_id)
    return qs.none()


def residents_visible_to(user: User) -> QuerySet[Resident]:
    """Community and street staff see the residents of their area; department staff only the
    residents of cases in their department's queue; district admins the whole district."""
    profile = staff_profile(user)
    if profile is not None and profile.role == Role.DEPARTMENT:
        return Resident.objects.filter(cases__department_id=profile.department_id or 0).distinct()
    return Resident.objects.filter(community__in=communities_for(user))


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
