"""Offline capture: the worker picks the compound (nothing preselected), and texts are routed
through the desk's router and threshold when no item was chosen."""

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from doorstep.cases.models import Case
from doorstep.conftest import World
from doorstep.routing import services as routing

pytestmark = pytest.mark.django_db


def _sync(client: Client, world: World, **entry: Any) -> Any:
    client.force_login(world.grid_a)
    entry = {"uuid": str(uuid.uuid4()), "compound": world.compound_a.pk, **entry}
    body = json.dumps({"entries": [entry]})
    return client.post("/field/capture/sync/", body, content_type="application/json").json()


def test_capture_page_preselects_no_compound_without_a_session(
    client: Client, world: World
) -> None:
    client.force_login(world.grid_a)
    html = client.get("/field/capture/").content.decode()
    chips = html.split('id="compounds"', 1)[1].split("</fieldset>", 1)[0]
    assert world.compound_a.name in chips and "checked" not in chips


def test_synced_text_without_item_is_routed_like_the_desk(
    client: Client, world: World, settings: Any, tmp_path: Path
) -> None:
    settings.ROUTING_MODEL_PATH = tmp_path / "live.joblib"
    routing.routing_retrain()
    result = _sync(client, world, text="我想开个居住证明去银行用")
    assert result["results"][0]["ok"]
    assert Case.objects.get().item == world.residence_cert


def test_synced_text_is_unrouted_when_nothing_is_confident(
    client: Client, world: World, settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    settings.ROUTING_MODEL_PATH = tmp_path / "live.joblib"
    routing.routing_retrain()
    monkeypatch.setattr(routing, "CONFIDENCE_THRESHOLD", 1.01)
    _sync(client, world, text="我想开个居住证明去银行用")
    assert Case.objects.get().item is None
