"""Catalogue search over the whole seed catalogue: initials matched on word starts rank first,
and the catalogue page searches by Chinese, pinyin and initials."""

import pytest
from django.test import Client

from doorstep.catalog.models import Category
from doorstep.catalog.seed_data import CATEGORIES, ITEMS
from doorstep.catalog.selectors import item_search, item_search_text
from doorstep.catalog.services import item_from_seed
from doorstep.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(world: World) -> None:
    categories = {c.code: c for c in Category.objects.all()}
    for i, (code, name) in enumerate(CATEGORIES):
        if code not in categories:
            categories[code] = Category.objects.create(code=code, name=name, order=i)
    existing = set(world.residence_cert.__class__.objects.values_list("code", flat=True))
    for row in ITEMS:
        item = item_from_seed(row, categories)
        if item.code in existing or item.level == "department":
            continue
        item.search_text = item_search_text(item)
        item.save()


@pytest.mark.parametrize(("query", "name"), [("ld", "路灯与楼道灯"), ("jzzm", "居住证明")])
def test_initials_on_word_starts_rank_near_the_top(
    catalogue: None, world: World, query: str, name: str
) -> None:
    names = [i.name for i in item_search(query, world.a, limit=12)]
    assert name in names[:3], names


def test_full_pinyin_and_chinese_find_the_same_item(catalogue: None, world: World) -> None:
    assert item_search("ludeng", world.a)[0].name == "路灯与楼道灯"
    assert item_search("路灯", world.a)[0].name == "路灯与楼道灯"


def test_catalogue_page_searches_and_leads_with_the_chinese_name(
    client: Client, catalogue: None, world: World
) -> None:
    client.force_login(world.desk_a)
    html = client.get("/desk/catalog/", {"q": "ld"}).content.decode()
    found = html.split('id="catalog-found"', 1)[1].split("</section>", 1)[0]
    assert "路灯与楼道灯" in found
    header = found.split("<th>", 2)[1]
    assert header.startswith("事项")


def test_catalogue_search_with_no_match_says_what_to_do(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    html = client.get("/desk/catalog/", {"q": "zzzzqq"}).content.decode()
    assert "没有找到" in html and "需求清单" in html


def test_catalogue_page_says_when_it_shows_only_the_first_50(
    client: Client, catalogue: None, world: World
) -> None:
    client.force_login(world.desk_a)
    many = client.get("/desk/catalog/", {"q": "a"}).content.decode()
    found = many.split('id="catalog-found"', 1)[1].split("</section>", 1)[0]
    assert found.count("<tr") - 1 == 50 and "最多显示 50 项，请输入更多关键字缩小范围" in found
    few = client.get("/desk/catalog/", {"q": "路灯"}).content.decode()
    assert "最多显示 50 项" not in few


def test_a_search_matching_more_than_the_pool_ranks_the_shortest_names(
    catalogue: None, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from doorstep.catalog.models import ServiceItem

    monkeypatch.setattr("doorstep.catalog.selectors.RANK_POOL", 5)
    matching = ServiceItem.objects.filter(active=True, search_text__contains="a")
    shortest = sorted(len(name) for name in matching.values_list("name", flat=True))[:5]
    found = item_search("a", world.a, limit=5)
    assert sorted(len(i.name) for i in found) == shortest
