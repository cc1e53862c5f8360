"""certificates: pages and permissions (moved from the former programs/tests/test_views.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from doorstep.certificates import services
from doorstep.conftest import World, make_person


def test_volunteer_hours_are_checked(world: World) -> None:
    person = make_person(world, "志愿者", date(1990, 1, 1))
    with pytest.raises(ValidationError):
        services.volunteer_record_add(
            actor=world.desk_a,
            resident_id=person.pk,
            day=date(2026, 1, 1),
            activity="x",
            hours="25",
        )
    with pytest.raises(ValidationError):
        services.volunteer_record_add(
            actor=world.desk_a,
            resident_id=person.pk,
            day=timezone.localdate() + timedelta(days=1),
            activity="x",
            hours="2",
        )
    record = services.volunteer_record_add(
        actor=world.desk_a,
        resident_id=person.pk,
        day=date(2026, 1, 1),
        activity="义务理发",
        hours="2.5",
    )
    assert record.hours == Decimal("2.5")
