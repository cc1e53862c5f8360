"""Notifications: channels, back-off, e-mail over real SMTP, and a worker killed mid-send."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from doorstep.cases import services as case_services
from doorstep.cases.models import Case
from doorstep.conftest import World
from doorstep.interop.choices import NotificationKind, NotificationStatus
from doorstep.interop.models import Notification
from doorstep.interop.notify import case_notify
from doorstep.interop.services import MAX_ATTEMPTS, notification_deliver, notifications_retry

from .conftest import Gateway

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def sms(settings: Any, gateway: Gateway) -> Gateway:
    settings.DOORSTEP_NOTIFY_CHANNELS = ["sms"]
    settings.DOORSTEP_SMS_URL = gateway.url
    settings.DOORSTEP_NOTIFY_TIMEOUT = 2
    return gateway


def intake(world: World, **extra: Any) -> Case:
    return world.intake(item=world.residence_cert, contact_phone="13812345678", **extra)


def test_registration_is_logged_by_default_with_code_and_link(
    world: World, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = intake(world)
    notice = Notification.objects.get()
    assert notice.channel == "log" and notice.kind == NotificationKind.REGISTERED
    assert notice.status == NotificationStatus.SENT
    assert case.tracking_code in notice.body and f"/track/{case.tracking_code}/" in notice.body


def test_resolution_sms_carries_the_reply_and_the_rating_link(
    world: World, sms: Gateway, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    case = intake(world)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="证明已开好")
    [sent] = sms.delivered
    assert sent["body"]["phone"] == "13812345678"
    assert "证明已开好" in sent["body"]["text"] and "评价" in sent["body"]["text"]
    assert Notification.objects.get().recipient_masked == "138****5678"


def test_a_resident_without_a_phone_gets_no_sms(world: World, sms: Gateway) -> None:
    case = world.intake(item=world.residence_cert)
    case_notify(case.pk, "created")
    assert Notification.objects.count() == 0


def test_a_hanging_gateway_never_slows_intake(
    world: World, sms: Gateway, community_app: Any, client: Client
) -> None:
    sms.hang.set()
    started = time.perf_counter()
    with_callbacks = client.post(
        "/open311/v2/requests.json",
        {"api_key": community_app[1], "service_code": "GOV-RESIDENCE-CERT", "phone": "13812345678"},
    )
    assert with_callbacks.status_code == 200
    assert time.perf_counter() - started < 1.5
    assert sms.received == []


def test_failed_attempts_back_off_then_give_up(world: World, sms: Gateway) -> None:
    sms.status = 500
    case = intake(world)
    case_notify(case.pk, "created")  # queued on the database backend; delivered by hand here
    notice = Notification.objects.get()
    now = timezone.now()
    assert notification_deliver(notice.pk, now=now) == "retry"
    notice.refresh_from_db()
    assert notice.status == NotificationStatus.PENDING and notice.attempts == 1
    assert notice.next_attempt_at == now + timedelta(minutes=1)
    assert "500" in notice.last_error
    assert notification_deliver(notice.pk, now=now + timedelta(seconds=30)) == "not_due"
    at = now
    for _attempt in range(2, MAX_ATTEMPTS + 1):
        at += timedelta(hours=7)
        outcome = notification_deliver(notice.pk, now=at)
    assert outcome == "failed"
    notice.refresh_from_db()
    assert notice.status == NotificationStatus.FAILED and notice.attempts == MAX_ATTEMPTS
    assert len(sms.received) == MAX_ATTEMPTS


def test_retry_queues_due_notices_once_the_back_off_passed(world: World, sms: Gateway) -> None:
    sms.status = 503
    case_notify(intake(world).pk, "created")
    notice = Notification.objects.get()
    now = timezone.now()
    notification_deliver(notice.pk, now=now)
    before = DBTaskResult.objects.count()
    assert notifications_retry(now + timedelta(seconds=10)) == 0
    assert notifications_retry(now + timedelta(minutes=2)) == 1
    assert DBTaskResult.objects.count() == before + 1


def test_notify_twice_for_one_event_makes_one_notice(world: World) -> None:
    case = intake(world)
    case_notify(case.pk, "created")
    case_notify(case.pk, "created")
    assert Notification.objects.count() == 1


def test_a_misconfigured_channel_never_breaks_the_caller(world: World, settings: Any) -> None:
    settings.DOORSTEP_NOTIFY_CHANNELS = ["carrier-pigeon"]
    case_notify(intake(world).pk, "created")
    assert Notification.objects.count() == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_email_goes_over_real_smtp(
    world: World,
    settings: Any,
    community_app: Any,
    client: Client,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[Any] = []

    class Collect(Message):
        def handle_message(self, message: Any) -> None:
            received.append(message)

    port = _free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.DOORSTEP_NOTIFY_CHANNELS = ["email"]
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.DEFAULT_FROM_EMAIL = "noreply@doorstep.example"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/open311/v2/requests.json",
                {
                    "api_key": community_app[1],
                    "service_code": "GOV-RESIDENCE-CERT",
                    "email": "wang.xiuying@example.cn",
                },
            )
        code = response.json()[0]["service_request_id"]
    finally:
        controller.stop()
    assert len(received) == 1 and len(mail.outbox) == 0  # real SMTP, not the test outbox
    message = received[0]
    assert message["To"] == "wang.xiuying@example.cn"
    assert code in str(message.get_payload(decode=True).decode("utf-8"))
    assert Notification.objects.get().status == NotificationStatus.SENT


# ---------------------------------------------------------------- a worker killed mid-send


def _db_env(tmp: Path) -> tuple[dict[str, str], Path | None]:
    """The worker subprocess's database: the test database itself on PostgreSQL; on SQLite
    (in memory) a file copy that is copied back afterwards."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        host = s.get("HOST") or "127.0.0.1"
        url = f"postgres://{s['USER']}@{host}:{s.get('PORT') or 5432}/{s['NAME']}"
        return {"DATABASE_URL": url}, None
    path = tmp / "worker.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)  # type: ignore[union-attr]
    target.close()
    return {"DATABASE_URL": f"sqlite:///{path}"}, path


