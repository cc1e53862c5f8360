"""The routing engine inside the app: learning from corrections, the confidence threshold,
and the atomic swap of the live model."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from doorstep.api.services import api_token_create
from doorstep.cases import selectors, services
from doorstep.cases.models import Case
from doorstep.conftest import World
from doorstep.routing import services as routing
from doorstep.routing.engine import Router
from doorstep.routing.models import RoutingModel

UNUSUAL = "楼道口那个蓝色大铁皮柜子挡路了"


@pytest.fixture
def model_path(settings: Any, tmp_path: Path) -> Path:
    settings.ROUTING_MODEL_PATH = tmp_path / "live.joblib"
    return Path(settings.ROUTING_MODEL_PATH)


def test_catalogue_alone_trains_a_model_that_suggests_items(world: World, model_path: Path) -> None:
    model = routing.routing_retrain()
    assert model is not None and model.n_cases == 0
    assert model_path.exists()
    found = routing.suggest("我想开个居住证明去银行用", community=world.a)
    assert found[0].item == world.residence_cert
    assert found[0].evidence


def test_retraining_learns_the_workers_corrections(world: World, model_path: Path) -> None:
    routing.routing_retrain()
    before = routing.suggest(UNUSUAL, community=world.a)[0].item
    target = next(i for i in (world.street_item, world.on_the_spot) if i != before)
    other = world.residence_cert if target != world.residence_cert else world.on_the_spot
    for _ in range(8):
        case = world.intake(description=UNUSUAL, item=other)
        services.case_classify(actor=world.desk_a, case_id=case.pk, item=target)
    model = routing.routing_retrain()
    assert model is not None and model.n_cases == 8
    assert routing.suggest(UNUSUAL, community=world.a)[0].item == target


def test_text_only_api_intake_below_the_threshold_goes_to_a_person(
    world: World, model_path: Path, settings: Any
) -> None:
    routing.routing_retrain()
    _, key = api_token_create(world.desk_a, "t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    routing_threshold = routing.CONFIDENCE_THRESHOLD
    try:
        routing.CONFIDENCE_THRESHOLD = 1.01  # nothing is ever confident enough
        low = client.post(
            "/api/v1/cases", {"description": "我要开居住证明"}, content_type="application/json"
        ).json()
        routing.CONFIDENCE_THRESHOLD = 0.0  # everything is
        high = client.post(
            "/api/v1/cases", {"description": "我要开居住证明"}, content_type="application/json"
        ).json()
    finally:
        routing.CONFIDENCE_THRESHOLD = routing_threshold
    assert low["item_code"] is None and low["routing_confidence"] is not None
    assert Case.objects.get(pk=low["id"]) in selectors.needs_person(world.desk_a)
    assert high["item_code"] == "GOV-RESIDENCE-CERT"
    assert Case.objects.get(pk=high["id"]) not in selectors.needs_person(world.desk_a)


def test_live_model_is_swapped_atomically_when_the_file_is_replaced(
    world: World, model_path: Path
) -> None:
    routing.routing_retrain()
    first = routing.live_router()
    assert first is not None
    second = Router.train(
        ["修水管", "下水道堵了", "开居住证明", "证明怎么开"], ["A", "A", "B", "B"]
    )
    second.save(model_path)
    swapped = routing.live_router()
    assert swapped is not None and swapped is not first
    assert set(swapped.labels) == {"A", "B"}
    # A request holding the old model still finishes with it.
    assert first.predict("我要开居住证明")[0].label == "GOV-RESIDENCE-CERT"
    assert [p.name for p in model_path.parent.iterdir()] == [model_path.name]


def test_no_model_means_no_suggestions_and_no_automatic_routing(
    world: World, model_path: Path
) -> None:
    assert routing.suggest("路灯坏了", community=world.a) == []
    assert routing.auto_route("路灯坏了", world.a) == (None, None)


def test_tick_trains_once_and_then_only_after_enough_confirmations(
    world: World, model_path: Path
) -> None:
    assert routing.retrain_if_due() is not None
    assert routing.retrain_if_due() is None
    assert RoutingModel.objects.count() == 1


def test_a_model_file_from_another_version_is_ignored_then_retrained(
    world: World, model_path: Path
) -> None:
    model_path.write_bytes(b"not a model of this version")
    assert routing.live_router() is None
    assert routing.suggest("我要开居住证明", community=world.a) == []
    assert routing.retrain_if_due() is not None
    assert routing.live_router() is not None
