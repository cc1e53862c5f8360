"""Cases created per second through Open311 POST (/open311/v2/requests.json), on the database
DATABASE_URL names (SQLite by default).

    .venv/bin/python bench/api.py [--n 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/api.py

Like bench/intake.py it builds a throw-away test database and prints one line per path.
Notifications are queued on the database backend as in production (no worker runs).
"""

import time

from common import TEXTS, base_world, main, report


def run(n: int, vendor: str) -> None:
    from django.test import Client

    from doorstep.interop.services import open311_client_create
    from doorstep.places.models import Compound

    community = base_world()
    street = community.street
    for i in range(10):
        Compound.objects.create(
            community=community,
            name=f"基准{i + 1}号院",
            latitude=31.2 + i * 0.001,
            longitude=121.6 + i * 0.001,
        )
    open311_client_create("基准应用", street=street, key="bench-key")
    texts = TEXTS
    client = Client()

    def post(i: int, location: dict[str, str]) -> None:
        response = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": "bench-key",
                "service_code": "GOV-RESIDENCE-CERT",
                "description": texts[i % 3],
                "phone": "13812345678",
                **location,
            },
        )
        assert response.status_code == 200, response.content

    for label, location in (
        ("Open311 POST lat/long", {"lat": "31.2031", "long": "121.6029"}),
        ("Open311 POST address", {"address_string": "基准街道基准7号院3号楼"}),
    ):
        started = time.perf_counter()
        for i in range(n):
            post(i, location)
        report(label, vendor, n, time.perf_counter() - started)


if __name__ == "__main__":
    main(run)