def _copy_back(path: Path | None) -> None:
    if path is None:
        return
    source = sqlite3.connect(path)
    source.backup(connection.connection)  # type: ignore[union-attr]
    source.close()


def _doorstep(env: dict[str, str], *args: str) -> list[str]:
    return [str(ROOT / ".venv" / "bin" / "doorstep"), *args]


@pytest.mark.django_db(transaction=True)
def test_a_notice_survives_a_killed_worker_and_is_delivered_once(
    world: World, sms: Gateway, tmp_path: Path
) -> None:
    case = intake(world)  # autocommit: the notice is recorded and queued at once
    notice = Notification.objects.get(case=case)
    sms.hang.set()
    db_env, sqlite_path = _db_env(tmp_path)
    env = {
        **os.environ,
        **db_env,
        "DJANGO_SETTINGS_MODULE": "doorstep.interop.tests.worker_settings",
        "TEST_SMS_URL": sms.url,
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.Popen(
        _doorstep(env, "worker", "--interval", "0.1"),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not sms.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sms.received, "the worker never reached the gateway"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    sms.hang.clear()
    sms.release.set()
    # Five minutes later the lease has run out; `doorstep tick` queues the notice again.
    later = "import django; django.setup(); from datetime import timedelta; "
    later += "from django.db.models import F; from doorstep.interop.models import Notification; "
    later += "Notification.objects.update(lease_until=F('lease_until') - timedelta(minutes=5)); "
    later += (
        "from doorstep.interop.services import notifications_retry; print(notifications_retry())"
    )
    out = subprocess.run(
        [sys.executable, "-c", later], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == "1", out.stderr
    # The restarted worker runs every queued copy of the task; only one may send.
    subprocess.run(
        _doorstep(env, "worker", "--batch"),
        env=env,
        cwd=ROOT,
        timeout=60,
        capture_output=True,
        check=True,
    )
    _copy_back(sqlite_path)
    notice.refresh_from_db()
    assert notice.status == NotificationStatus.SENT and notice.attempts == 2
    assert len(sms.delivered) == 1 and len(sms.received) == 2
    assert {r["key"] for r in sms.received} == {f"doorstep-notice-{notice.pk}"}
