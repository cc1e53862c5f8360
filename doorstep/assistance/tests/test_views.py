"""assistance: pages and permissions (moved from the former programs/tests/test_views.py)."""

from __future__ import annotations

import random

from django.test import Client

from doorstep.assistance.demo import _split_total
from doorstep.conftest import World


def test_secretary_registers_an_application_on_the_page(world: World, client: Client) -> None:
    client.force_login(world.secretary_a)
    client.post(
        "/programs/assistance/apply/",
        {
            "applicant_name": "陈建华",
            "kind": "special",
            "household_category": "low_income",
            "hardship": "火灾",
            "amount_requested": "8000",
        },
    )
    page = client.get("/programs/assistance/").content.decode()
    assert "陈建华" in page and "8000.00" in page


def test_demo_amounts_split_exactly_into_the_zhangyan_total() -> None:
    rng = random.Random(1)
    weights = [rng.randint(20, 400) for _n in range(877)]
    parts = _split_total(rng, weights, 32071)
    assert len(parts) == 877 and sum(parts) * 100 == 3_207_100
