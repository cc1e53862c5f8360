"""Every personal-data search is a POST (个人信息检索不进网址): no URL pattern searches by a full
phone or ID number given in its query string, no GET form on any page asks for one, and the
POSTed searches find the area's residents and no one else's."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from doorstep.bookings.tests.conftest import make_facility
from doorstep.conftest import World, make_resident, valid_id_number
from doorstep.core import crypto
from doorstep.core.personal_search import looks_personal
from doorstep.core.tests.test_fuzz import routes
from doorstep.places.models import Resident

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID_NUMBER = valid_id_number("31011519800101123")
OTHER_PHONE = "13787654321"
# Query parameters a search could be read from (every text parameter the fuzz test knows).
SEARCH_PARAMS = ("q", "phone", "id_number", "contact_phone", "resident", "name", "code", "s")
DOORSTEP = Path(__file__).resolve().parents[2]


@pytest.fixture
def resident(world: World) -> Resident:
    return make_resident(world.a, name="沈佩华", phone=PHONE, id_number=ID_NUMBER)


@pytest.fixture
def stranger(world: World) -> Resident:
    return make_resident(world.b, name="沈佩兰", phone=OTHER_PHONE)


def _spy_hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every value the views hash for a look-up (a search by phone or ID goes through it)."""
    seen: list[str] = []
    real = crypto.lookup_hash

    def spy(value: str) -> str:
        seen.append(value)
        return real(value)

    monkeypatch.setattr(crypto, "lookup_hash", spy)
    return seen


def test_no_url_searches_by_a_phone_or_id_in_its_query_string(
    world: World, resident: Resident, monkeypatch: pytest.MonkeyPatch
) -> None:
    facility = make_facility(world)
    seen = _spy_hashes(monkeypatch)
    urls = [url.replace("/1/", f"/{facility.pk}/") for url in routes() if "9" * 30 not in url]
    assert len(urls) > 100
    for user in (world.desk_a, world.secretary_a, world.street_user):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url in urls:
            for number in (PHONE, ID_NUMBER):
                client.get(url, dict.fromkeys(SEARCH_PARAMS, number))
    hashed = {PHONE, ID_NUMBER, ID_NUMBER[-4:]} & set(seen)
    assert not hashed, f"a GET searched by {hashed}"


def test_the_walk_would_see_a_get_search(
    world: World, resident: Resident, monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    """The spy sees the POSTed search, so its silence above means something."""
    seen = _spy_hashes(monkeypatch)
    client.force_login(world.desk_a)
    client.post("/desk/bookings/", {"q": PHONE})
    assert PHONE in seen


def _get_forms(html: str) -> list[str]:
    forms = re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S)
    opening = [f.split(">", 1)[0].lower() for f in forms]
    return [
        f
        for f, o in zip(forms, opening, strict=True)
        if not re.search(r'method="post"|hx-post=', o)
    ]


def test_no_get_form_asks_for_a_phone_or_id_number() -> None:
    offenders = [
        f"{path.relative_to(DOORSTEP)}: {form[:120]}"
        for path in DOORSTEP.glob("*/templates/**/*.html")
        for form in _get_forms(path.read_text())
        if re.search(r"手机|电话|身份证", form)
    ]
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize(
    "url",
    ["/desk/bookings/", "/desk/volunteers/", "/programs/certificates/", "/programs/canteen/"],
)
def test_a_posted_search_finds_the_areas_resident_only(
    world: World, resident: Resident, stranger: Resident, client: Client, url: str
) -> None:
    client.force_login(world.secretary_a)
    found = client.post(url, {"q": PHONE})
    assert found.status_code == 200
    assert found_residents(found) == [resident]
    assert found_residents(client.post(url, {"q": OTHER_PHONE})) == []  # another community's
    assert found_residents(client.get(url, {"q": PHONE})) == []


def found_residents(response: Any) -> list[Resident]:
    if "candidates" in response.context:  # the canteen pairs each resident with a price
        return [r for r, _price in response.context["candidates"]]
    return list(response.context["residents"])


def test_facility_page_searches_by_post(world: World, resident: Resident, client: Client) -> None:
    facility = make_facility(world)
    client.force_login(world.secretary_a)
    url = f"/desk/bookings/facilities/{facility.pk}/"
    assert found_residents(client.post(url, {"q": PHONE})) == [resident]
    assert found_residents(client.get(url, {"q": PHONE})) == []


def test_case_list_search_goes_behind_an_opaque_token(
    world: World, resident: Resident, client: Client
) -> None:
    case = world.intake(resident=resident)
    client.force_login(world.desk_a)
    posted = client.post("/desk/cases/", {"q": PHONE, "status": ""})
    assert posted.status_code == 302
    assert PHONE not in posted["Location"] and "s=" in posted["Location"]
    listed = client.get(posted["Location"])
    assert case.tracking_code in listed.content.decode()
    links = re.findall(r'href="([^"]*)"', listed.content.decode())
    assert any("format=xlsx" in link and "s=" in link for link in links)
    assert not [link for link in links if PHONE in link]  # the token, not the number
    refused = client.get("/desk/cases/", {"q": PHONE})
    assert refused.context["filter"].q == ""
    assert "不能放在网址里" in refused.content.decode()
    other_session = Client()
    other_session.force_login(world.desk_a)
    assert other_session.get(posted["Location"]).context["filter"].q == ""


def test_api_refuses_a_phone_in_the_url_and_searches_it_by_post(
    world: World, resident: Resident, stranger: Resident, client: Client
) -> None:
    mine = world.intake(resident=resident)
    world.intake(world.desk_b, community=world.b, resident=stranger)
    client.force_login(world.desk_a)
    assert client.get("/api/v1/cases", {"q": PHONE}).status_code == 400
    found: Any = client.post(
        "/api/v1/cases/search", {"q": PHONE}, content_type="application/json"
    ).json()
    assert [c["id"] for c in found] == [mine.pk]
    other: Any = client.post(
        "/api/v1/cases/search", {"q": OTHER_PHONE}, content_type="application/json"
    ).json()
    assert other == []


@pytest.mark.parametrize(
    ("text", "personal"),
    [
        (PHONE, True),
        ("139 1234 5678", True),
        (ID_NUMBER, True),
        ("123X", True),
        ("1234567", True),
        ("路灯坏了", False),
        ("K7Q2-9XMA", False),
        ("2345-6789", False),
        ("ld", False),
    ],
)
def test_what_counts_as_personal(text: str, personal: bool) -> None:
    assert looks_personal(text) is personal
