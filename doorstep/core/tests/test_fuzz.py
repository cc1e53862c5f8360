"""Bad input never 500s (坏输入不崩溃): every URL pattern, its query parameters and its forms
get huge ints, non-numbers, impossible dates, 100 KB strings, control and RTL characters, as
anonymous and as community, street and district staff; no answer may be a 5xx."""

import logging
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from doorstep.conftest import World

# Every parameter name the views and forms read (grep request.GET/POST, forms, the API).
PARAMS = [
    "action",
    "address",
    "address_string",
    "all",
    "amount",
    "amount_requested",
    "anonymous",
    "api_key",
    "applicant_name",
    "applied_on",
    "attitude",
    "body",
    "building",
    "buildings",
    "capability",
    "case",
    "channel",
    "code",
    "comment",
    "community",
    "compound",
    "conflict_note",
    "contact_name",
    "contact_phone",
    "contractor",
    "day",
    "days",
    "delivered",
    "description",
    "documents",
    "donor_count",
    "donor_name",
    "email",
    "end",
    "end_date",
    "enrolment",
    "field",
    "first_name",
    "format",
    "grid",
    "hardship",
    "head",
    "household_category",
    "id",
    "item",
    "item_code",
    "item_q",
    "jurisdiction_id",
    "kind",
    "last_name",
    "lat",
    "limit",
    "lng",
    "long",
    "member",
    "method",
    "month",
    "name",
    "next",
    "note",
    "page",
    "paid_on",
    "people_helped",
    "phone",
    "place",
    "purpose",
    "q",
    "quarter",
    "reason",
    "recipient",
    "reply",
    "resident",
    "result",
    "scope",
    "service_code",
    "service_request_id",
    "sessions",
    "start",
    "start_date",
    "status",
    "title",
    "updated_after",
    "updated_before",
    "user",
    "validity_days",
    "version",
    "view",
    "vote",
    "worker",
    "year",
]
TEXT_PARAMS = ("q", "code", "description", "name", "reason", "address", "note", "item_q")
HUGE = "9" * 30
VALUES = {
    "huge int": [HUGE],
    "not a number": ["-1.5e999x"],
    "impossible date": ["2026-02-30", "0001-01-01", "9999-12-31T25:61"],
    "control and rtl": ["a\x00\x01\x1f\u202e\u200fb\r\n"],
}
BIG = "测试\u202e" * 100 + "x" * 100_000  # 100 KB
SKIP = {"logout/", "healthz"}


def routes() -> Iterator[str]:
    """Every non-admin route with its arguments filled in: ids as 1 and as a 100-bit number."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith("admin/"):
                    yield from walk(pattern.url_patterns, route)
            else:
                yield route

    for route in sorted(set(walk(get_resolver().url_patterns, ""))):
        if route in SKIP:
            continue
        if route.startswith("^"):  # Open311's regex routes
            route = route.strip("^$").replace("\\", "").replace("?", "")
            route = route.replace("(P<fmt>json|xml)", "json").replace("[w-]+", "")
            for name in ("code", "request_id", "token"):
                route = route.replace(f"(P<{name}>[w-.]+)", HUGE).replace(f"(P<{name}>)", HUGE)
        filled = {"1", HUGE} if "<int:" in route else {"x"}
        for value in filled:
            url = route
            while "<" in url:
                start, end = url.index("<"), url.index(">")
                converter = url[start + 1 : end]
                url = (
                    url[:start] + (value if converter.startswith("int:") else HUGE) + url[end + 1 :]
                )
            yield "/" + url


@pytest.mark.django_db(transaction=True)  # a refused value must not poison the next request
def test_no_url_answers_5xx_to_bad_input(world: World) -> None:
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 4xx by the thousand
    logging.getLogger("doorstep.core.security").setLevel(logging.CRITICAL)
    failures: list[str] = []
    urls = list(routes())
    assert len(urls) > 100
    classes = list(VALUES.items())
    users = (None, world.secretary_a, world.street_user, world.district_user)
    for turn, user in enumerate(users):
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        who = user.username if user else "anonymous"
        for n, url in enumerate(urls):
            # One request per method, each parameter a different class of bad value; over
            # the four users every parameter of every URL meets every class.
            data = {
                p: (values := classes[(i + turn) % len(classes)][1])[(i + n) % len(values)]
                for i, p in enumerate(PARAMS)
            }
            for method in ("get", "post"):
                if getattr(client, method)(url, data).status_code >= 500:
                    failures.append(f"{who} {method.upper()} {url} [turn {turn}]")
            big = {TEXT_PARAMS[(n + turn) % len(TEXT_PARAMS)]: BIG}
            method = ("get", "post")[(n + turn) % 2]
            if getattr(client, method)(url, big).status_code >= 500:
                failures.append(f"{who} {method.upper()} {url} [100 KB]")
    assert not failures, "\n".join(failures[:60]) + f"\n({len(failures)} in all)"
