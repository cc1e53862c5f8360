"""Writes for the catalogue. District admins edit standard items; secretaries add local ones."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core.types import Actor
from doorstep.places.choices import Role
from doorstep.places.models import Community, District
from doorstep.places.selectors import staff_profile

from .choices import Mode, Scope
from .models import ServiceItem
from .selectors import item_code_next, item_search_text


@transaction.atomic
def item_save(*, actor: Actor | None, item: ServiceItem) -> ServiceItem:
    """Create or update an item after checking who may: standard items belong to the district,
    local items (自选动作) to one community's secretary. `actor` None is the demo/import path."""
    if actor is not None:
        profile = staff_profile(actor)
        if profile is None:
            raise PermissionDenied(_("请先登录。"))
        if item.scope == Scope.STANDARD and profile.role != Role.DISTRICT:
            raise PermissionDenied(_("只有区级管理员可以修改规定动作。"))
        if item.scope == Scope.LOCAL and not (
            profile.role == Role.SECRETARY and profile.community_id == item.community_id
        ):
            raise PermissionDenied(_("只有本社区书记可以添加自选动作。"))
    if not item.name.strip():
        raise ValidationError({"name": _("请填写事项名称。")})
    if item.mode == Mode.PROMISE and item.promise_days <= 0:
        raise ValidationError({"promise_days": _("承诺办结的事项须填写承诺工作日数。")})
    if item.mode == Mode.ON_THE_SPOT:
        item.promise_days = 0
    item.search_text = item_search_text(item)
    if item.pk is None and not item.code:
        _lock_codes(item)
        item.code = item_code_next(item.scope, item.community_id)
    item.save()
    return item


def _lock_codes(item: ServiceItem) -> None:
    """Two people adding items at once must not compute the same next code: the community's row
    guards its local codes (自选动作), the district rows the standard ones."""
    if item.community_id is not None:
        Community.objects.select_for_update().filter(pk=item.community_id).first()
    else:
        list(District.objects.select_for_update().order_by("pk"))


def item_from_seed(row: dict[str, Any], categories: dict[str, Any]) -> ServiceItem:
    return ServiceItem(
        code=row["code"],
        name=row["name"],
        category=categories[row["category"]],
        level=row["level"],
        mode=row["mode"],
        promise_days=int(row.get("days") or 0),
        needs_upper_approval=bool(row.get("needs_upper_approval", row["level"] != "community")),
        materials=list(row.get("materials", [])),
        worker_guidance=str(row.get("worker_guidance", "")),
        resident_guidance=str(row.get("resident_guidance", "")),
        keywords=" ".join(row.get("keywords", [])),
        examples=list(row.get("examples", [])),
    )
