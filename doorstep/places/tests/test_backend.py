"""Signing in reads the staff post with the account (`places.backends.StaffBackend`)."""

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from doorstep.conftest import World
from doorstep.places.backends import StaffBackend


def test_the_post_community_and_street_come_with_the_account(
    world: World, django_assert_num_queries: object
) -> None:
    user = StaffBackend().get_user(world.desk_a.pk)
    assert user is not None
    with django_assert_num_queries(0):  # type: ignore[operator]
        community = user.staff.community
        assert community is not None and community.street.name == world.street.name


def test_an_account_without_a_post_and_an_inactive_or_unknown_one(world: World) -> None:
    plain = User.objects.create_user("plain", password="plain-password-1")
    assert StaffBackend().get_user(plain.pk) == plain
    world.desk_b.is_active = False
    world.desk_b.save()
    assert StaffBackend().get_user(world.desk_b.pk) is None
    assert StaffBackend().get_user(10**9) is None


def test_a_staff_page_reads_session_and_account_once(world: World) -> None:
    client = Client()
    client.force_login(world.desk_a)
    client.get("/desk/")  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/desk/").status_code == 200
    reads = [q["sql"] for q in captured.captured_queries]
    assert sum('FROM "auth_user"' in sql for sql in reads) == 1, reads
    assert not any(sql.startswith('SELECT "places_staffprofile"') for sql in reads), reads
