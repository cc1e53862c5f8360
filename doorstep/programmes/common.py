"""What the five programme apps' services and selectors share: who the actor is, whether a
community lies in their area, and the small input checks every programme form makes."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.types import Actor
from doorstep.places.choices import Role
from doorstep.places.models import Community, StaffProfile
from doorstep.places.selectors import User, communities_for, staff_profile

# Who may open the assistance files (综合帮扶) — the hub page hides its card from the others.
ASSISTANCE_VIEW_ROLES = {Role.SECRETARY, Role.STREET, Role.DISTRICT}


def require_role(user: User, roles: set[Role]) -> StaffProfile:
    """The user's staff profile if their post is one of `roles`; otherwise 403."""
    profile = staff_profile(user)
    if profile is None or profile.role not in roles:
        raise PermissionDenied(_("您的岗位无权查看此页面。"))
    return profile


def staff_of(actor: Actor) -> StaffProfile:
    profile = staff_profile(actor)
    if profile is None:
        raise PermissionDenied(_("该账号不是工作人员账号。"))
    return profile


def check_role(actor: Actor, roles: set[Role], message: str) -> StaffProfile:
    profile = staff_of(actor)
    if profile.role not in roles:
        raise PermissionDenied(message)
    return profile


def community_in_area(actor: Actor, community_id: int) -> Community:
    """The community, if it lies in the actor's area; otherwise it does not exist for them."""
    return communities_for(actor).select_related("street").get(pk=community_id)


def require_visible(actor: Actor, community_id: int) -> None:
    if not communities_for(actor).filter(pk=community_id).exists():
        raise Community.DoesNotExist


def required_text(value: str, field: str, message: str, max_length: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > max_length:
        raise ValidationError({field: _("内容过长，请控制在 %(n)s 字以内。") % {"n": max_length}})
    return text


def today_or(today: date | None) -> date:
    return today or timezone.localdate()
