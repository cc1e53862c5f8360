"""Safe defaults: DEBUG off, no repository keys in production, security headers, Chinese
error pages in the site's look."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings

from doorstep.conftest import World
from doorstep.core.startup import require_keys

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "SECRET_KEY": "a-production-secret-key-of-fifty-random-characters-xyz",
    "FIELD_ENCRYPTION_KEY": "a-production-field-key-of-fifty-random-characters-xyz",
    "ALLOWED_HOSTS": "doorstep.example.cn",
    "DOORSTEP_HTTPS": "1",
}


def doorstep(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", *PRODUCTION}
    }
    return subprocess.run(
        [sys.executable, "-m", "doorstep.manage", *args],
        env={**clean, "PYTHONPATH": str(ROOT), "DOORSTEP_VAR_DIR": "/tmp/trust-check", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_is_off_unless_asked_for() -> None:
    out = doorstep(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", DEBUG="1"
    )
    assert out.stdout.split()[-1] == "True"
    out = doorstep("shell", "-c", "print(1)", **PRODUCTION)
    assert out.returncode == 0, out.stderr
    out = doorstep(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", **PRODUCTION
    )
    assert out.stdout.split()[-1] == "False"


def test_refuses_to_start_with_repository_keys_and_says_how_to_make_one() -> None:
    out = doorstep("check")
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr and "secrets.token_urlsafe" in out.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "FIELD_ENCRYPTION_KEY"])
def test_each_key_is_required(name: str) -> None:
    from django.conf import settings

    with (
        override_settings(DEBUG=False, **{name: getattr(settings, f"DEV_{name}")}),
        pytest.raises(ImproperlyConfigured, match=name),
    ):
        require_keys()


def test_check_deploy_is_clean_under_the_documented_production_settings() -> None:
    out = doorstep("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert out.returncode == 0, out.stdout + out.stderr


def test_security_headers(db: None, client: Client) -> None:
    response = client.get("/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@override_settings(
    SECURE_HSTS_SECONDS=31_536_000, SECURE_SSL_REDIRECT=True, SESSION_COOKIE_SECURE=True
)
def test_hsts_is_sent_over_https(db: None, client: Client) -> None:
    assert client.get("/login/").status_code == 301  # plain HTTP is redirected
    response = client.get("/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_404_is_chinese_in_the_site_look_and_lists_no_urls(db: None, client: Client) -> None:
    response = client.get("/no/such/page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in text and "app.css" in text
    assert "desk/cases" not in text  # no URL list, as DEBUG's page would show


def test_403_is_chinese_and_says_why(world: World, client: Client) -> None:
    client.force_login(world.secretary_a)
    response = client.get("/keys/")
    assert response.status_code == 403 and "无权访问" in response.content.decode()


def test_csrf_failure_is_chinese(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


def test_500_is_chinese_without_a_traceback(db: None, client: Client) -> None:
    from django.urls import path

    from doorstep import urls

    def boom(request: HttpRequest) -> HttpResponse:
        raise RuntimeError("secret internals")

    urlconf = type("urls", (), {"urlpatterns": [path("boom/", boom), *urls.urlpatterns]})
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=urlconf):
        response = client.get("/boom/")
    text = response.content.decode()
    assert response.status_code == 500
    assert "系统出错了" in text and "secret internals" not in text


def test_api_docs_work_offline(db: None, client: Client) -> None:
    text = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in text and "cdn" not in text
