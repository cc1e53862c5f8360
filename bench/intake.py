"""Cases created per second, through the service layer and through HTTP (the desk's intake
page and the API), on the database DATABASE_URL names (SQLite by default).

    .venv/bin/python bench/intake.py [--n 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/intake.py

It builds its own throw-away database (a temporary SQLite file, or a `<name>_bench` database on
PostgreSQL) and prints one line per path. Run by hand; nothing asserts on the figures.
"""

import time

from common import TEXTS, base_world, main, report


def run(n: int, vendor: str) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from doorstep.api.models import ApiToken
    from doorstep.cases import services
    from doorstep.catalog.models import ServiceItem
    from doorstep.places.models import StaffProfile

    community = base_world()
    district = community.street.district
    user = get_user_model().objects.create_user("bench", password="bench-password")
    StaffProfile.objects.create(
        user=user, role="desk", display_name="基准", district=district, community=community
    )
    item = ServiceItem.objects.get(code="GOV-RESIDENCE-CERT")
    texts = TEXTS

    started = time.perf_counter()
    for i in range(n):
        services.case_create(
            actor=user,
            data=services.Intake(
                community=community, channel="phone", description=texts[i % 3], item=item
            ),
        )
    report("service layer", vendor, n, time.perf_counter() - started)

    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    for i in range(n):
        response = client.post(
            "/desk/intake/",
            {"channel": "phone", "description": texts[i % 3], "item": item.pk},
        )
        assert response.status_code == 302, response.status_code
    report("HTTP intake page", vendor, n, time.perf_counter() - started)

    _, key = ApiToken.issue(user, "bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    started = time.perf_counter()
    for i in range(n):
        response = api.post(
            "/api/v1/cases",
            {"description": texts[i % 3], "channel": "app", "item_code": item.code},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    report("HTTP API /api/v1/cases", vendor, n, time.perf_counter() - started)


if __name__ == "__main__":
    main(run)
