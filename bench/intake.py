"""Intake cost, through the service layer, the desk's intake page and the API, against the
ceiling: a bare view that does one INSERT through the same middleware, measured in the same
run. On the database DATABASE_URL names (SQLite in WAL mode by default).

    python bench/intake.py [--n 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_scale python bench/intake.py

It builds its own throw-away test database (`test_<name>` on PostgreSQL), runs WARM_UP
untimed rounds (imports, caches, the first connection), then `--n` timed rounds. A round runs
every path once, in turn, so a burst of load on a shared machine falls on all paths alike, not
on whichever ran during it; the ratio to the bare view is of medians. DEBUG is off and the test
runner's template instrumentation is taken out again (a real server has none), and the intake
page's redirect is followed as a browser would: its figure includes the case page it lands on
(two requests against the bare view's one, which answers 204 with no page). The page's POST is
also timed alone ("its POST alone": the intake itself, up to the redirect), and, for
reference, a logged-in GET whose view does nothing ("request, no write"): two of those plus
the service layer are a floor under any intake page that lands on another page.

Queries are counted as the statements sent; transaction control (BEGIN, COMMIT, SAVEPOINT,
RELEASE) is shown apart — the same count `cases/tests/test_intake_cost.py` pins (there the
test's own transaction turns the intake's BEGIN/COMMIT into a savepoint). The API's count is
8 or 9: its per-token rate limit writes on one call in ten (`core/throttle.py`). Run by hand;
nothing asserts on the figures.
"""

import os
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from common import TEXTS, base_world, main

WARM_UP = 20
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")

Step = Callable[[int], None]


def _measure(n: int, paths: Sequence[tuple[str, Step]]) -> dict[str, list[float]]:
    """Milliseconds of each call of each path, over `n` round-robin rounds after WARM_UP."""
    for i in range(WARM_UP):
        for _, step in paths:
            step(i)
    times: dict[str, list[float]] = {label: [] for label, _ in paths}
    for i in range(WARM_UP, WARM_UP + n):
        for label, step in paths:
            started = time.perf_counter()
            step(i)
            times[label].append((time.perf_counter() - started) * 1000)
    return times


def _queries(step: Step) -> tuple[int, int]:
    """(statements, transaction-control statements) that one call of `step` sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        step(0)
    sql = [q["sql"] for q in captured.captured_queries]
    control = sum(1 for s in sql if s.upper().startswith(TRANSACTION_CONTROL))
    return len(sql) - control, control


def _as_served() -> None:
    """DEBUG off and templates rendered as a server renders them: the test environment's
    instrumented render (a signal and a context copy per template, for response.context) is
    put back to Django's own."""
    from django.conf import settings
    from django.template import Template, engines
    from django.test.utils import _TestState

    settings.DEBUG = False
    Template._render = _TestState.saved_data.template_render  # type: ignore[attr-defined]
    assert not engines["django"].engine.debug  # type: ignore[attr-defined]


def run(n: int, vendor: str) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    from doorstep.api.services import api_token_create
    from doorstep.cases import services
    from doorstep.cases.submissions import intake_token_new
    from doorstep.catalog.models import ServiceItem
    from doorstep.places.models import StaffProfile

    _as_served()
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

    def empty(i: int) -> None:
        assert desk.get("/bench/empty/").status_code == 204

    def page_post(i: int, follow: bool) -> Any:
        return desk.post(
            "/desk/intake/",
            {
                # A fresh form each time, as a desk worker opens one per intake.
                "form_token": intake_token_new(),
                "channel": "phone",
                "description": texts[i % 3],
                "item": item.pk,
            },
            follow=follow,
        )

    def page(i: int) -> None:
        response = page_post(i, follow=True)
        assert response.status_code == 200 and response.redirect_chain, response.status_code
        assert response.redirect_chain[-1][0].startswith("/desk/cases/"), response.redirect_chain

    def page_alone(i: int) -> None:
        response = page_post(i, follow=False)
        assert response.status_code == 302, response.status_code

    _, key = api_token_create(user, "bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def through_api(i: int) -> None:
        response = api.post(
            "/api/v1/cases",
            {"description": texts[i % 3], "channel": "app", "item_code": item.code},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content

    paths: list[tuple[str, Step]] = [
        ("bare one-INSERT view", bare),
        ("service layer", service),
        ("HTTP intake page", page),
        ("  its POST alone", page_alone),
        ("HTTP API /api/v1/cases", through_api),
        ("(request, no write)", empty),
    ]
    load_before = os.getloadavg()
    with override_settings(ROOT_URLCONF="bare"):
        times = _measure(n, paths)
        counts = {label: _queries(step) for label, step in paths}
    load_after = os.getloadavg()
    ceiling = statistics.median(times[paths[0][0]])
    print(
        f"{vendor}, {n} rounds of every path after {WARM_UP} warm-up rounds, DEBUG off; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    print(f"{'path':24s} {'median':>8s} {'mean':>8s}  statements (+ transaction)  × bare")
    for label, _ in paths:
        median, mean = statistics.median(times[label]), statistics.fmean(times[label])
        statements, control = counts[label]
        print(
            f"{label:24s} {median:5.2f} ms {mean:5.2f} ms  {statements:3d} (+{control})"
            f"{'':16s}{median / ceiling:5.1f}"
        )


if __name__ == "__main__":
    main(run)
