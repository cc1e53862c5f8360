"""Health check and the login page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_is_ok(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_login_page_has_username_and_password(client: Client) -> None:
    response = client.get("/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post">' in html
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert "csrfmiddlewaretoken" in html


def test_login_with_a_password_goes_to_the_desk(client: Client) -> None:
    from django.contrib.auth.models import User

    User.objects.create_user("worker", password="correct-horse-9")
    response = client.post("/login/", {"username": "worker", "password": "correct-horse-9"})
    assert response.status_code == 302
    assert response["Location"] == "/desk/"


def test_login_with_a_wrong_password_stays_on_the_form(client: Client) -> None:
    from django.contrib.auth.models import User

    User.objects.create_user("worker", password="correct-horse-9")
    response = client.post("/login/", {"username": "worker", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_requires_post(client: Client) -> None:
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_is_unreachable(client: Client) -> None:
    from django.db import connection

    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-directory/doorstep.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
