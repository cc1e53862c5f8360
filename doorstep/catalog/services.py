"""Writes for the catalogue. District admins edit standard items; secretaries add local ones;
a district's catalogue comes in at once through `catalogue_import`."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core.bulk import bulk_insert
from doorstep.core.services import audit_record
from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.models import Community, Department, District
from doorstep.places.selectors import staff_profile
from doorstep.places.services import numbered

from .choices import Level, Mode, Scope
from .models import Category, Resource, ServiceItem
from .selectors import item_code_next, item_search_text

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


@transaction.atomic
def item_save(*, actor: Actor | None, item: ServiceItem) -> ServiceItem:
    """Create or update an item after checking who may: standard items belong to the district,
    local items (自选动作) to one community's secretary. `actor` None is the demo/import path."""
    if actor is not None:
        profile = staff_profile(actor)
        if profile is None:
            raise PermissionDenied(_("请先登录。"))
        if item.scope == Scope.STANDARD and not access.may(actor, "catalog.edit_standard"):
            raise PermissionDenied(_("只有区级管理员可以修改规定动作。"))
        if item.scope == Scope.LOCAL and not (
            access.may(actor, "catalog.edit_local")
            and access.is_community_staff(profile, item.community_id)
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


# ---------------------------------------------------------------- catalogue import (批量导入)


@dataclass(frozen=True)
class ItemRow:
    """A standard item as `catalog.seed_data.ITEMS` writes one (code, name, category code,
    level, mode, days, …), and the name of the department that handles a department item."""

    seed: Mapping[str, object]
    department: str = ""


@dataclass(frozen=True)
class ResourceRow:
    """A department's offer on the resource list (资源清单)."""

    department: str
    category: str  # a category code
    offer: str
    how_to_ask: str
    contact: str = ""


@dataclass(frozen=True)
class CatalogueBatch:
    categories: list[tuple[str, str]] = field(default_factory=list)  # (code, name), in order
    items: list[ItemRow] = field(default_factory=list)
    resources: list[ResourceRow] = field(default_factory=list)


@dataclass
class _CatalogueKnown:
    categories: dict[str, Category]
    codes: set[str]  # item codes in use
    departments: dict[str, Department]


@transaction.atomic
def catalogue_import(*, actor: Actor, batch: CatalogueBatch) -> int:
    """Bulk-insert a district's standard catalogue (事项目录批量导入): its categories, standard
    items and the departments' resource list, each row checked as `item_save` checks an item
    (a district admin's, named, a known level and mode, a promise item promising days, a new
    code; a department item handled by a department of the district), a category's code a
    new slug, a resource of a department of the district under a known category. One bulk
    insert per table, one audit entry; a wrong row names its part and number and nothing is
    written. Returns the number of rows."""
    access.require(actor, "catalog.edit_standard", _("只有区级管理员可以修改规定动作。"))
    profile = staff_profile(actor)
    assert profile is not None  # `require` passed
    codes = [str(row.seed.get("code", "")) for row in batch.items]
    known = _CatalogueKnown(
        {c.code: c for c in Category.objects.all()},
        set(ServiceItem.objects.filter(code__in=codes).values_list("code", flat=True)),
        {d.name: d for d in Department.objects.filter(district_id=profile.district_id)},
    )
    categories = numbered(
        _("类别"), batch.categories, lambda c: _new_category(c, known, len(known.categories))
    )
    items = numbered(_("事项"), batch.items, lambda row: _new_item(row, known))
    resources = numbered(_("资源"), batch.resources, lambda row: _new_resource(row, known))
    bulk_insert(categories)
    bulk_insert(items)
    bulk_insert(resources)
    audit_record(
        actor=actor,
        action="catalogue_import",
        object_type="district",
        object_id=profile.district_id,
        note=_("导入类别 %(c)s、事项 %(i)s、资源 %(r)s 条")
        % {"c": len(categories), "i": len(items), "r": len(resources)},
    )
    return len(categories) + len(items) + len(resources)


def _new_category(row: tuple[str, str], known: _CatalogueKnown, order: int) -> Category:
    code, name = row[0].strip(), row[1].strip()
    if not SLUG_RE.match(code):
        raise ValidationError({"code": _("类别代码只能用字母、数字、横线和下划线。")})
    if code in known.categories:
        raise ValidationError({"code": _("类别“%(c)s”已存在。") % {"c": code}})
    if not name or len(name) > 20:
        raise ValidationError({"name": _("请填写类别名称（20 字以内）。")})
    category = Category(code=code, name=name, order=order)
    known.categories[code] = category
    return category


def _new_item(row: ItemRow, known: _CatalogueKnown) -> ServiceItem:
    """A standard item as `item_save` takes one from the district admin."""
    seed = dict(row.seed)
    code = str(seed.get("code", "")).strip()
    if not code:
        raise ValidationError({"code": _("请填写事项编码。")})
    if code in known.codes:
        raise ValidationError({"code": _("事项编码“%(c)s”已被使用。") % {"c": code}})
    if seed.get("category") not in known.categories:
        raise ValidationError({"category": _("未知的类别：%(c)s。") % {"c": seed.get("category")}})
    if seed.get("level") not in Level.values or seed.get("mode") not in Mode.values:
        raise ValidationError({"level": _("未知的办理层级或办理方式。")})
    item = item_from_seed(seed, known.categories)
    if not item.name.strip():
        raise ValidationError({"name": _("请填写事项名称。")})
    if item.mode == Mode.PROMISE and item.promise_days <= 0:
        raise ValidationError({"promise_days": _("承诺办结的事项须填写承诺工作日数。")})
    if item.mode == Mode.ON_THE_SPOT:
        item.promise_days = 0
    if row.department or item.level == Level.DEPARTMENT:
        department = known.departments.get(row.department)
        if department is None or item.level != Level.DEPARTMENT:
            raise ValidationError(
                {
                    "department": _(
                        "职能部门办理的事项须由本区的一个部门承办，其他事项不设承办部门。"
                    )
                }
            )
        item.department = department
    item.search_text = item_search_text(item)
    known.codes.add(code)
    return item


def _new_resource(row: ResourceRow, known: _CatalogueKnown) -> Resource:
    department = known.departments.get(row.department)
    if department is None:
        raise ValidationError({"department": _("部门“%(n)s”不在本区。") % {"n": row.department}})
    category = known.categories.get(row.category)
    if category is None:
        raise ValidationError({"category": _("未知的类别：%(c)s。") % {"c": row.category}})
    if not row.offer.strip() or not row.how_to_ask.strip():
        raise ValidationError({"offer": _("请填写提供内容和申请方式。")})
    return Resource(
        department=department,
        category=category,
        offer=row.offer.strip(),
        how_to_ask=row.how_to_ask.strip(),
        contact=row.contact.strip(),
    )
