"""Summary pages read the rollups: their query count does not grow with the communities."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from doorstep.cases.choices import Channel
from doorstep.conftest import World, at
from doorstep.places.models import Community

pytestmark = pytest.mark.django_db

PERIODS = (
    "period=day&on=2025-09-20",
    "period=week&on=2025-09-20",
    "period=month&on=2025-09-20",
    "period=quarter&on=2025-09-20",
    "period=year&year=2025",
    "period=custom&start=2024-11-15&end=2025-09-20",
)


def grow_street(world: World, communities: int) -> None:
    """The world's street grown to `communities` communities, each with a case."""
    from doorstep.conftest import make_staff

    have = Community.objects.filter(street=world.street).count()
    for n in range(have - 2, communities - 2):
        community = Community.objects.create(street=world.street, name=f"第{n}社区")
        desk = make_staff(f"desk{n}", "desk", district=world.district, community=community)
        world.intake(desk, community=community, item=world.residence_cert, channel=Channel.PHONE)
    world.intake(item=world.on_the_spot, settle_now=True, reply="已解答", now=at(2025, 9, 20))


def queries(client: Client, path: str, assert_max: Callable[..., Any], limit: int) -> int:
    with assert_max(limit), CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


# (user, path, the most queries it may run)
PAGES = [
    ("street_user", "/community/?days=3650", 10),
    ("street_user", "/community/?days=30", 10),
    ("district_user", "/community/?days=3650", 10),
    ("district_user", "/community/?days=7", 10),
    # The board reads its open stock once and the previous period's figures alone (were 18,
    # 18, 21 and 18).
    *(("street_user", f"/dashboard/?{p}", 17) for p in PERIODS),
    *(("district_user", f"/dashboard/?{p}", 16) for p in PERIODS),
    *(("secretary_a", f"/dashboard/?{p}", 19) for p in PERIODS),
    ("street_user", "/dashboard/tv/?period=year&year=2025", 17),
    ("district_user", "/dashboard/workers/?period=year&year=2025", 12),
    ("street_user", "/dashboard/workers/?period=month&on=2025-09-20", 12),
    ("district_user", "/dashboard/cases/?kpi=received&period=year&year=2025", 12),
    ("district_user", "/dashboard/demands/?period=year&year=2025", 14),
]


@pytest.mark.parametrize("user, path, limit", PAGES)
def test_summary_query_count_is_the_same_for_3_and_30_communities(
    client: Client,
    world: World,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    user: str,
    path: str,
    limit: int,
) -> None:
    client.force_login(getattr(world, user))
    grow_street(world, 3)
    small = queries(client, path, django_assert_max_num_queries, limit)
    grow_street(world, 30)
    assert Community.objects.filter(street=world.street).count() >= 30
    assert queries(client, path, django_assert_max_num_queries, limit) == small


def test_district_overview_drills_into_a_street_with_the_same_queries(
    client: Client, world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client.force_login(world.district_user)
    grow_street(world, 3)
    path = f"/community/?days=365&street={world.street.pk}"
    small = queries(client, path, django_assert_max_num_queries, 10)
    grow_street(world, 30)
    assert queries(client, path, django_assert_max_num_queries, 10) == small


@pytest.mark.parametrize("period", PERIODS)
def test_district_dashboard_of_one_street_has_the_same_queries_for_3_and_30_communities(
    client: Client,
    world: World,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    period: str,
) -> None:
    client.force_login(world.district_user)
    grow_street(world, 3)
    path = f"/dashboard/?street={world.street.pk}&{period}"  # one more: the street's name
    small = queries(client, path, django_assert_max_num_queries, 19)
    grow_street(world, 30)
    assert queries(client, path, django_assert_max_num_queries, 19) == small


@pytest.mark.parametrize("period", PERIODS)
def test_secretary_dashboard_has_the_same_queries_for_3_and_13_workers(
    client: Client,
    world: World,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    period: str,
) -> None:
    from doorstep.conftest import make_staff

    client.force_login(world.secretary_a)
    world.intake(description="希望小区门口增设快递柜", now=at(2025, 9, 20))  # a demand topic
    world.intake(item=world.residence_cert, now=at(2025, 9, 20))  # an item to name
    path = f"/dashboard/?{period}"
    small = queries(client, path, django_assert_max_num_queries, 21)
    for n in range(10):
        desk = make_staff(f"more{n}", "desk", district=world.district, community=world.a)
        world.intake(desk, item=world.residence_cert, now=at(2025, 9, 1 + n))
    assert queries(client, path, django_assert_max_num_queries, 21) == small
