"""Catalogue search (Chinese words and pinyin initials) and who may edit which items."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from doorstep.catalog.choices import Level, Mode, Scope
from doorstep.catalog.models import ServiceItem
from doorstep.catalog.selectors import item_available_to, item_search, items_for
from doorstep.catalog.services import item_save
from doorstep.conftest import World, make_item
from doorstep.places.models import Community

pytestmark = pytest.mark.django_db


def local_item(
    world: World, code: str = "A-LOCAL-1", community: Community | None = None
) -> ServiceItem:
    return ServiceItem(
        code=code,
        name="社区共享工具屋借用",
        category=world.categories["life"],
        scope=Scope.LOCAL,
        community=community or world.a,
        level=Level.COMMUNITY,
        mode=Mode.ON_THE_SPOT,
        keywords="工具 借用 电钻",
    )


def codes(items: list[ServiceItem]) -> list[str]:
    return [i.code for i in items]


def test_pinyin_initials_find_the_residence_certificate(world: World) -> None:
    assert codes(item_search("jzzm", None)) == ["GOV-RESIDENCE-CERT"]


def test_upper_case_initials_work_too(world: World) -> None:
    assert codes(item_search("JZZM", None)) == ["GOV-RESIDENCE-CERT"]


def test_full_pinyin_finds_the_item(world: World) -> None:
    assert codes(item_search("juzhuzhengming", None)) == ["GOV-RESIDENCE-CERT"]


def test_chinese_words_find_items(world: World) -> None:
    assert codes(item_search("居住证明", None)) == ["GOV-RESIDENCE-CERT"]
    assert codes(item_search("诈骗", None)) == ["LEGAL-ANTI-FRAUD"]
    assert codes(item_search("公租房", None)) == ["GOV-PUBLIC-HOUSING"]


def test_keywords_find_items(world: World) -> None:
    # "医保" is a keyword of 居住证明, not part of its name
    assert "GOV-RESIDENCE-CERT" in codes(item_search("医保", None))


def test_every_term_must_match(world: World) -> None:
    assert codes(item_search("居住 医保", None)) == ["GOV-RESIDENCE-CERT"]
    assert item_search("居住 诈骗", None) == []


def test_empty_query_finds_nothing(world: World) -> None:
    assert item_search("   ", None) == []


def test_name_matches_come_first(world: World) -> None:
    make_item("GOV-RESIDENCE-PERMIT", categories=world.categories)  # 居住登记与居住证
    found = codes(item_search("居住证", None))
    assert found[0] in {"GOV-RESIDENCE-CERT", "GOV-RESIDENCE-PERMIT"}
    assert set(found) == {"GOV-RESIDENCE-CERT", "GOV-RESIDENCE-PERMIT"}


def test_inactive_items_are_not_found(world: World) -> None:
    world.residence_cert.active = False
    world.residence_cert.save()
    assert item_search("jzzm", None) == []


def test_desk_search_fragment(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    response = client.get("/desk/catalog/search/", {"item_q": "jzzm"})
    assert response.status_code == 200
    assert "居住证明" in response.content.decode()


def test_catalog_page_renders(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    response = client.get("/desk/catalog/")
    assert response.status_code == 200
    assert "居住证明" in response.content.decode()


# ── who may edit ─────────────────────────────────────────────────────────────────────────


def test_desk_worker_cannot_edit_a_standard_item(world: World) -> None:
    item = world.residence_cert
    item.promise_days = 3
    with pytest.raises(PermissionDenied) as info:
        item_save(actor=world.desk_a, item=item)
    assert "只有区级管理员可以修改规定动作" in str(info.value)
    assert ServiceItem.objects.get(pk=item.pk).promise_days == 10


def test_secretary_cannot_edit_a_standard_item(world: World) -> None:
    with pytest.raises(PermissionDenied):
        item_save(actor=world.secretary_a, item=world.residence_cert)


def test_district_admin_can_edit_a_standard_item(world: World) -> None:
    item = world.residence_cert
    item.promise_days = 7
    item_save(actor=world.district_user, item=item)
    assert ServiceItem.objects.get(pk=item.pk).promise_days == 7


def test_secretary_can_add_a_local_item_for_own_community(world: World) -> None:
    item = item_save(actor=world.secretary_a, item=local_item(world))
    assert item.pk is not None
    assert "gongju" in item.search_text or "工具" in item.search_text


def test_secretary_cannot_add_a_local_item_for_another_community(world: World) -> None:
    with pytest.raises(PermissionDenied) as info:
        item_save(actor=world.secretary_a, item=local_item(world, community=world.b))
    assert "只有本社区书记可以添加自选动作" in str(info.value)
    assert not ServiceItem.objects.filter(code="A-LOCAL-1").exists()


def test_desk_worker_cannot_add_a_local_item(world: World) -> None:
    with pytest.raises(PermissionDenied):
        item_save(actor=world.desk_a, item=local_item(world))


def test_district_admin_cannot_add_a_local_item(world: World) -> None:
    with pytest.raises(PermissionDenied):
        item_save(actor=world.district_user, item=local_item(world))


def test_a_user_without_a_profile_cannot_save(world: World) -> None:
    from django.contrib.auth.models import User

    with pytest.raises(PermissionDenied):
        item_save(actor=User.objects.create_user("nobody"), item=world.residence_cert)


def test_promise_item_needs_days(world: World) -> None:
    item = local_item(world)
    item.mode = Mode.PROMISE
    item.promise_days = 0
    with pytest.raises(ValidationError) as info:
        item_save(actor=world.secretary_a, item=item)
    assert "承诺办结的事项须填写承诺工作日数" in str(info.value)


def test_item_needs_a_name(world: World) -> None:
    item = local_item(world)
    item.name = "  "
    with pytest.raises(ValidationError):
        item_save(actor=world.secretary_a, item=item)


def test_on_the_spot_item_has_no_promise_days(world: World) -> None:
    item = local_item(world)
    item.promise_days = 9
    assert item_save(actor=world.secretary_a, item=item).promise_days == 0


def test_local_item_is_visible_only_to_its_community(world: World) -> None:
    item = item_save(actor=world.secretary_a, item=local_item(world))
    assert item in items_for(world.a)
    assert item not in items_for(world.b)
    assert item not in items_for(None)
    assert item_available_to(item, world.a)
    assert not item_available_to(item, world.b)
    assert codes(item_search("工具屋", world.a)) == ["A-LOCAL-1"]
    assert item_search("工具屋", world.b) == []


def test_local_item_can_be_used_for_intake_in_its_community(world: World) -> None:
    item = item_save(actor=world.secretary_a, item=local_item(world))
    case = world.intake(item=item, description="想借电钻")
    assert case.item == item
