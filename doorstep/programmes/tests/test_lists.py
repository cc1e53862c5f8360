"""The programme lists: keyset pages that say how many rows there are (none stops at 50), a
forged cursor refused, and `?format=xlsx` through `core/exports` — the filters on screen, masked
numbers, the row cap, the actor's area only — with query counts pinned."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from doorstep.assistance.models import AssistanceApplication
from doorstep.canteen.models import Meal
from doorstep.certificates.models import Certificate
from doorstep.conftest import (
    World,
    background_rows,
    make_person,
    make_resident,
    valid_id_number,
    xlsx_rows,
)
from doorstep.fund import services as fund
from doorstep.fund.choices import FundEntryKind
from doorstep.places.models import Community
from doorstep.subsidy.choices import EnrolmentStatus
from doorstep.subsidy.models import SubsidyEnrolment


def _people(world: World, n: int, community: Community | None = None) -> list:
    return [
        make_person(world, f"居民{n:03d}-{i:03d}", date(1940, 1, 1), community=community)
        for i in range(n)
    ]


def make_fund(world: World, n: int) -> None:
    lines = [
        fund.HistoryLine(FundEntryKind.DONATION, Decimal("1"), {"day": date(2026, 1, 1)})
        for _ in range(n)
    ]
    fund.fund_history_load(actor=world.secretary_a, community_id=world.a.pk, lines=lines)


def make_certificates(world: World, n: int, kind: str = "residence") -> None:
    start = Certificate.objects.count()
    Certificate.objects.bulk_create(
        Certificate(
            serial=f"ZM2026-T{start + i:07d}",
            kind=kind,
            community=world.a,
            resident=person,
            title="居住证明",
            body="兹证明",
            issued_on=date(2026, 3, 1),
            valid_until=date(2026, 6, 1),
            issued_by=world.desk_a,
        )
        for i, person in enumerate(_people(world, n))
    )


def make_subsidy(world: World, n: int) -> None:
    SubsidyEnrolment.objects.bulk_create(
        SubsidyEnrolment(
            resident=person,
            community=world.a,
            status=EnrolmentStatus.ACTIVE,
            proposed_on=date(2025, 12, 1),
            confirmed_on=date(2025, 12, 1),
        )
        for person in _people(world, n)
    )


def make_assistance(world: World, n: int, status: str = "under_review") -> None:
    AssistanceApplication.objects.bulk_create(
        AssistanceApplication(
            community=world.a,
            applicant_name=f"申请人{i}",
            kind="case",
            household_category="other",
            hardship="困难",
            amount_requested=Decimal("1000"),
            applied_on=date(2026, 3, 1),
            status=status,
        )
        for i in range(n)
    )


def make_canteen(world: World, n: int) -> None:
    Meal.objects.bulk_create(
        Meal(
            community=world.a,
            resident=person,
            day=timezone.localdate(),
            price=Decimal("9"),
            subsidy=Decimal("0"),
            delivery_fee=Decimal("0"),
            paid=Decimal("9"),
        )
        for person in _people(world, n)
    )


LISTS: dict[str, tuple[str, Callable[[World, int], None]]] = {
    "fund": ("/programs/fund/", make_fund),
    "certificates": ("/programs/certificates/", make_certificates),
    "subsidy": ("/programs/subsidy/", make_subsidy),
    "assistance": ("/programs/assistance/", make_assistance),
    "canteen": ("/programs/canteen/", make_canteen),
}
# Queries for one page, whatever the number of rows (session, user, scope, the page of rows,
# its total, the page's side panels).
PINNED = {"fund": 12, "certificates": 8, "subsidy": 12, "assistance": 9, "canteen": 12}


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_by_cursor_and_says_how_many(world: World, client: Client, name: str) -> None:
    url, make = LISTS[name]
    make(world, 55)
    client.force_login(world.secretary_a)
    first = client.get(url).content.decode()
    assert "共 55 条" in first and 'rel="prev"' not in first
    following = re.search(r'rel="next" href="\?([^"]+)"', first)
    assert following is not None, "a list of 55 rows must offer a next page"
    second = client.get(f"{url}?{html.unescape(following[1])}")
    assert second.status_code == 200
    text = second.content.decode()
    assert 'rel="prev"' in text and 'rel="next"' not in text


@pytest.mark.parametrize("name", LISTS)
def test_a_forged_cursor_is_refused_with_a_message(world: World, client: Client, name: str) -> None:
    url, _make = LISTS[name]
    client.force_login(world.secretary_a)
    response = client.get(url, {"cursor": "not-a-cursor"})
    assert response.status_code == 400 and "翻页参数" in response.content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_list_page_queries_do_not_grow_with_rows(
    world: World, client: Client, name: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    url, make = LISTS[name]
    make(world, 2)
    client.force_login(world.secretary_a)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make(world, 60)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    with django_assert_max_num_queries(PINNED[name]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_export_above_the_row_cap_goes_to_the_background(
    world: World, client: Client, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, make = LISTS[name]
    make(world, 3)
    monkeypatch.setattr("doorstep.core.exports.MAX_ROWS", 2)
    client.force_login(world.secretary_a)
    response = client.get(url, {"format": "xlsx"})
    assert len(background_rows(client, response)) == 1 + 3
    monkeypatch.setattr("doorstep.core.exports.MAX_ROWS", 3)
    assert len(xlsx_rows(client.get(url, {"format": "xlsx"}))) == 1 + 3


@pytest.mark.parametrize("name", LISTS)
def test_export_carries_every_row_not_one_page(world: World, client: Client, name: str) -> None:
    url, make = LISTS[name]
    make(world, 55)
    client.force_login(world.secretary_a)
    with CaptureQueriesContext(connection) as queries:
        rows = xlsx_rows(client.get(url, {"format": "xlsx"}))
    assert len(rows) == 1 + 55
    assert len(queries) < 25  # batches, never a query per row


def test_certificate_export_follows_the_type_filter_and_masks_the_id(
    world: World, client: Client
) -> None:
    number = valid_id_number("31011519400101123")
    person = make_resident(world.a, name="王秀英", id_number=number)
    Certificate.objects.create(
        serial="ZM2026-AAAAAAAA",
        kind="volunteer",
        community=world.a,
        resident=person,
        title="志愿服务证明",
        body="兹证明",
        issued_on=date(2026, 3, 1),
        valid_until=date(2027, 3, 1),
        issued_by=world.desk_a,
    )
    make_certificates(world, 2, kind="residence")
    client.force_login(world.secretary_a)
    rows = xlsx_rows(client.get("/programs/certificates/", {"kind": "volunteer", "format": "xlsx"}))
    assert [r[0] for r in rows] == ["编号", "ZM2026-AAAAAAAA"]
    assert rows[1][3] == person.id_number_masked and number not in repr(rows)
    page = client.get("/programs/certificates/", {"kind": "volunteer"}).content.decode()
    assert "共 1 条" in page and "kind=volunteer&amp;format=xlsx" in page


def test_assistance_export_follows_the_status_filter(world: World, client: Client) -> None:
    make_assistance(world, 2, "approved")
    make_assistance(world, 3, "rejected")
    client.force_login(world.secretary_a)
    rows = xlsx_rows(client.get("/programs/assistance/", {"status": "approved", "format": "xlsx"}))
    assert len(rows) == 1 + 2 and {r[6] for r in rows[1:]} == {"已通过"}


def test_another_communitys_secretary_exports_nothing_of_ours(world: World, client: Client) -> None:
    make_certificates(world, 3)
    client.force_login(world.secretary_b)
    assert xlsx_rows(client.get("/programs/certificates/", {"format": "xlsx"}))[1:] == []
    response = client.get(
        "/programs/certificates/", {"community": str(world.a.pk), "format": "xlsx"}
    )
    assert xlsx_rows(response)[1:] == []
    client.force_login(world.street_user)
    rows = xlsx_rows(
        client.get("/programs/certificates/", {"community": str(world.a.pk), "format": "xlsx"})
    )
    assert len(rows) == 1 + 3


def test_fund_history_load_chains_like_single_appends(world: World) -> None:
    make_fund(world, 3)
    fund.fund_donation_record(
        actor=world.desk_a,
        community_id=world.a.pk,
        amount="5",
        day=timezone.localdate(),
        channel="cash",
        anonymous=True,
    )
    checked, problem = fund.fund_verify()
    assert (checked, problem) == (4, None)


def test_fund_history_load_refuses_an_overdraft_and_writes_nothing(world: World) -> None:
    from django.core.exceptions import ValidationError

    from doorstep.fund.models import FundEntry

    lines = [
        fund.HistoryLine(FundEntryKind.DONATION, Decimal("10"), {"day": date(2026, 1, 1)}),
        fund.HistoryLine(FundEntryKind.DISBURSEMENT, Decimal("11"), {"day": date(2026, 1, 2)}),
    ]
    with pytest.raises(ValidationError):
        fund.fund_history_load(actor=world.secretary_a, community_id=world.a.pk, lines=lines)
    assert not FundEntry.objects.exists()
