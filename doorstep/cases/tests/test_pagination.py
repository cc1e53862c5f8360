"""Keyset pagination of the case list: pages by cursor, refuses bad cursors, keeps scoping."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from doorstep.cases.filters import CaseFilter
from doorstep.cases.models import Case
from doorstep.conftest import World, at
from doorstep.core import keyset
from doorstep.core.keyset import CursorError, Total, paginate


def _cases(world: World, n: int, **kw: Any) -> list[Case]:
    start = at(2025, 9, 1)
    # Two cases share every timestamp: the id settles the order of a tie.
    return [world.intake(now=start + timedelta(hours=i // 2), **kw) for i in range(n)]


def _page(world: World, cursor: str | None = None, f: CaseFilter | None = None) -> keyset.Page:
    f = f or CaseFilter()
    return paginate(
        f.apply(world.desk_a), cursor=cursor, digest=f.digest(world.desk_a, "t"), size=3
    )


def test_pages_walk_newest_first_without_gaps_or_repeats_and_back(world: World) -> None:
    made = _cases(world, 8)
    expected = sorted(made, key=lambda c: (c.created_at, c.pk), reverse=True)
    first = _page(world)
    second = _page(world, first.next_cursor)
    third = _page(world, second.next_cursor)
    seen = [c.pk for p in (first, second, third) for c in p.rows]
    assert seen == [c.pk for c in expected]
    assert not first.has_previous and not third.has_next
    back = _page(world, second.previous_cursor)
    assert [c.pk for c in back.rows] == [c.pk for c in first.rows]
    assert first.total == Total(8, False, first.total.vendor if first.total else "")


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "a" * 300, signing.dumps({"v": 1}, salt="doorstep.keyset"), "eyJ2IjoxfQ:1:x"],
)
def test_forged_cursor_is_refused_in_chinese(world: World, cursor: str) -> None:
    with pytest.raises(CursorError, match="翻页"):
        _page(world, cursor)


def test_cursor_from_another_filter_is_refused(world: World) -> None:
    _cases(world, 4)
    page = _page(world)
    with pytest.raises(CursorError, match="筛选条件"):
        _page(world, page.next_cursor, CaseFilter(status="received"))


def test_stale_cursor_is_refused(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _cases(world, 4)
    page = _page(world)
    monkeypatch.setattr(keyset, "CURSOR_MAX_AGE", -1)
    with pytest.raises(CursorError, match="过期"):
        _page(world, page.next_cursor)


def test_first_page_above_the_exact_range_still_shows_the_newest_rows(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one-query first page reads at most cap + 1 matches in no order: above the cap those
    are not the newest, and the page must be read again in order."""
    made = _cases(world, 8)
    newest = sorted(made, key=lambda c: (c.created_at, c.pk), reverse=True)[:3]
    monkeypatch.setattr(keyset, "EXACT_TOTAL_UP_TO", 4)
    page = _page(world)
    assert [c.pk for c in page.rows] == [c.pk for c in newest]
    assert page.total is not None and page.total.estimated and page.total.count >= 5
    assert page.has_next and not page.has_previous


