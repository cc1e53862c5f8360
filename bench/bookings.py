"""Bookings per second through `booking_create` (facility row lock + overlap check), and the
usage selector over many facilities, on the database DATABASE_URL names (SQLite by default).

    .venv/bin/python bench/bookings.py [--n 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bookings.py

Builds a throw-away test database, prints one line per measurement.
"""

import time
from datetime import datetime, timedelta

from common import base_world, main


def run(n: int, vendor: str) -> None:
    from django.contrib.auth.models import User
    from django.utils import timezone

    from doorstep.bookings.selectors import facility_usage
    from doorstep.bookings.services import Booker, FacilityData, booking_create, facility_save
    from doorstep.places.models import Resident, StaffProfile

    community = base_world()
    secretary = User.objects.create_user("bench-secretary")
    StaffProfile.objects.create(
        user=secretary,
        role="secretary",
        display_name="书记",
        district=community.street.district,
        street=community.street,
        community=community,
    )
    facilities = [
        facility_save(
            actor=secretary,
            data=FacilityData(
                community_id=community.pk,
                name=f"乒乓球台{i + 1}号",
                kind="table_tennis",
                advance_days=366,
                weekly_limit=100,
            ),
        )
        for i in range(20)
    ]
    residents = [Resident.objects.create(community=community, name=f"居民{i}") for i in range(100)]
    now = timezone.now()
    first = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), datetime.min.time())
    )
    started = time.perf_counter()
    for i in range(n):
        day, slot = divmod(i, 11 * len(facilities))
        facility = facilities[slot % len(facilities)]
        start = first + timedelta(days=day, hours=9 + slot // len(facilities))
        booking_create(
            booker=Booker(resident=residents[i % len(residents)]),
            facility_id=facility.pk,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            now=now,
        )
    seconds = time.perf_counter() - started
    print(
        f"{vendor:10s} booking_create           {n:6d} bookings {seconds:7.2f} s "
        f"{n / seconds:8.1f} /s"
    )
    started = time.perf_counter()
    for _ in range(20):
        rows = facility_usage(
            community.facilities.all(), now - timedelta(days=1), now + timedelta(days=400)
        )
    seconds = (time.perf_counter() - started) / 20
    print(f"{vendor:10s} facility_usage ({len(rows)} fac.) {seconds * 1000:7.1f} ms per call")


if __name__ == "__main__":
    main(run)
