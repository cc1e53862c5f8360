"""`doorstep tick` from two machines at once: one runs, the other skips and says so."""

import threading
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from doorstep.cases.services import TickResult
from doorstep.core.locks import exclusive
from doorstep.core.models import Lease


def _tick() -> str:
    out = StringIO()
    call_command("tick", "--no-train", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_ticks_run_the_job_once(monkeypatch: Any) -> None:
    inside = threading.Event()
    other_done = threading.Event()
    runs: list[int] = []

    def slow_cases_tick() -> TickResult:
        runs.append(1)
        inside.set()
        assert other_done.wait(60), "the second tick never finished"
        return TickResult(escalated=0, closed=0)

    monkeypatch.setattr("doorstep.ops.management.commands.tick.cases_tick", slow_cases_tick)
    outputs: dict[str, str] = {}

    def first() -> None:
        try:
            outputs["first"] = _tick()
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(60)
    try:
        outputs["second"] = _tick()  # its own connection: another machine, as far as locks go
    finally:
        other_done.set()
        thread.join(60)
    assert runs == [1]
    assert "本次跳过" in outputs["second"] and "逾期转兜底" not in outputs["second"]
    assert "逾期转兜底 0 件" in outputs["first"]
    assert "逾期转兜底" in _tick()  # released: the next tick runs


@pytest.mark.django_db(transaction=True)
def test_a_lease_left_by_a_killed_tick_expires(settings: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL releases an advisory lock when the session dies")
    Lease.objects.create(name="tick", holder="dead", expires_at=timezone.now() + timedelta(hours=1))
    with exclusive("tick") as held:
        assert not held
    Lease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with exclusive("tick") as held:
        assert held
    assert not Lease.objects.exists()
