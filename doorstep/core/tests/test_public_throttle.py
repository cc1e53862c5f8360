"""Public writes are limited per address (公开页面限流): participation comments, meeting
registrations and cancellations, volunteer sign-ups, and typing a resident code (居民码)
answer a Chinese 429 once one address sends too many; another address is not affected."""

from typing import Any

import pytest
from django.test import Client

from doorstep.conftest import World
from doorstep.core import throttle
from doorstep.participation.models import Comment
from doorstep.participation.tests.conftest import make_meeting, make_project

pytestmark = pytest.mark.django_db


def flood(client: Client, url: str, data: dict[str, Any], times: int) -> list[int]:
    return [client.post(url, data, REMOTE_ADDR="10.7.7.7").status_code for _ in range(times)]


def assert_refused_then_other_address_passes(
    client: Client, url: str, data: dict[str, Any], rule: throttle.Limit
) -> None:
    codes = flood(client, url, data, rule.limit)
    assert 429 not in codes
    refused = client.post(url, data, REMOTE_ADDR="10.7.7.7")
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.content.decode()
    assert client.post(url, data, REMOTE_ADDR="10.8.8.8").status_code != 429


def test_participation_comments_are_limited_per_address(world: World, client: Client) -> None:
    project = make_project(world)
    url = f"/p/{project.pk}/comment/"
    data = {"name": "王阿姨", "text": "凉亭旁边能不能加个坡道"}
    assert_refused_then_other_address_passes(client, url, data, throttle.PUBLIC_WRITES)
    assert Comment.objects.filter(project=project).count() <= throttle.PUBLIC_WRITES.limit + 1


@pytest.mark.parametrize("action", ["register", "cancel"])
def test_meeting_registration_is_limited_per_address(
    world: World, client: Client, action: str
) -> None:
    meeting = make_meeting(world, make_project(world))
    url = f"/p/meetings/{meeting.pk}/{action}/"
    data = {"name": "王阿姨", "phone": "13912345678", "code": "ABCD"}
    assert_refused_then_other_address_passes(client, url, data, throttle.PUBLIC_WRITES)


def test_volunteer_sign_up_is_limited_per_address(db: None, client: Client) -> None:
    url = "/volunteer/shifts/1/signup/"
    assert_refused_then_other_address_passes(client, url, {}, throttle.PUBLIC_WRITES)


def test_guessing_resident_codes_is_limited_per_address(db: None, client: Client) -> None:
    url = "/book/pass/"
    data = {"code": "WRONG123"}
    assert_refused_then_other_address_passes(client, url, data, throttle.RESIDENT_CODE_TRIES)
