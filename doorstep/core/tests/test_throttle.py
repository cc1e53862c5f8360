"""Throttling (限流): log-in lock after 5 failures per account and per address, 429 on
tracking-code guessing and portal submits, per-token API limit — all in the database."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from doorstep.api.services import api_token_create
from doorstep.conftest import World
from doorstep.core import throttle
from doorstep.core.models import AuditEntry, Throttle

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def worker(world: World) -> User:
    world.desk_a.set_password(PASSWORD)
    world.desk_a.save()
    return world.desk_a


def login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> int:
    response = client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    return response.status_code


def test_five_failures_lock_the_account_even_for_the_right_password(
    worker: User, client: Client
) -> None:
    for attempt in range(5):
        assert login(client, worker.username, "wrong", ip=f"10.0.0.{attempt}") == 200
    response = client.post(
        "/login/", {"username": worker.username, "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    assert "锁定 15 分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="login_locked")
    assert entry.actor == worker


def test_the_lock_ends_after_15_minutes(worker: User, client: Client) -> None:
    for _attempt in range(5):
        login(client, worker.username, "wrong")
    Throttle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert login(client, worker.username, PASSWORD) == 302


def test_five_failures_from_one_address_lock_that_address(worker: User, client: Client) -> None:
    for n in range(5):
        login(client, f"nobody{n}", "wrong", ip="10.1.1.1")
    assert login(client, worker.username, PASSWORD, ip="10.1.1.1") == 429
    assert login(client, worker.username, PASSWORD, ip="10.2.2.2") == 302


def test_tracking_code_guessing_gets_a_chinese_429(db: None, client: Client) -> None:
    codes = [f"AB{n:02d}-CDEF" for n in range(throttle.TRACKING_LOOKUPS.limit)]
    for code in codes:
        assert client.get(f"/track/{code}/").status_code == 302
    response = client.get("/track/ZZZZ-ZZZZ/")
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()
    api = client.get("/api/v1/track/ZZZZ-ZZZZ")
    assert api.status_code == 429 and api.json()["code"] == "throttled"


def test_portal_submits_are_limited_per_address(world: World, client: Client) -> None:
    data = {"community": world.a.pk, "description": "楼道灯坏了"}
    for _n in range(throttle.PORTAL_SUBMITS.limit):
        assert client.post("/", data).status_code in (200, 302)
    assert client.post("/", data).status_code == 429
    assert client.post("/", data, REMOTE_ADDR="10.3.3.3").status_code in (200, 302)


def test_api_tokens_are_rate_limited(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _token, key = api_token_create(world.desk_a, "test")
    headers = {"Authorization": f"Bearer {key}"}
    monkeypatch.setattr(throttle, "API_CALLS", throttle.Limit(3, timedelta(minutes=1)))
    for _n in range(3):
        assert client.get("/api/v1/cases", headers=headers).status_code == 200
    response = client.get("/api/v1/cases", headers=headers)
    assert response.status_code == 429 and response.json()["message"]


def test_allow_counts_within_a_window_and_starts_a_new_one_after_it(db: None) -> None:
    rule = throttle.Limit(3, timedelta(minutes=1))
    assert [throttle.allow("k", rule) for _ in range(4)] == [True, True, True, False]
    Throttle.objects.update(window_start=timezone.now() - timedelta(minutes=2))
    assert throttle.allow("k", rule) is True
    assert Throttle.objects.get().count == 1
    assert throttle.allow("other", rule) is True  # keys count apart
    assert Throttle.objects.count() == 2


def test_counting_is_one_statement_first_time_and_after(db: None) -> None:
    """The key's first request makes its row and every later one counts on it, each in one
    upsert that returns the count (no read after, no savepoint, no transaction of its own)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rule = throttle.Limit(300, timedelta(minutes=1))
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert throttle.allow("token:1", rule)
        statements = [q["sql"] for q in captured.captured_queries]
        assert len(statements) == 1, statements
        assert statements[0].upper().startswith("INSERT"), statements
        assert "ON CONFLICT" in statements[0].upper()
    assert Throttle.objects.get().count == 2


def _count(calls: int, rule: throttle.Limit, key: str) -> tuple[list[bool], int]:
    """`calls` batched counts of one key: whether each was allowed, and the upserts sent."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        allowed = [throttle.allow(key, rule, batch=10) for _ in range(calls)]
    return allowed, len(captured.captured_queries)


def test_batched_counting_writes_one_upsert_per_ten_calls(db: None) -> None:
    allowed, sent = _count(25, throttle.Limit(300, timedelta(minutes=1)), "api:token:batched")
    assert all(allowed)
    assert sent == 3  # the first call, then every tenth writes the ten it counted (11, 21)
    assert Throttle.objects.get().count == 21


def test_batched_counting_refuses_exactly_at_the_limit_in_one_process(db: None) -> None:
    allowed, _ = _count(30, throttle.Limit(25, timedelta(minutes=1)), "api:token:limit")
    assert allowed == [True] * 25 + [False] * 5
    assert Throttle.objects.get().count == 30  # near the limit, every call is written


def test_batched_counting_writes_at_least_once_a_second(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(throttle, "_clock", lambda: now[0])
    rule = throttle.Limit(300, timedelta(minutes=1))
    _count(3, rule, "api:token:slow")
    now[0] += throttle.BATCH_AGE
    _, sent = _count(1, rule, "api:token:slow")
    assert sent == 1
    assert Throttle.objects.get().count == 4


def test_batched_counting_follows_a_new_window(db: None) -> None:
    rule = throttle.Limit(5, timedelta(minutes=1))
    assert _count(6, rule, "api:token:window")[0][-1] is False
    Throttle.objects.update(window_start=timezone.now() - timedelta(minutes=2))
    assert _count(1, rule, "api:token:window")[0] == [True]
    assert Throttle.objects.get().count == 1
