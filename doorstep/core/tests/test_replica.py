"""The replica router: GET reads may use the replica; writes, reads after a write, reads in a
transaction and a writer's next requests (pin cookie) use the primary; a lagging replica is
skipped. The real streaming replica is exercised by bench/replica.py."""

from typing import Any

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from doorstep.cases.models import Case
from doorstep.core import replica
from doorstep.core.replica import PIN_COOKIE, ReplicaMiddleware, ReplicaRouter

router = ReplicaRouter()


def _seen_by_view(request: HttpRequest, write: bool = False) -> tuple[HttpResponse, list[str]]:
    seen: list[str] = []

    def view(req: HttpRequest) -> HttpResponse:
        seen.append(str(router.db_for_read(Case)))
        if write:
            router.db_for_write(Case)
            seen.append(str(router.db_for_read(Case)))
        return HttpResponse("ok")

    return ReplicaMiddleware(view)(request), seen


@pytest.fixture
def fresh(monkeypatch: Any) -> None:
    monkeypatch.setattr(replica, "replica_fresh", lambda: True)


def test_a_get_reads_from_the_replica_until_it_writes(fresh: None) -> None:
    _response, seen = _seen_by_view(RequestFactory().get("/desk/"), write=True)
    assert seen == ["replica", "default"]


def test_a_post_reads_the_primary_and_pins_the_browser(fresh: None, settings: Any) -> None:
    settings.DOORSTEP_REPLICA_PIN_SECONDS = 10
    response, seen = _seen_by_view(RequestFactory().post("/desk/cases/new/"))
    assert seen == ["default"]
    assert response.cookies[PIN_COOKIE]["max-age"] == 10


def test_a_pinned_browser_reads_its_own_writes_from_the_primary(fresh: None) -> None:
    request = RequestFactory().get("/desk/")
    request.COOKIES[PIN_COOKIE] = "1"
    assert _seen_by_view(request)[1] == ["default"]


def test_a_lagging_or_unreachable_replica_is_not_read(monkeypatch: Any) -> None:
    monkeypatch.setattr(replica, "replica_fresh", lambda: False)
    assert _seen_by_view(RequestFactory().get("/desk/"))[1] == ["default"]


def test_outside_a_request_everything_reads_the_primary() -> None:
    assert router.db_for_read(Case) == "default"
    assert router.allow_migrate("replica", "cases") is False


@pytest.mark.django_db
def test_reads_inside_a_transaction_use_the_primary(fresh: None) -> None:
    def view(req: HttpRequest) -> HttpResponse:
        with transaction.atomic():
            return HttpResponse(router.db_for_read(Case))

    assert ReplicaMiddleware(view)(RequestFactory().get("/")).content == b"default"


def test_the_lag_is_asked_at_most_once_a_second(monkeypatch: Any, settings: Any) -> None:
    asked: list[int] = []

    def lag() -> float:
        asked.append(1)
        return 9.0

    monkeypatch.setattr(replica, "replica_lag", lag)
    monkeypatch.setitem(replica._lag_checked, "at", 0.0)
    settings.DOORSTEP_REPLICA_MAX_LAG = 5
    assert replica.replica_fresh() is False and replica.replica_fresh() is False
    assert asked == [1]
