"""Notifications: the outbox written with the case, channels, back-off, e-mail over real SMTP,
and processes killed between commit and delivery or mid-send."""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from doorstep.cases import services as case_services
from doorstep.cases.models import Case
from doorstep.conftest import World
from doorstep.interop.choices import NotificationKind, NotificationStatus
from doorstep.interop.models import Notification
from doorstep.interop.services import (
    MAX_ATTEMPTS,
    notification_deliver,
    notification_deliver_next,
)

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


def deliver_all() -> list[str]:
    outcomes = []
    for _turn in range(100):
        outcome = notification_deliver_next()
        if outcome is None:
            break
        outcomes.append(outcome)
    return outcomes


def test_the_notice_is_in_the_outbox_as_soon_as_the_case_exists(world: World) -> None:
    case = intake(world)  # no on-commit callback runs here: nothing happens after the commit
    notice = Notification.objects.get()
    assert notice.case == case and notice.status == NotificationStatus.PENDING
    assert notice.channel == "log" and notice.kind == NotificationKind.REGISTERED
    assert deliver_all() == ["sent"]
    notice.refresh_from_db()
    assert notice.status == NotificationStatus.SENT and notice.attempts == 1
    assert case.tracking_code in notice.body and f"/track/{case.tracking_code}/" in notice.body


def test_a_rolled_back_case_leaves_no_notice(world: World) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        intake(world)
        assert Notification.objects.count() == 1
        raise RuntimeError("the request fails after the case was written")
    assert Case.objects.count() == 0 and Notification.objects.count() == 0


def test_the_outbox_costs_case_create_one_insert(world: World, settings: Any) -> None:
    settings.DOORSTEP_NOTIFY_CHANNELS = ["log", "sms", "email"]
    with CaptureQueriesContext(connection) as queries:
        intake(world)
    touching = [q["sql"] for q in queries.captured_queries if "interop_notification" in q["sql"]]
    assert len(touching) == 1 and touching[0].startswith("INSERT")
    assert Notification.objects.count() == 3


def test_resolution_sms_carries_the_reply_the_rating_link_and_the_notice_key(
    world: World, sms: Gateway
) -> None:
    case = intake(world)
    case_services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="证明已开好")
    assert deliver_all() == ["sent", "sent"]
    registered, resolved = sms.delivered
    assert resolved["body"]["phone"] == "13812345678"
    assert "证明已开好" in resolved["body"]["text"] and "评价" in resolved["body"]["text"]
    notice = Notification.objects.get(kind=NotificationKind.RESOLVED)
    assert resolved["key"] == resolved["body"]["id"] == f"doorstep-notice-{notice.pk}"
    assert notice.recipient_masked == "138****5678"


def test_a_resident_without_a_phone_gets_no_sms(world: World, sms: Gateway) -> None:
    world.intake(item=world.residence_cert)
    assert deliver_all() == ["skipped"]
    assert Notification.objects.get().status == NotificationStatus.SKIPPED
    assert sms.received == []


def test_a_hanging_gateway_is_never_called_during_intake(
    world: World, sms: Gateway, community_app: Any, client: Client
) -> None:
    sms.hang.set()
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": community_app[1], "service_code": "GOV-RESIDENCE-CERT", "phone": "13812345678"},
    )
    assert response.status_code == 200
    assert sms.received == []
    assert Notification.objects.get().status == NotificationStatus.PENDING


def test_failed_attempts_back_off_then_give_up(world: World, sms: Gateway) -> None:
    sms.status = 500
    intake(world)
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
    assert {r["key"] for r in sms.received} == {f"doorstep-notice-{notice.pk}"}


def test_the_worker_takes_a_failed_notice_again_only_after_its_back_off(
    world: World, sms: Gateway
) -> None:
    sms.status = 503
    intake(world)
    now = timezone.now()
    assert notification_deliver_next(now=now) == "retry"
    assert notification_deliver_next(now=now + timedelta(seconds=10)) is None
    sms.status = 200
    assert notification_deliver_next(now=now + timedelta(minutes=2)) == "sent"
    assert Notification.objects.get().attempts == 2


def test_a_notice_held_by_a_live_lease_is_left_alone(world: World, sms: Gateway) -> None:
    intake(world)
    notice = Notification.objects.get()
    now = timezone.now()
    Notification.objects.update(
        status=NotificationStatus.SENDING, lease_until=now + timedelta(seconds=30)
    )
    assert notification_deliver_next(now=now) is None
    assert notification_deliver_next(now=now + timedelta(minutes=1)) == "sent"
    notice.refresh_from_db()
    assert notice.status == NotificationStatus.SENT and len(sms.delivered) == 1


