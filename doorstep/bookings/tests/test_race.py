"""No double booking under concurrency: threads race for one slot; exactly one wins. Runs on
SQLite and, with DATABASE_URL, on PostgreSQL (where the exclusion constraint also holds)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from doorstep.bookings.choices import BookingStatus
from doorstep.bookings.models import Booking
from doorstep.bookings.services import booking_create
from doorstep.conftest import at, build_world, make_resident

from .conftest import NOW, make_facility, portal

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_racing_residents_cannot_double_book_one_slot() -> None:
    world = build_world()
    table = make_facility(world)
    residents = [make_resident(world.a, f"居民{n}", f"1381234{n:04d}") for n in range(THREADS)]
    start = at(2026, 3, 3, 10, 0)
    barrier = threading.Barrier(THREADS)
    won: list[int] = []
    refused: list[str] = []

    def book(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            # overlapping, not identical, slots: 10:00–11:00, 10:10–11:10, …
            begin = start + timedelta(minutes=10 * n)
            booking = booking_create(
                booker=portal(residents[n]),
                facility_id=table.pk,
                starts_at=begin,
                ends_at=begin + timedelta(minutes=60),
                now=NOW,
            )
            won.append(booking.pk)
        except ValidationError as error:
            refused.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(won) == 1
    assert len(refused) == THREADS - 1 and all("已被预约" in m for m in refused)
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.django_db
def test_postgresql_exclusion_constraint_refuses_overlap_written_past_the_service() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    world = build_world()
    table = make_facility(world)
    start = at(2026, 3, 3, 10, 0)
    fields = {
        "facility": table,
        "status": BookingStatus.CONFIRMED,
        "channel": "desk",
        "created_at": NOW,
        "group_name": "x",
    }
    Booking.objects.create(starts_at=start, ends_at=start + timedelta(hours=1), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            starts_at=start + timedelta(minutes=30), ends_at=start + timedelta(hours=2), **fields
        )
    Booking.objects.create(
        starts_at=start + timedelta(hours=1), ends_at=start + timedelta(hours=2), **fields
    )
