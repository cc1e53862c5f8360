"""我在办's index and the planner's statistics that a case's owner decides its area."""

from datetime import date

import pytest
from django.db import connection

from doorstep.cases.models import Case
from doorstep.cases.selectors import mine
from doorstep.conftest import World


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
def test_owner_area_dependencies_are_declared(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'case_owner_area'")
        row = cursor.fetchone()
    assert row is not None and "f" in row[0]  # f: functional dependencies


def test_mine_reads_soonest_promise_first_undated_last(world: World) -> None:
    later, undated, sooner = (world.intake(item=world.residence_cert) for _ in range(3))
    Case.objects.filter(pk=later.pk).update(due_date=date(2025, 10, 20))
    Case.objects.filter(pk=sooner.pk).update(due_date=date(2025, 10, 11))
    Case.objects.filter(pk=undated.pk).update(due_date=None)
    owned = [c.pk for c in mine(world.desk_a)]
    assert owned == [sooner.pk, later.pk, undated.pk]
