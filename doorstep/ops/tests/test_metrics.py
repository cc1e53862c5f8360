"""`/metrics`: Prometheus text with request counts, the notice queue and database figures; no
personal data; closed to anyone but loopback or the token holder."""

from typing import Any

from django.test import Client

from doorstep.conftest import World


def test_metrics_count_requests_and_queued_notices_without_personal_data(
    world: World, client: Client
) -> None:
    world.intake(contact_phone="13812345678")
    client.get("/healthz?phone=13812345678")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'doorstep_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert 'doorstep_notifications_queued{status="pending"} 1' in text
    assert "doorstep_db_up 1" in text
    assert "13812345678" not in text and "phone" not in text


def test_metrics_are_closed_to_other_addresses_and_need_the_token_when_set(
    client: Client, settings: Any, db: None
) -> None:
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.DOORSTEP_METRICS_TOKEN = "s3cret"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    ok = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret")
    assert ok.status_code == 200