def test_a_misconfigured_channel_never_breaks_the_caller(world: World, settings: Any) -> None:
    settings.DOORSTEP_NOTIFY_CHANNELS = ["carrier-pigeon"]
    intake(world)
    assert Case.objects.count() == 1 and Notification.objects.count() == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_email_goes_over_real_smtp_with_the_notice_key_as_message_id(
    world: World,
    settings: Any,
    community_app: Any,
    client: Client,
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
        assert notification_deliver_next() == "sent"
    finally:
        controller.stop()
    assert len(received) == 1 and len(mail.outbox) == 0  # real SMTP, not the test outbox
    message = received[0]
    assert message["To"] == "wang.xiuying@example.cn"
    assert code in str(message.get_payload(decode=True).decode("utf-8"))
    notice = Notification.objects.get()
    assert notice.status == NotificationStatus.SENT
    assert message["Message-ID"] == f"<doorstep-notice-{notice.pk}@doorstep.example>"


# ------------------------------------------------- processes killed between commit and delivery


def _env(**extra: str) -> dict[str, str]:
    """A subprocess on the test database itself (committed rows: transaction=True tests)."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        host = s.get("HOST") or "127.0.0.1"
        url = f"postgres://{s['USER']}@{host}:{s.get('PORT') or 5432}/{s['NAME']}"
    else:
        url = f"sqlite:///{s['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT), **extra}


def _doorstep(*args: str) -> list[str]:
    return [sys.executable, "-m", "doorstep.manage", *args]


def _sms_env(sms: Gateway) -> dict[str, str]:
    return _env(
        DJANGO_SETTINGS_MODULE="doorstep.interop.tests.worker_settings", TEST_SMS_URL=sms.url
    )


KILLED_AFTER_COMMIT = """
import os, signal, django
django.setup()
from doorstep.cases.models import Case
from doorstep.cases.services import Intake, case_create
from doorstep.places.models import Community
from django.contrib.auth.models import User
case = case_create(
    actor=User.objects.get(username="desk_a"),
    data=Intake(community=Community.objects.get(pk={community}), channel="walk_in",
                description="楼道灯坏了", contact_phone="13812345678"),
)
print(case.tracking_code, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # the server dies the moment the case has committed
"""


@pytest.mark.django_db(transaction=True)
def test_a_server_killed_right_after_commit_still_gets_the_notice_out_once(
    world: World, tmp_path: Path
) -> None:
    env = _env(DOORSTEP_NOTIFY_CHANNELS="log", LOG_LEVEL="INFO")
    server = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_COMMIT.format(community=world.a.pk)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert server.returncode == -signal.SIGKILL, server.stderr
    code = server.stdout.strip()
    notice = Notification.objects.get(case__tracking_code=code)
    assert notice.status == NotificationStatus.PENDING
    logs = []
    for _run in range(2):  # a second worker run finds nothing left to send
        worker = subprocess.run(
            _doorstep("worker", "--batch"),
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert worker.returncode == 0, worker.stderr
        logs.append(worker.stderr)
    notice.refresh_from_db()
    assert notice.status == NotificationStatus.SENT and notice.attempts == 1
    sent_lines = [line for log in logs for line in log.splitlines() if code in line]
    assert len(sent_lines) == 1 and f"notice {notice.pk} " in sent_lines[0]


@pytest.mark.django_db(transaction=True)
def test_a_notice_held_by_a_killed_worker_is_reclaimed_after_its_lease(
    world: World, sms: Gateway
) -> None:
    intake(world)  # autocommit: the notice is in the outbox at once
    notice = Notification.objects.get()
    sms.hang.set()
    env = _sms_env(sms)
    worker = subprocess.Popen(
        _doorstep("worker", "--interval", "0.1"),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not sms.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sms.received, "the worker never reached the gateway"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    sms.hang.clear()
    sms.release.set()
    notice.refresh_from_db()
    assert notice.status == NotificationStatus.SENDING  # stuck: nobody re-queues it
    run = subprocess.run(_doorstep("worker", "--batch"), env=env, cwd=ROOT, timeout=60)
    notice.refresh_from_db()
    assert run.returncode == 0 and notice.status == NotificationStatus.SENDING  # lease still on
    # Five minutes later the lease has run out; the next worker takes the notice over.
    Notification.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    subprocess.run(_doorstep("worker", "--batch"), env=env, cwd=ROOT, timeout=60, check=True)
    notice.refresh_from_db()
    assert notice.status == NotificationStatus.SENT and notice.attempts == 2
    assert len(sms.delivered) == 1 and len(sms.received) == 2
    assert {r["key"] for r in sms.received} == {f"doorstep-notice-{notice.pk}"}


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_send_one_notice_twice(world: World, sms: Gateway) -> None:
    for _n in range(30):
        intake(world)
    env = _sms_env(sms)
    workers = [
        subprocess.Popen(
            _doorstep("worker", "--batch", "-v", "2"),
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for _w in range(2)
    ]
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers)
    keys = [r["key"] for r in sms.received]
    assert len(keys) == 30 and len(set(keys)) == 30
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 30
    assert sum(out.count("sent") for out in outputs) == 30
