"""Summary pages read the rollups: their query count does not grow with the communities."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from doorstep.cases.choices import Channel
from doorstep.conftest import World, at
from doorstep.places.models import Community

pytestmark = pytest.mark.django_db


def grow_street(world: World, communities: int) -> None:
    """The world's street with `communities` communities, each with a case."""
    from doorstep.conftest import make_staff

    for n in range(communities - 2):
        community = Community.objects.create(street=world.street, name=f"第{n}社区")
        desk = make_staff(f"desk{n}", "desk", district=world.district, community=community)
        world.intake(desk, community=community, item=world.residence_cert, channel=Channel.PHONE)
    world.intake(item=world.on_the_spot, settle_now=True, reply="已解答", now=at(2025, 9, 20))


def queries(client: Client, path: str, assert_max: Callable[..., Any], limit: int) -> None:
    with assert_max(limit):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("communities", [3, 30])
@pytest.mark.parametrize(
    "path, limit",
    [
        ("/community/?days=3650", 10),
        ("/dashboard/?period=year&year=2025", 14),
        ("/dashboard/tv/?period=year&year=2025", 14),
    ],
)
def test_summary_query_count_does_not_grow_with_communities(
    client: Client,
    world: World,
    django_assert_max_num_queries: Callable[..., Any],
    communities: int,
    path: str,
    limit: int,
) -> None:
    grow_street(world, communities)
    client.force_login(world.street_user)
    queries(client, path, django_assert_max_num_queries, limit)


@pytest.mark.parametrize("communities", [3, 30])
def test_district_dashboard_query_count_is_flat(
    client: Client,
    world: World,
    django_assert_max_num_queries: Callable[..., Any],
    communities: int,
) -> None:
    grow_street(world, communities)
    client.force_login(world.district_user)
    queries(client, "/dashboard/?period=year&year=2025", django_assert_max_num_queries, 14)
