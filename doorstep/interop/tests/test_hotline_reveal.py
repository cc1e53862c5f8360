"""A 12345 order's sealed caller phone and content (查看来电号码): shown masked on the order
page; in full only by a POST with a typed reason, audited, for who may see the order."""

from typing import Any

import pytest
from django.test import Client

from doorstep.conftest import World
from doorstep.core.models import AuditEntry
from doorstep.interop.models import HotlineOrder

from .test_hotline import order, upload, xlsx

pytestmark = pytest.mark.django_db

PHONE = "13912345678"  # the caller's, in test_hotline.order
TYPED = "请回电 13787654321，楼道灯坏了"


@pytest.fixture
def hotline_order(world: World, places: dict[str, Any], client: Client) -> HotlineOrder:
    upload(client, world.street_user, xlsx([order("GD900", 诉求内容=TYPED)]))
    client.logout()
    return HotlineOrder.objects.get(order_no="GD900")


def test_order_page_shows_the_phone_and_content_masked(
    world: World, hotline_order: HotlineOrder, client: Client
) -> None:
    client.force_login(world.street_user)
    html = client.get(f"/hotline/{hotline_order.pk}/").content.decode()
    assert "139****5678" in html and PHONE not in html
    assert "137****4321" in html and "13787654321" not in html


@pytest.mark.parametrize(("field", "full"), [("caller_phone", PHONE), ("content", TYPED)])
def test_reveal_with_a_reason_shows_it_once_and_audits(
    world: World, hotline_order: HotlineOrder, client: Client, field: str, full: str
) -> None:
    client.force_login(world.street_user)
    response = client.post(
        f"/hotline/{hotline_order.pk}/", {"field": field, "reason": "回访来电人"}
    )
    assert response.status_code == 200
    assert full in response.content.decode()
    entry = AuditEntry.objects.get(object_type="hotline_order")
    assert (entry.actor, entry.object_id, entry.field, entry.reason) == (
        world.street_user,
        str(hotline_order.pk),
        field,
        "回访来电人",
    )
    assert full not in client.get(f"/hotline/{hotline_order.pk}/").content.decode()


def test_reveal_without_a_reason_is_refused_and_not_audited(
    world: World, hotline_order: HotlineOrder, client: Client
) -> None:
    client.force_login(world.street_user)
    response = client.post(f"/hotline/{hotline_order.pk}/", {"field": "caller_phone"})
    assert response.status_code == 400
    assert "须填写理由" in response.content.decode()
    assert PHONE not in response.content.decode()
    assert not AuditEntry.objects.filter(object_type="hotline_order").exists()


def test_reveal_is_a_post_a_get_with_a_reason_reveals_nothing(
    world: World, hotline_order: HotlineOrder, client: Client
) -> None:
    client.force_login(world.street_user)
    url = f"/hotline/{hotline_order.pk}/"
    html = client.get(url, {"field": "caller_phone", "reason": "回访来电人"}).content.decode()
    assert PHONE not in html
    assert not AuditEntry.objects.filter(object_type="hotline_order").exists()


@pytest.mark.parametrize("who", ["other_street_user", "secretary_b", "desk_a"])
def test_who_may_not_see_the_order_cannot_reveal_it(
    world: World, hotline_order: HotlineOrder, client: Client, who: str
) -> None:
    client.force_login(getattr(world, who))
    response = client.post(
        f"/hotline/{hotline_order.pk}/", {"field": "caller_phone", "reason": "回访来电人"}
    )
    assert response.status_code in (403, 404)
    assert PHONE not in response.content.decode()
    assert not AuditEntry.objects.filter(object_type="hotline_order").exists()


def test_the_secretary_of_the_orders_community_may_reveal(
    world: World, hotline_order: HotlineOrder, client: Client
) -> None:
    assert hotline_order.community == world.a
    client.force_login(world.secretary_a)
    response = client.post(
        f"/hotline/{hotline_order.pk}/", {"field": "caller_phone", "reason": "回访来电人"}
    )
    assert PHONE in response.content.decode()
