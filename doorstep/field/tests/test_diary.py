import json
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from doorstep.cases.models import Case
from doorstep.conftest import World, counts
from doorstep.field import services
from doorstep.field.models import DiaryEntry

pytestmark = pytest.mark.django_db


def entry(world: World, key: str = "", **extra: Any) -> services.DiaryData:
    fields: dict[str, Any] = {
        "client_uuid": key or str(uuid.uuid4()),
        "compound": world.compound_a,
        "text": "3号楼楼道灯坏了一个星期",
    }
    fields.update(extra)
    return services.DiaryData(**fields)


def test_diary_entry_becomes_a_mobile_desk_case(world: World) -> None:
    diary, created = services.diary_sync(actor=world.grid_a, community=world.a, data=entry(world))
    assert created
    case = diary.case
    assert case.channel == "mobile_desk"
    assert case.compound == world.compound_a
    assert case.description == "3号楼楼道灯坏了一个星期"
    assert case.status == "received"


def test_same_uuid_twice_gives_the_same_case(world: World) -> None:
    key = str(uuid.uuid4())
    first, _ = services.diary_sync(actor=world.grid_a, community=world.a, data=entry(world, key))
    again, created = services.diary_sync(
        actor=world.grid_a, community=world.a, data=entry(world, key)
    )
    assert not created
    assert again.case_id == first.case_id
    assert Case.objects.count() == 1


def test_a_racing_retry_that_loses_the_unique_index_returns_the_winners_case(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = str(uuid.uuid4())
    winner, _ = services.diary_sync(actor=world.grid_a, community=world.a, data=entry(world, key))
    real = services._existing_entry
    calls = {"n": 0}

    def not_yet_committed(k: uuid.UUID, community: Any) -> DiaryEntry | None:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(k, community)

    monkeypatch.setattr(services, "_existing_entry", not_yet_committed)
    loser, created = services.diary_sync(
        actor=world.grid_a, community=world.a, data=entry(world, key)
    )
    assert not created
    assert loser.case_id == winner.case_id
    assert Case.objects.count() == 1  # the loser's case was rolled back


def test_settled_on_the_spot_resolves_with_the_reply(world: World) -> None:
    data = entry(world, item=world.on_the_spot, settle_now=True, reply="已讲解防诈骗要点")
    diary, _ = services.diary_sync(actor=world.grid_a, community=world.a, data=data)
    assert diary.case.status == "resolved"
    assert diary.case.reply == "已讲解防诈骗要点"


def test_settling_without_a_reply_writes_nothing(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationError):
        services.diary_sync(
            actor=world.grid_a, community=world.a, data=entry(world, settle_now=True)
        )
    assert counts() == before
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize("key", ["", "not-a-uuid", "1234"])
def test_bad_uuid_is_refused(world: World, key: str) -> None:
    data = services.DiaryData(client_uuid=key, compound=None, text="路灯坏了")
    with pytest.raises(ValidationError):
        services.diary_sync(actor=world.grid_a, community=world.a, data=data)


def test_empty_text_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        services.diary_sync(actor=world.grid_a, community=world.a, data=entry(world, text="  "))


def test_uuid_of_another_community_is_refused(world: World) -> None:
    key = str(uuid.uuid4())
    services.diary_sync(actor=world.grid_a, community=world.a, data=entry(world, key))
    other = services.DiaryData(client_uuid=key, compound=world.compound_b, text="路灯坏了")
    with pytest.raises(ValidationError):
        services.diary_sync(actor=world.grid_b, community=world.b, data=other)


def _post(client: Client, entries: list[dict[str, Any]]) -> Any:
    return client.post(
        "/field/capture/sync/", json.dumps({"entries": entries}), content_type="application/json"
    )


def test_sync_endpoint_is_idempotent(client: Client, world: World) -> None:
    client.force_login(world.grid_a)
    batch = [
        {"uuid": str(uuid.uuid4()), "compound": world.compound_a.pk, "text": f"诉求{i}"}
        for i in range(3)
    ]
    first = _post(client, batch).json()["results"]
    second = _post(client, batch).json()["results"]
    assert [r["code"] for r in first] == [r["code"] for r in second]
    assert [r["created"] for r in second] == [False, False, False]
    assert Case.objects.filter(channel="mobile_desk").count() == 3


def test_sync_endpoint_reports_a_bad_entry_and_keeps_the_good_ones(
    client: Client, world: World
) -> None:
    client.force_login(world.grid_a)
    results = _post(
        client,
        [
            {"uuid": str(uuid.uuid4()), "text": ""},
            {"uuid": str(uuid.uuid4()), "text": "小区门口积水"},
        ],
    ).json()["results"]
    assert [r["ok"] for r in results] == [False, True]
    assert "请填写居民诉求内容" in results[0]["error"]


def test_sync_endpoint_ignores_another_communitys_compound(client: Client, world: World) -> None:
    client.force_login(world.grid_a)
    _post(client, [{"uuid": str(uuid.uuid4()), "text": "积水", "compound": world.compound_b.pk}])
    assert Case.objects.get().compound is None


def test_sync_endpoint_rejects_garbage(client: Client, world: World) -> None:
    client.force_login(world.grid_a)
    response = client.post("/field/capture/sync/", "{oops", content_type="application/json")
    assert response.status_code == 400


def test_sync_endpoint_needs_community_staff(client: Client, world: World) -> None:
    assert _post(client, []).status_code == 302
    client.force_login(world.street_user)
    assert _post(client, []).status_code == 403


def test_capture_page_is_installable(client: Client, world: World) -> None:
    client.force_login(world.grid_a)
    html = client.get("/field/capture/").content.decode()
    assert 'rel="manifest"' in html
    manifest = client.get("/field/manifest.webmanifest").json()
    assert manifest["start_url"] == "/field/capture/"
    worker = client.get("/field/sw.js")
    assert worker["Content-Type"] == "application/javascript"
    assert "/field/capture/" in worker.content.decode()
