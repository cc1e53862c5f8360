"""programmes: pages and permissions (moved from the former programs/tests/test_views.py)."""

from __future__ import annotations

from django.test import Client

from doorstep.conftest import World


def test_programme_index_hides_assistance_from_desk(world: World, client: Client) -> None:
    client.force_login(world.desk_a)
    page = client.get("/programs/").content.decode()
    assert "社区食堂" in page and "/programs/assistance/" not in page