def test_first_page_reads_its_rows_and_exact_total_in_one_scan(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _cases(world, 5)
    f = CaseFilter()
    qs = f.apply(world.desk_a)
    explain = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(2 + explain):  # (estimate,) ids and total, the rows
        page = paginate(qs, cursor=None, digest=f.digest(world.desk_a, "t"), size=3)
    assert page.total == Total(5, False, connection.vendor)
    assert len(page.rows) == 3 and page.has_next


def test_far_above_the_exact_range_the_planner_estimate_is_the_total(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cases(world, 8)
    monkeypatch.setattr(keyset, "ESTIMATE_FIRST_ABOVE", -1)
    page = _page(world)
    assert page.total is not None
    vendor = page.total.vendor
    # PostgreSQL takes its estimate without counting; SQLite has none and counts.
    assert page.total.estimated == (vendor == "postgresql")
    assert len(page.rows) == 3


def test_total_above_ten_thousand_reads_as_an_estimate() -> None:
    assert Total(12_345, True, "postgresql").label == "约 1.2 万条"
    assert Total(20_000, True, "postgresql").label == "约 2 万条"
    assert Total(10_001, True, "sqlite").label == "超过 1 万条"
    assert Total(42, False, "sqlite").label == "共 42 条"


def test_desk_list_cursor_of_another_user_is_a_400_not_their_rows(
    world: World, client: Client
) -> None:
    _cases(world, 52)
    client.force_login(world.desk_a)
    first = client.get("/desk/cases/")
    cursor = first.context["page"].next_cursor
    assert cursor
    client.force_login(world.desk_b)
    response = client.get("/desk/cases/", {"cursor": cursor})
    assert response.status_code == 400
    assert "翻页链接与当前筛选条件不符" in response.content.decode()
    assert not response.context.get("page")


def test_desk_list_forged_cursor_is_a_400(world: World, client: Client) -> None:
    client.force_login(world.desk_a)
    response = client.get("/desk/cases/", {"cursor": "forged"})
    assert response.status_code == 400
    assert "翻页参数无效" in response.content.decode()


def test_desk_list_keeps_the_status_filter_when_a_view_is_set(world: World, client: Client) -> None:
    from doorstep.cases import services

    kept, moved = _cases(world, 2)
    services.case_accept(actor=world.desk_a, case_id=moved.pk)
    client.force_login(world.desk_a)
    response = client.get("/desk/cases/", {"view": "mine", "status": "in_progress"})
    assert [c.pk for c in response.context["page"].rows] == [moved.pk]
    assert kept.pk != moved.pk


def test_street_list_pages_only_through_its_own_street(world: World, client: Client) -> None:
    _cases(world, 3)
    world.intake(world.desk_c, community=world.c)
    client.force_login(world.street_user)
    rows = client.get("/desk/cases/").context["page"].rows
    assert {c.community_id for c in rows} == {world.a.pk}
    client.force_login(world.other_street_user)
    assert [c.community_id for c in client.get("/desk/cases/").context["page"].rows] == [world.c.pk]


def test_desk_list_query_count_does_not_grow_with_rows(
    world: World, client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    made = _cases(world, 52)
    client.force_login(world.district_user)
    first = client.get("/desk/cases/")
    with django_assert_max_num_queries(8):
        client.get("/desk/cases/", {"cursor": first.context["page"].next_cursor})
    assert len(made) == 52


def test_api_list_pages_by_cursor_with_link_and_total(world: World, client: Client) -> None:
    from doorstep.api.services import api_token_create

    _cases(world, 5)
    _token, key = api_token_create(world.desk_a, "t")
    headers = {"authorization": f"Bearer {key}"}
    first = client.get("/api/v1/cases", {"limit": 2}, headers=headers)
    assert first.status_code == 200 and len(first.json()) == 2
    assert first["X-Total-Count"] == "5" and first["X-Total-Estimated"] == "0"
    assert 'rel="next"' in first["Link"]
    second = client.get(
        "/api/v1/cases", {"limit": "2", "cursor": first["X-Next-Cursor"]}, headers=headers
    )
    assert {c["id"] for c in first.json()}.isdisjoint({c["id"] for c in second.json()})
    by_offset = client.get("/api/v1/cases", {"limit": 2, "offset": 2}, headers=headers)
    assert by_offset.json() == second.json()
    bad = client.get("/api/v1/cases", {"cursor": "forged"}, headers=headers)
    assert bad.status_code == 400 and bad.json()["code"] == "bad_cursor"
    assert "翻页" in bad.json()["message"]
    other = client.get(
        "/api/v1/cases", {"cursor": first["X-Next-Cursor"], "status": "resolved"}, headers=headers
    )
    assert other.status_code == 400 and other.json()["code"] == "other_cursor"


def test_open311_requests_page_by_cursor_and_refuse_a_forged_one(
    world: World, client: Client
) -> None:
    from doorstep.interop.services import open311_client_create

    open311_client_create("测试App", community=world.a, key="page-key")
    _cases(world, 3, channel="app")
    Case.objects.update(created_at=at(2026, 11, 30))
    base = "/open311/v2/requests.json"
    first = client.get(base, {"api_key": "page-key", "page_size": "2", "start_date": "2026-01-01"})
    assert first.status_code == 200 and len(first.json()) == 2
    second = client.get(
        base,
        {
            "api_key": "page-key",
            "page_size": "2",
            "start_date": "2026-01-01",
            "cursor": first["X-Next-Cursor"],
        },
    )
    assert len(second.json()) == 1 and "X-Next-Cursor" not in second
    bad = client.get(base, {"api_key": "page-key", "cursor": "forged"})
    assert bad.status_code == 400 and "翻页" in bad.json()[0]["description"]
