"""Idempotent creation: a client-supplied Idempotency-Key returns the same case on retry."""

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from doorstep.api.services import api_token_create
from doorstep.cases.models import Case
from doorstep.conftest import World, build_world

BODY = {"description": "楼下路灯坏了好几天了", "channel": "app", "item_code": "GOV-RESIDENCE-CERT"}


def _client(user: Any) -> Client:
    _, key = api_token_create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _post(client: Client, key: str | None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post("/api/v1/cases", BODY, content_type="application/json", headers=headers)


def test_retry_with_same_idempotency_key_returns_the_same_case(world: World) -> None:
    client = _client(world.desk_a)
    first = _post(client, "order-7f3a")
    again = _post(client, "order-7f3a")
    assert first.status_code == again.status_code == 201
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    assert Case.objects.count() == 1


def test_different_keys_and_no_key_create_separate_cases(world: World) -> None:
    client = _client(world.desk_a)
    codes = {_post(client, "a").json()["id"], _post(client, "b").json()["id"]}
    codes |= {_post(client, None).json()["id"], _post(client, None).json()["id"]}
    assert len(codes) == 4


def test_idempotency_keys_belong_to_one_user(world: World) -> None:
    mine = _post(_client(world.desk_a), "same").json()
    theirs = _post(_client(world.secretary_a), "same").json()
    assert mine["id"] != theirs["id"]


def test_failed_creation_does_not_burn_the_key(world: World) -> None:
    client = _client(world.desk_a)
    bad = client.post(
        "/api/v1/cases",
        {**BODY, "description": "  "},
        content_type="application/json",
        headers={"Idempotency-Key": "k1"},
    )
    assert bad.status_code == 400
    assert "诉求" in bad.json()["message"]
    assert _post(client, "k1").status_code == 201
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_retries_create_one_case() -> None:
    world = build_world()
    _, key = api_token_create(world.desk_a, "race")
    results: list[int] = []

    def send() -> None:
        try:
            response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").post(
                "/api/v1/cases",
                BODY,
                content_type="application/json",
                headers={"Idempotency-Key": "race-1"},
            )
            results.append(response.json()["id"])
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert len(set(results)) == 1
    assert Case.objects.count() == 1
