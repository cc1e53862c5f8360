"""Intake cost, through the service layer, the desk's intake page and the API, against the
ceiling: a bare view that does one INSERT through the same middleware, measured in the same
run. On the database DATABASE_URL names (SQLite in WAL mode by default).

    python bench/intake.py [--n 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_scale python bench/intake.py

It builds its own throw-away test database, runs every path `--n` times after a warm-up of
WARM_UP intakes (imports, caches, the first connection), with DEBUG off and redirects followed
as a browser would, and prints ms per intake, queries per intake and the ratio to the bare
view. Run by hand; nothing asserts on the figures.
"""

import time
from collections.abc import Callable

from common import TEXTS, base_world, main

WARM_UP = 20


def _measure(n: int, step: Callable[[int], None]) -> float:
    """Milliseconds per call of `step`, after WARM_UP untimed calls."""
    for i in range(WARM_UP):
        step(i)
    started = time.perf_counter()
    for i in range(n):
        step(i)
    return (time.perf_counter() - started) * 1000 / n


def _queries(step: Callable[[int], None]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        step(0)
    return len(captured.captured_queries)


def run(n: int, vendor: str) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    from doorstep.api.models import ApiToken
    from doorstep.cases import services
    from doorstep.cases.submissions import intake_token_new
    from doorstep.catalog.models import ServiceItem
    from doorstep.places.models import StaffProfile

    settings.DEBUG = False
    community = base_world()
    district = community.street.district
    user = get_user_model().objects.create_user("bench", password="bench-password")
    StaffProfile.objects.create(
        user=user, role="desk", display_name="基准", district=district, community=community
    )
    item = ServiceItem.objects.get(code="GOV-RESIDENCE-CERT")
    texts = TEXTS

    def service(i: int) -> None:
        services.case_create(
            actor=user,
            data=services.Intake(
                community=community, channel="phone", description=texts[i % 3], item=item
            ),
        )

    desk = Client()
    desk.force_login(user)

    def bare(i: int) -> None:
        response = desk.post("/bench/bare/", {"description": texts[i % 3]})
        assert response.status_code == 204, response.status_code

    def page(i: int) -> None:
        response = desk.post(
            "/desk/intake/",
            {
                # A fresh form each time, as a desk worker opens one per intake.
                "form_token": intake_token_new(),
                "channel": "phone",
                "description": texts[i % 3],
                "item": item.pk,
            },
            follow=True,
        )
        assert response.status_code == 200 and response.redirect_chain, response.status_code

    _, key = ApiToken.issue(user, "bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def through_api(i: int) -> None:
        response = api.post(
            "/api/v1/cases",
            {"description": texts[i % 3], "channel": "app", "item_code": item.code},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content

    paths = [
        ("bare one-INSERT view", bare),
        ("service layer", service),
        ("HTTP intake page", page),
        ("HTTP API /api/v1/cases", through_api),
    ]
    with override_settings(ROOT_URLCONF="bare"):
        results = [(label, _measure(n, step), _queries(step)) for label, step in paths]
    ceiling = results[0][1]
    print(f"{vendor}, {n} intakes per path after {WARM_UP} warm-up, DEBUG off")
    for label, ms, queries in results:
        print(f"{label:24s} {ms:7.2f} ms  {queries:3d} queries  {ms / ceiling:5.1f}× bare")


if __name__ == "__main__":
    main(run)
