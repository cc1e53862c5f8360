"""Racing volunteers for the last spot: one gets it, the others wait in order (the shift row
is locked). Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from doorstep.conftest import build_world
from doorstep.volunteers.choices import SignUpStatus
from doorstep.volunteers.models import SignUp
from doorstep.volunteers.services import signup_create

from .conftest import NOW, make_activity, make_volunteer

THREADS = 5


@pytest.mark.django_db(transaction=True)
def test_racing_sign_ups_fill_one_spot_and_wait_for_the_rest() -> None:
    world = build_world()
    activity = make_activity(world, spots=1)
    shift_id = activity.shifts.get().pk
    volunteers = [make_volunteer(world, f"志愿者{n}", f"1391234{n:04d}") for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def sign_up(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            signup_create(volunteer=volunteers[n], shift_id=shift_id, now=NOW)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    statuses = sorted(SignUp.objects.values_list("status", flat=True))
    assert statuses.count(SignUpStatus.CONFIRMED) == 1
    assert statuses.count(SignUpStatus.WAITLISTED) == THREADS - 1
