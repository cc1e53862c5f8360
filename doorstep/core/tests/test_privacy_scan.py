"""The whole demo, scanned for personal numbers (隐私扫描): no full phone or ID number of a demo
resident or caller — nor any number masked out of free text — in any database column or in any
page, API, Open311 or export response, outside an audited reveal. Runs on SQLite and
PostgreSQL alike (the dump is read through the configured connection)."""

import io
import re
import zipfile
from collections.abc import Iterator

import pytest
from django.contrib.admin import site
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from doorstep.cases.models import Case
from doorstep.certificates.models import Certificate
from doorstep.core import crypto
from doorstep.core.validators import id_check_digit
from doorstep.interop.models import HotlineOrder
from doorstep.places.models import Community, Resident

pytestmark = pytest.mark.django_db

RUN = re.compile(r"\d{11,17}[\dXx]?")
STAFF = ("desk", "grid", "secretary", "street", "district")


SHAPED = re.compile(r"(?<![0-9A-Za-z+/=_-])(1[3-9]\d{9}|\d{17}[\dX])(?![0-9A-Za-z+/=_-])")


def numbers_in(text: str) -> set[str]:
    return {run.upper() for run in RUN.findall(text)}


def shaped_numbers(text: str) -> set[str]:
    """Anything that looks like a mobile number or a valid ID number, known or not."""
    return {n for n in SHAPED.findall(text) if len(n) == 11 or id_check_digit(n[:17]) == n[17]}


def personal_numbers() -> set[str]:
    """Every full number the demo holds in sealed form."""
    found: set[str] = set()
    for phone, id_number in Resident.objects.values_list("phone_encrypted", "id_number_encrypted"):
        found |= {crypto.decrypt(phone), crypto.decrypt(id_number).upper()}
    for contact, sealed in Case.objects.values_list(
        "contact_phone_encrypted", "description_sealed"
    ):
        found |= {crypto.decrypt(contact)} | numbers_in(crypto.decrypt(sealed))
    for phone, sealed in HotlineOrder.objects.values_list(
        "caller_phone_encrypted", "content_sealed"
    ):
        found |= {crypto.decrypt(phone)} | numbers_in(crypto.decrypt(sealed))
    found.discard("")
    return {n for n in found if len(n) >= 11}


# Staff work phones are published on contact cards on purpose; they are not residents' data.
PUBLIC_TABLES = {"places_staffprofile"}


def database_dump() -> Iterator[tuple[str, str]]:
    with connection.cursor() as cursor:
        for table in set(connection.introspection.table_names()) - PUBLIC_TABLES:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                yield table, " ".join(str(value) for value in row)


def plain_urls() -> list[str]:
    """Every URL pattern that takes no argument (the admin is scanned separately)."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith("admin/"):
                    yield from walk(pattern.url_patterns, route)
            elif "<" not in route and "(?P" not in route:
                yield "/" + route.lstrip("^").rstrip("$").replace("\\", "")

    return sorted(set(walk(get_resolver().url_patterns, "")))


def text_of(content: bytes, content_type: str) -> str:
    if content.startswith(b"%PDF"):
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return content.decode("utf-8", "replace")


def test_no_full_personal_number_anywhere_in_the_demo(client: Client) -> None:
    call_command("demo", "--days", "3", "--per-day", "2", "--no-train", stdout=io.StringIO())
    numbers = personal_numbers()
    assert len(numbers) > 500  # the scan has something to find

    leaks = [
        (table, n)
        for table, row in database_dump()
        for n in (numbers_in(row) & numbers) | shaped_numbers(row)
    ]
    assert not leaks, leaks[:5]

    users = get_user_model().objects
    sealed = list(Case.objects.exclude(description_sealed="").values_list("pk", flat=True)[:10])
    community = Community.objects.order_by("pk").first()
    assert sealed and community is not None
    extra = [
        *(f"/desk/cases/{pk}/" for pk in sealed),
        *(
            f"/programs/certificates/{pk}/pdf/"
            for pk in Certificate.objects.values_list("pk", flat=True)[:2]
        ),
        f"/field/card/{community.pk}.pdf",
        f"/fund/{community.pk}/",
        "/open311/v2/requests.json?api_key=demo-open311-key",
        "/open311/v2/requests.xml?api_key=demo-open311-key",
        "/open311/v2/requests.json",
        "/api/v1/cases?limit=100",
        "/desk/cases/?q=1",
        # every list's spreadsheet (台账), as each role would download it
        *(
            f"{path}?format=xlsx"
            for path in (
                "/desk/cases/",
                "/dashboard/cases/",
                "/dashboard/demands/",
                "/dashboard/workers/",
                "/hotline/",
                "/field/visits/",
                "/field/mobile-desk/",
                "/desk/bookings/",
                "/residents/",
                "/desk/volunteers/",
                "/desk/volunteers/roster/",
                "/desk/volunteers/hours/",
                "/participation/",
                "/workforce/",
                "/workforce/leave/",
                "/workforce/onsite/",
                "/workforce/video/",
                "/workforce/fees/",
            )
        ),
    ]
    leaks_by_url: list[tuple[str, str, str]] = []
    checked = 0
    for username in (None, *STAFF):
        if username is not None:
            client.force_login(users.get(username=username))
        for url in plain_urls() + extra:
            response = client.get(url)
            if response.status_code >= 500:
                leaks_by_url.append((str(username), url, f"HTTP {response.status_code}"))
                continue
            checked += 1
            raw = response.getvalue()  # streamed (xlsx) or not
            body = text_of(raw, response.get("Content-Type", ""))
            leaks_by_url += [(str(username), url, n) for n in numbers_in(body) & numbers]
        client.logout()
    admin = users.create_superuser("scan-admin", password="x" * 12)
    client.force_login(admin)
    for model in site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        body = client.get(url).content.decode()
        leaks_by_url += [("admin", url, n) for n in numbers_in(body) & numbers]
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            url = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]
            )
            body = client.get(url).content.decode()
            leaks_by_url += [("admin", url, n) for n in numbers_in(body) & numbers]
    assert checked > 200
    assert not leaks_by_url, leaks_by_url[:10]
