"""canteen: pages and permissions (moved from the former programs/tests/test_views.py)."""

from __future__ import annotations

from django.test import Client

from doorstep.conftest import World


def test_street_user_picks_a_community_of_their_street_only(world: World, client: Client) -> None:
    client.force_login(world.street_user)
    page = client.get(f"/programs/canteen/?community={world.b.pk}").content.decode()
    assert world.b.name in page
    assert client.get(f"/programs/canteen/?community={world.c.pk}").status_code == 404
