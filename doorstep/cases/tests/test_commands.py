"""One command layer: the desk and the API pick a command's objects from the same choices."""

import json
from typing import Any

import pytest
from django.test import Client

from doorstep.api.services import api_token_create
from doorstep.cases import commands
from doorstep.cases.models import Case
from doorstep.catalog.choices import Scope
from doorstep.conftest import World, make_item

pytestmark = pytest.mark.django_db


def _desk(client: Client, world: World, case: Case, action: str, data: dict[str, Any]) -> None:
    client.force_login(world.desk_a)
    client.post(f"/desk/cases/{case.pk}/{action}/", {"version": case.version, **data})


def _api(client: Client, world: World, case: Case, action: str, data: dict[str, Any]) -> Any:
    _token, key = api_token_create(world.desk_a, "tests")
    return client.post(
        f"/api/v1/cases/{case.pk}/{action}",
        json.dumps({"version": case.version, **data}),
        content_type="application/json",
        headers={"authorization": f"Bearer {key}"},
    )


def _bad_choices(world: World) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    local_b = make_item("LEGAL-ANTI-FRAUD", code="LOCAL-B-1", scope=Scope.LOCAL, community=world.b)
    return [
        # another community's own (自选) item
        ("classify", {"item": local_b.pk}, {"item_code": local_b.code}),
        # a worker of another community
        ("assign", {"assignee": world.desk_b.pk}, {"assignee_id": world.desk_b.pk}),
        # the case's own community, and a community of another street
        ("transfer", {"community": world.a.pk}, {"community_id": world.a.pk}),
        ("transfer", {"community": world.c.pk}, {"community_id": world.c.pk}),
    ]


def test_desk_and_api_refuse_the_same_choices(client: Client, world: World) -> None:
    for action, desk_data, api_data in _bad_choices(world):
        case = world.intake(world.desk_a)
        before = (case.version, case.item_id, case.owner_id, case.community_id)
        _desk(client, world, case, action, desk_data)
        response = _api(client, world, case, action, api_data)
        assert response.status_code == 400, (action, response.content)
        case.refresh_from_db()
        assert (case.version, case.item_id, case.owner_id, case.community_id) == before, action


def test_desk_and_api_accept_the_same_choices(client: Client, world: World) -> None:
    by_desk, by_api = world.intake(world.desk_a), world.intake(world.desk_a)
    _desk(client, world, by_desk, "transfer", {"community": world.b.pk, "note": "属地"})
    response = _api(client, world, by_api, "transfer", {"community_id": world.b.pk, "note": "属地"})
    assert response.status_code == 200, response.content
    by_desk.refresh_from_db()
    by_api.refresh_from_db()
    assert by_desk.community_id == by_api.community_id == world.b.pk


def test_the_choices_are_the_command_layers(world: World) -> None:
    case = world.intake(world.desk_a)
    assert list(commands.transfer_targets(case)) == [world.b]
    assert world.desk_b not in commands.assignee_choices(case)
    assert world.grid_a in commands.assignee_choices(case)


def test_unknown_command_is_404_on_both(client: Client, world: World) -> None:
    case = world.intake(world.desk_a)
    client.force_login(world.desk_a)
    assert client.post(f"/desk/cases/{case.pk}/explode/", {"version": 1}).status_code == 404
    assert _api(client, world, case, "explode", {}).status_code == 404
