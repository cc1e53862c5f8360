"""/api/v1/volunteers: reads in scope, sign-up on behalf through the service."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from doorstep.api.services import api_token_create
from doorstep.conftest import World

from .conftest import make_activity, make_volunteer


def _client(user: User) -> Client:
    _, key = api_token_create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_volunteer_sign_up_on_behalf_over_the_api(world: World) -> None:
    soon = timezone.now() + timedelta(days=2)
    activity = make_activity(world, start=soon)
    volunteer = make_volunteer(world, "王秀英", "13812345678")
    api = _client(world.desk_a)
    shift = api.get(f"/api/v1/volunteers/activities/{activity.pk}").json()["shifts"][0]
    made = api.post(
        "/api/v1/volunteers/signups",
        {"volunteer_id": volunteer.pk, "shift_id": shift["id"]},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["status"] == "confirmed"
    assert api.get(f"/api/v1/volunteers/{volunteer.pk}/hours").json()["minutes"] == 0
    assert (
        _client(world.desk_b).get(f"/api/v1/volunteers/activities/{activity.pk}").status_code == 404
    )


def test_activity_list_pages_by_keyset(world: World) -> None:
    from .conftest import START

    made = [make_activity(world, f"活动{n}", start=START + timedelta(days=n)) for n in range(3)]
    api = _client(world.desk_a)
    first = api.get("/api/v1/volunteers/activities", {"limit": 2}).json()
    assert [a["title"] for a in first] == ["活动2", "活动1"]
    rest = api.get("/api/v1/volunteers/activities", {"limit": 2, "after": first[-1]["id"]}).json()
    assert [a["id"] for a in rest] == [made[0].pk]
