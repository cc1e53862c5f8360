"""Settings from the environment, with safe local defaults (SQLite under var/)."""

import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("DOORSTEP_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Production-safe unless DEBUG=1 (the `make run` demo sets it, and says so). With DEBUG off,
# `doorstep` refuses to start on a missing or repository key (doorstep/core/startup.py).
DEBUG = os.environ.get("DEBUG", "0") == "1"
DEV_SECRET_KEY = "doorstep-local-development-key-change-me-in-production"
DEV_FIELD_ENCRYPTION_KEY = "doorstep-local-field-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
# Key for personal data at rest (ID numbers, phones). Separate from SECRET_KEY so either can rotate.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY") or DEV_FIELD_ENCRYPTION_KEY
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# Behind HTTPS (DOORSTEP_HTTPS=1): redirect, HSTS, secure cookies. The proxy in front must set
# X-Forwarded-Proto (see docs/security.md).
HTTPS = os.environ.get("DOORSTEP_HTTPS", "0") == "1"
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "doorstep.core.views.csrf_failure"
# Scripts and styles from this site only; inline handlers remain in some templates.
# Scripts and style sheets from this site's files only: no inline <script>, no on*= handler,
# no <style> element (behaviour is declared with data- attributes, see shell.js). Inline
# style= attributes are still allowed (style-src-attr): templates size bars with them and
# ECharts' tooltips are HTML with style attributes; they cannot run code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # its own Swagger UI static files: /api/v1/docs works offline
    "django_tasks",
    "django_tasks_db",
    "doorstep.core",
    "doorstep.ops",
    "doorstep.places",
    "doorstep.workdays",
    "doorstep.catalog",
    "doorstep.cases",
    "doorstep.routing",
    "doorstep.portal",
    "doorstep.api",
    "doorstep.field",
    "doorstep.programmes",
    "doorstep.fund",
    "doorstep.certificates",
    "doorstep.subsidy",
    "doorstep.assistance",
    "doorstep.canteen",
    "doorstep.interop",
    "doorstep.rollups",
    "doorstep.dashboard",
    "doorstep.bookings",
    "doorstep.volunteers",
    "doorstep.workforce",
    "doorstep.participation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "doorstep.ops.metrics.MetricsMiddleware",
    "doorstep.core.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "doorstep.core.security.BadInputMiddleware",
]

ROOT_URLCONF = "doorstep.urls"
WSGI_APPLICATION = "doorstep.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "doorstep.places.context.staff",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'doorstep.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if sys.argv[1:2] == ["runserver"]:
    # The development server starts a thread per request: a kept connection would outlive it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a real file (not shared-cache memory, which ignores the busy timeout), so
    # concurrency tests see SQLite as production does.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}


def _without_jit(database: Any) -> None:
    """PostgreSQL without JIT: the summary reads' estimated costs cross `jit_above_cost`, and
    compiling took longer than running them (docs/scale.md, tenth pass)."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"-c jit=off {options.get('options', '')}".strip()


_without_jit(DATABASES["default"])
# A streaming replica for reads (dashboards, lists, exports): see doorstep/core/replica.py.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    _without_jit(DATABASES["replica"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["doorstep.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(2, "doorstep.core.replica.ReplicaMiddleware")
DOORSTEP_REPLICA_MAX_LAG = float(os.environ.get("DOORSTEP_REPLICA_MAX_LAG", "5"))
DOORSTEP_REPLICA_PIN_SECONDS = int(os.environ.get("DOORSTEP_REPLICA_PIN_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
# Signing in reads the staff post with the account (doorstep/places/backends.py).
AUTHENTICATION_BACKENDS = ["doorstep.places.backends.StaffBackend"]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/desk/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
    ("ug", "ئۇيغۇرچە"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"

# Background tasks (notifications): django-tasks with its database backend; `doorstep worker`
# runs the worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Telling residents (notifications): channels among "log", "sms", "wechat", "email".
DOORSTEP_NOTIFY_CHANNELS = [
    c.strip() for c in os.environ.get("DOORSTEP_NOTIFY_CHANNELS", "log").split(",") if c.strip()
]
DOORSTEP_PUBLIC_URL = os.environ.get(
    "DOORSTEP_PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('PORT') or 8000}"
)
DOORSTEP_NOTIFY_TIMEOUT = float(os.environ.get("DOORSTEP_NOTIFY_TIMEOUT", "10"))
DOORSTEP_SMS_URL = os.environ.get("DOORSTEP_SMS_URL", "")
DOORSTEP_WECHAT_TOKEN = os.environ.get("DOORSTEP_WECHAT_TOKEN", "")
DOORSTEP_WECHAT_TEMPLATE_URL = os.environ.get("DOORSTEP_WECHAT_TEMPLATE_URL", "")
DOORSTEP_WECHAT_TEMPLATE_ID = os.environ.get("DOORSTEP_WECHAT_TEMPLATE_ID", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "doorstep@localhost")

# Elderly subsidy (高龄补贴): days after a quarter starts before an uncertified payment stops.
DOORSTEP_SUBSIDY_GRACE_DAYS = int(os.environ.get("DOORSTEP_SUBSIDY_GRACE_DAYS", "30"))

# Model file of the live routing engine (智能分派).
ROUTING_MODEL_PATH = Path(os.environ.get("ROUTING_MODEL_PATH", VAR_DIR / "routing" / "live.joblib"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Production serving (`doorstep serve`, gunicorn): processes × threads per machine. Each thread
# keeps at most one database connection (CONN_MAX_AGE above, checked before reuse), so a machine
# opens at most workers × threads connections: keep the sum over machines below PostgreSQL's
# max_connections (100 by default), leaving room for workers, tick and backups.
DOORSTEP_SERVE_BIND = os.environ.get("DOORSTEP_SERVE_BIND", "127.0.0.1:8000")
DOORSTEP_SERVE_WORKERS = int(os.environ.get("DOORSTEP_SERVE_WORKERS", "2"))
DOORSTEP_SERVE_THREADS = int(os.environ.get("DOORSTEP_SERVE_THREADS", "4"))
DOORSTEP_SERVE_TIMEOUT = int(os.environ.get("DOORSTEP_SERVE_TIMEOUT", "30"))
# The proxy whose X-Forwarded-* headers gunicorn trusts (comma-separated addresses).
DOORSTEP_FORWARDED_ALLOW_IPS = os.environ.get("DOORSTEP_FORWARDED_ALLOW_IPS", "127.0.0.1")
# `/metrics` (Prometheus): a bearer token, or loopback clients only when unset.
DOORSTEP_METRICS_TOKEN = os.environ.get("DOORSTEP_METRICS_TOKEN", "")
