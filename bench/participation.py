"""Meeting registrations per second (half of them beyond capacity, so the waitlist path is
measured too) and the street view of the ten practical things for `--n` communities, on the
database DATABASE_URL names (SQLite by default).

    .venv/bin/python bench/participation.py [--n 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/participation.py

It builds a throw-away test database and prints one line per path.
"""

import time
from datetime import date, timedelta

from common import base_world, main


def run(n: int, vendor: str) -> None:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from doorstep.participation import services
    from doorstep.places.models import Community, StaffProfile

    community = base_world()
    street = community.street
    worker = User.objects.create_user("bench-street")
    StaffProfile.objects.create(
        user=worker, role="street", display_name="街道", district=street.district, street=street
    )
    project = services.project_propose(
        actor=worker,
        data=services.Proposal(
            community=community, title="基准项目", proposer_kind="worker", funding_source="street"
        ),
    )
    meeting = services.meeting_schedule(
        actor=worker,
        project_id=project.pk,
        plan=services.MeetingPlan(
            kind="hearing",
            starts_at=timezone.now() + timedelta(days=7),
            place="议事区",
            agenda="议程",
            capacity=max(1, n // 2),
        ),
    )
    started = time.perf_counter()
    for i in range(n):
        services.meeting_register(meeting_id=meeting.pk, name="居民", phone=f"139{10_000_000 + i}")
    seconds = time.perf_counter() - started
    print(
        f"{vendor:10s} {'meeting_register':24s} {n:6d} regs  {seconds:7.2f} s {n / seconds:8.1f} /s"
    )

    year = timezone.localdate().year
    communities = [community] + [
        Community.objects.create(street=street, name=f"基准社区{i}") for i in range(n - 1)
    ]
    for c in communities:
        plan = services.practical_list_adopt(
            actor=worker, community=c, year=year, adoption="committee", adopted_on=date(year, 2, 1)
        )
        for k in range(10):
            services.thing_add(
                actor=worker,
                plan_id=plan.pk,
                title=f"实事{k + 1}",
                owner_name="负责人",
                budget="1000",
                milestones=[services.MilestoneIn("完成", date(year, 1 + k, 28))],
            )
    client = Client()
    client.force_login(worker)
    client.get("/participation/things/street/")
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/participation/things/street/")
    seconds = time.perf_counter() - started
    assert response.status_code == 200
    print(
        f"{vendor:10s} {'street view':24s} {n:6d} comms {seconds:7.2f} s "
        f"{len(queries.captured_queries):4d} queries"
    )


if __name__ == "__main__":
    main(run)
