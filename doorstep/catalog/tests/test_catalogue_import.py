"""`catalogue_import`: categories, standard items and the resource list in bulk, each row
checked as `item_save` checks an item, nothing written when one row is wrong."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from pytest_django import DjangoAssertNumQueries

from doorstep.catalog.models import Category, Resource, ServiceItem
from doorstep.catalog.services import CatalogueBatch, ItemRow, ResourceRow, catalogue_import
from doorstep.conftest import World
from doorstep.core.models import AuditEntry


def item(code: str, **seed: object) -> dict[str, object]:
    return {
        "code": code,
        "name": "老年人助餐登记",
        "category": "elderly",
        "level": "community",
        "mode": "promise",
        "days": 3,
        "keywords": ["助餐"],
    } | seed


def batch(size: int = 3) -> CatalogueBatch:
    return CatalogueBatch(
        categories=[("elderly", "养老服务")],
        items=[ItemRow(item(f"ELD-MEAL-{n}")) for n in range(size)]
        + [ItemRow(item("ELD-HOUSING", level="department"), "区住房保障中心")],
        resources=[ResourceRow("区住房保障中心", "elderly", "适老化改造咨询", "电话预约")],
    )


def test_a_good_batch_loads_with_search_text_and_one_audit_entry(world: World) -> None:
    assert catalogue_import(actor=world.district_user, batch=batch()) == 6
    housing = ServiceItem.objects.get(code="ELD-HOUSING")
    assert housing.department == world.department and housing.category.code == "elderly"
    assert "zhucan" in ServiceItem.objects.get(code="ELD-MEAL-0").search_text.replace(" ", "")
    assert Resource.objects.get().category.code == "elderly"
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (world.district_user, "catalogue_import")


BAD = {
    "promise item without days": ItemRow(item("X-1", days=0)),
    "code already in use": ItemRow(item("GOV-RESIDENCE-CERT")),
    "unknown category": ItemRow(item("X-2", category="nothing")),
    "unknown mode": ItemRow(item("X-3", mode="someday")),
    "department item without its department": ItemRow(item("X-4", level="department")),
    "community item with a department": ItemRow(item("X-5"), "区住房保障中心"),
    "department of another district": ItemRow(item("X-6", level="department"), "别区的局"),
    "no name": ItemRow(item("X-7", name=" ")),
}


@pytest.mark.parametrize("rule", BAD)
def test_a_wrong_item_is_named_and_nothing_is_written(world: World, rule: str) -> None:
    before = ServiceItem.objects.count(), Category.objects.count()
    good = batch()
    wrong = CatalogueBatch(good.categories, [*good.items, BAD[rule]], good.resources)
    with pytest.raises(ValidationError, match="事项第 5 行"):
        catalogue_import(actor=world.district_user, batch=wrong)
    assert (ServiceItem.objects.count(), Category.objects.count()) == before
    assert not Resource.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "wrong",
    [
        CatalogueBatch(categories=[("government", "重复的类别")]),
        CatalogueBatch(categories=[("有 空格", "坏代码")]),
        CatalogueBatch(resources=[ResourceRow("不存在的局", "government", "内容", "预约")]),
        CatalogueBatch(resources=[ResourceRow("区住房保障中心", "nothing", "内容", "预约")]),
        CatalogueBatch(resources=[ResourceRow("区住房保障中心", "government", "", "预约")]),
    ],
)
def test_a_wrong_category_or_resource_writes_nothing(world: World, wrong: CatalogueBatch) -> None:
    before = Category.objects.count()
    with pytest.raises(ValidationError, match="第 1 行"):
        catalogue_import(actor=world.district_user, batch=wrong)
    assert Category.objects.count() == before and not Resource.objects.exists()


def test_only_a_district_admin_imports_the_catalogue(world: World) -> None:
    with pytest.raises(PermissionDenied):
        catalogue_import(actor=world.secretary_a, batch=batch())
    assert not ServiceItem.objects.filter(code__startswith="ELD-").exists()


QUERIES = {"sqlite": 12, "postgresql": 18}


@pytest.mark.parametrize("size", [3, 30])
def test_query_count_does_not_grow_with_rows(
    world: World, size: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(QUERIES[connection.vendor]):
        catalogue_import(actor=world.district_user, batch=batch(size))
    assert ServiceItem.objects.filter(code__startswith="ELD-MEAL-").count() == size
