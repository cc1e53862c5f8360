"""subsidy: pages and permissions (moved from the former programs/tests/test_views.py)."""

from __future__ import annotations

from datetime import date

from django.test import Client

from doorstep.conftest import World, make_person
from doorstep.subsidy.models import SubsidyEnrolment


def test_grid_worker_sees_only_own_grid_on_due_list(
    world: World, grid_world: dict, client: Client
) -> None:
    for name, household in (("一网格老人", "h1"), ("二网格老人", "h2")):
        person = make_person(world, name, date(1940, 1, 1), household=grid_world[household])
        SubsidyEnrolment.objects.create(
            resident=person,
            community=world.a,
            status="active",
            proposed_on=date(2025, 1, 1),
            confirmed_on=date(2025, 1, 1),
        )
    client.force_login(world.grid_a)
    page = client.get("/programs/subsidy/").content.decode()
    assert "一网格老人" in page and "二网格老人" not in page


def test_secretary_confirms_proposals_on_the_page(world: World, client: Client) -> None:
    make_person(world, "满八十", date(1940, 1, 1))
    client.force_login(world.secretary_a)
    client.post("/programs/subsidy/propose/")
    enrolment = SubsidyEnrolment.objects.get()
    client.post("/programs/subsidy/confirm/", {"enrolment": [enrolment.pk]})
    enrolment.refresh_from_db()
    assert enrolment.status == "active" and enrolment.confirmed_by == world.secretary_a
