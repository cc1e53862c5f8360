"""The intake write path stays small: few queries, no re-reads, no training library loaded."""

import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from doorstep.api.services import api_token_create
from doorstep.cases import services
from doorstep.cases.models import Case, CaseEvent
from doorstep.cases.submissions import intake_token_new
from doorstep.conftest import World, at, build_world

# One read (area check, district, calendar fingerprint), the case and event INSERTs, the rollup
# upserts and the outbox row written alongside: at most 6 through the service layer.
INTAKE_MAX_QUERIES = 6


# Transaction control is not counted: here the test's own transaction turns the intake's
# BEGIN/COMMIT into a savepoint. bench/intake.py counts the same way and shows the two apart
# ("6 (+2)"); it printed 8 when it counted the BEGIN and COMMIT as queries.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """What the intake sends, without transaction control."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].upper().startswith(TRANSACTION_CONTROL)
    ]


def test_intake_through_the_service_layer_stays_within_six_queries(world: World) -> None:
    world.intake(item=world.residence_cert)  # warm the calendar cache
    with CaptureQueriesContext(connection) as captured:
        world.intake(item=world.residence_cert)
    statements = _statements(captured)
    assert len(statements) <= INTAKE_MAX_QUERIES, statements


def test_intake_in_its_own_transaction_is_six_statements_between_begin_and_commit(
    transactional_db: None,
) -> None:
    """As bench/intake.py sees it: a real transaction, no savepoint on the common path."""
    world = build_world()
    world.intake(item=world.residence_cert)  # warm the calendar cache
    with CaptureQueriesContext(connection) as captured:
        world.intake(item=world.residence_cert)
    control = [
        q["sql"].split()[0].upper()
        for q in captured.captured_queries
        if q["sql"].upper().startswith(TRANSACTION_CONTROL)
    ]
    assert control == ["BEGIN", "COMMIT"], control
    assert len(_statements(captured)) <= INTAKE_MAX_QUERIES, _statements(captured)


def test_desk_intake_page_adds_only_session_user_item_and_form_token(world: World) -> None:
    """The intake page's POST: the session and its user, the chosen item, the service layer
    and the form token's row; no look-up of the token first (a repeat finds it on conflict)."""
    desk = Client()
    desk.force_login(world.desk_a)

    def post() -> None:
        data = {"form_token": intake_token_new(), "channel": "phone", "description": "路灯坏了"}
        response = desk.post("/desk/intake/", {**data, "item": world.residence_cert.pk})
        assert response.status_code == 302, response.content

    post()
    with CaptureQueriesContext(connection) as captured:
        post()
    assert len(_statements(captured)) <= INTAKE_MAX_QUERIES + 4, _statements(captured)


def test_api_intake_adds_only_token_throttle_and_item(world: World) -> None:
    _, key = api_token_create(world.desk_a, "测试")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def post() -> None:
        data = {"description": "路灯坏了", "channel": "app", "item_code": world.residence_cert.code}
        response = api.post("/api/v1/cases", data, content_type="application/json")
        assert response.status_code == 201, response.content

    post()
    with CaptureQueriesContext(connection) as captured:
        post()
    assert len(_statements(captured)) <= INTAKE_MAX_QUERIES + 3, _statements(captured)


def test_intake_by_a_street_worker_reads_no_more_than_a_desk(world: World) -> None:
    world.intake(item=world.residence_cert)
    with CaptureQueriesContext(connection) as captured:
        world.intake(world.street_user, item=world.residence_cert)
    assert len(_statements(captured)) <= INTAKE_MAX_QUERIES, _statements(captured)


def test_street_item_adds_only_the_stationed_worker_look_up(world: World) -> None:
    world.intake(item=world.residence_cert)
    with CaptureQueriesContext(connection) as captured:
        world.intake(world.street_user, item=world.street_item)
    assert len(_statements(captured)) <= INTAKE_MAX_QUERIES + 1, _statements(captured)


def test_intake_area_check_still_refuses_another_community(world: World) -> None:
    with pytest.raises(PermissionDenied):
        world.intake(world.desk_a, community=world.b)
    with pytest.raises(PermissionDenied):
        world.intake(world.other_street_user, community=world.a)
    with pytest.raises(PermissionDenied):
        world.intake(world.department_user, community=world.a)
    assert not Case.objects.exists()


def test_tracking_code_collision_reruns_the_intake_with_a_new_code(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = world.intake()
    codes = iter([first.tracking_code, "ABCD-2345"])
    monkeypatch.setattr(services, "tracking_code_new", lambda: next(codes))
    second = world.intake(item=world.residence_cert, now=at(2025, 9, 29))
    assert second.tracking_code == "ABCD-2345"
    assert Case.objects.count() == 2
    assert CaseEvent.objects.filter(case=second).count() == 1


def test_intake_due_date_follows_a_calendar_change_made_in_the_same_transaction(
    world: World,
) -> None:
    from datetime import date

    from doorstep.workdays.models import CalendarDay

    before = world.intake(item=world.residence_cert).due_date  # 2025-09-26 + 10 working days
    CalendarDay.objects.create(
        date=date(2025, 10, 13), kind="holiday", name="测试休息日", district=world.district
    )
    after = world.intake(item=world.residence_cert).due_date
    assert before is not None and after is not None and after > before


def test_serving_pages_and_the_api_does_not_import_scikit_learn() -> None:
    code = (
        "import os, sys, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'doorstep.settings')\n"
        "django.setup()\n"
        "import doorstep.urls, doorstep.api.api, doorstep.interop.services\n"
        "import doorstep.cases.services, doorstep.interop.notify\n"
        "print('sklearn' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr
