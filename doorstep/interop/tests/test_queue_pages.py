"""The person queue (待人工分派): keyset pages in deadline order with the orders without a
deadline last, a total, a 400 for a bad cursor, the same rows in the xlsx, a flat query count."""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client

from doorstep.cases import services as case_services
from doorstep.conftest import World
from doorstep.interop.models import HotlineOrder

from .test_hotline import order, upload, xlsx
from .test_order_list import sheet

pytestmark = pytest.mark.django_db

NOWHERE = "张江镇建设路100号"  # matches no compound: every such order waits for a person


def _queued(page: str) -> list[str]:
    return re.findall(r'<td class="code" style="letter-spacing:0"><a href="[^"]*">([^<]+)<', page)


def _next(page: str) -> str | None:
    found = re.search(r'rel="next" href="\?cursor=([^"&#]+)"', page)
    return unquote(found.group(1)) if found else None


def _previous(page: str) -> str | None:
    found = re.search(r'rel="prev" href="\?cursor=([^"&#]+)"', page)
    return unquote(found.group(1)) if found else None


def _at(cursor: str | None) -> dict[str, str]:
    assert cursor is not None
    return {"cursor": cursor}


def _orders(n: int, *, undated_every: int = 3) -> list[list[Any]]:
    """n unplaced orders; every `undated_every`-th has no 12345 deadline, the others share a
    handful of deadlines (ties settle on id)."""
    rows = []
    for i in range(n):
        deadline = "" if i % undated_every == 0 else f"2025-10-{1 + i % 4:02d}"
        rows.append(order(f"Q{i:03d}", address=NOWHERE, 办理时限=deadline))
    return rows


def test_walking_every_page_lists_each_order_once_with_undated_orders_last(
    world: World, places: dict[str, Any], client: Client
) -> None:
    upload(client, world.street_user, xlsx(_orders(130)))
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = client.get("/hotline/queue/", _at(cursor) if cursor else {})
        assert page.status_code == 200, page.content.decode()[-1500:]
        body = page.content.decode()
        assert "共 130 条" in body
        seen += _queued(body)
        pages += 1
        cursor = _next(body)
        if cursor is None:
            break
    assert pages == 3 and len(seen) == 130 and set(seen) == {f"Q{i:03d}" for i in range(130)}
    undated = {f"Q{i:03d}" for i in range(0, 130, 3)}
    assert set(seen[-len(undated) :]) == undated  # no deadline: after every dated order
    exported = sheet(client.get("/hotline/queue/", {"format": "xlsx"}))
    assert [r[0] for r in exported[1:]] == seen  # the download: the same rows, the same order


def test_previous_page_from_the_undated_tail_returns_the_page_before(
    world: World, places: dict[str, Any], client: Client
) -> None:
    upload(client, world.street_user, xlsx(_orders(120, undated_every=2)))
    first = client.get("/hotline/queue/").content.decode()
    second = client.get("/hotline/queue/", _at(_next(first))).content.decode()
    third = client.get("/hotline/queue/", _at(_next(second))).content.decode()
    assert len(_queued(third)) == 20 and _next(third) is None
    back = client.get("/hotline/queue/", _at(_previous(third))).content.decode()
    assert _queued(back) == _queued(second)
    back = client.get("/hotline/queue/", _at(_previous(back))).content.decode()
    assert _queued(back) == _queued(first) and _previous(back) is None


@pytest.mark.parametrize("cursor", ["forged", "x" * 300])
def test_a_bad_queue_cursor_is_a_chinese_400(
    world: World, places: dict[str, Any], client: Client, cursor: str
) -> None:
    upload(client, world.street_user, xlsx(_orders(3)))
    response = client.get("/hotline/queue/", {"cursor": cursor})
    assert response.status_code == 400 and "翻页参数无效" in response.content.decode()


def test_a_cursor_from_the_order_list_is_refused_by_the_queue(
    world: World, places: dict[str, Any], client: Client
) -> None:
    upload(client, world.street_user, xlsx(_orders(60)))
    listing = client.get("/hotline/").content.decode()
    cursor = re.search(r'cursor=([^"&]+)">下一页', listing)
    assert cursor is not None
    response = client.get("/hotline/queue/", {"cursor": unquote(cursor.group(1))})
    assert response.status_code == 400 and "筛选条件不符" in response.content.decode()


@pytest.mark.parametrize("n", [2, 30])
def test_queue_page_queries_do_not_grow_with_orders(
    world: World,
    places: dict[str, Any],
    client: Client,
    django_assert_num_queries: Callable[..., Any],
    n: int,
) -> None:
    upload(client, world.street_user, xlsx(_orders(n)))
    client.get("/hotline/queue/")  # warm the session and the per-process caches
    # session, user with post and street, page ids with their total (PostgreSQL first asks
    # its planner's estimate), page rows, the street's communities and their compounds (the
    # place picker), the street's name in the header
    with django_assert_num_queries(8 if connection.vendor == "postgresql" else 7):
        response = client.get("/hotline/queue/")
    assert len(_queued(response.content.decode())) == n


def test_the_reply_list_pages_says_how_many_and_exports_them_all(
    world: World, places: dict[str, Any], client: Client
) -> None:
    upload(client, world.street_user, xlsx([order(f"R{i:03d}") for i in range(55)]))
    for o in HotlineOrder.objects.select_related("case"):
        assert o.case is not None
        case_services.case_resolve(actor=world.desk_a, case_id=o.case.pk, reply="已修好")
    first = client.get("/hotline/replies/").content.decode()
    listed = re.findall(r'<td class="code" style="letter-spacing:0">(R\d+)</td>', first)
    assert len(listed) == 50 and "共 55 条" in first
    nxt = re.search(r'rel="next" href="\?cursor=([^"&#]+)"', first)
    assert nxt is not None
    second = client.get("/hotline/replies/", {"cursor": unquote(nxt[1])}).content.decode()
    rest = re.findall(r'<td class="code" style="letter-spacing:0">(R\d+)</td>', second)
    assert len(rest) == 5 and not set(rest) & set(listed)
    assert client.get("/hotline/replies/", {"cursor": "forged"}).status_code == 400
    exported = client.post("/hotline/replies/export/", {"format": "csv"}).content.decode()
    assert all(f"R{i:03d}" in exported for i in range(55))  # the file: every pending reply


def test_a_reply_file_carries_one_batch_and_the_next_file_the_rest(
    world: World, places: dict[str, Any], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from doorstep.api.services import api_token_create
    from doorstep.interop import selectors
    from doorstep.interop.choices import OrderStatus

    monkeypatch.setattr(selectors, "REPLY_BATCH", 4)
    upload(client, world.street_user, xlsx([order(f"B{i:03d}") for i in range(6)]))
    for o in HotlineOrder.objects.select_related("case"):
        assert o.case is not None
        case_services.case_resolve(actor=world.desk_a, case_id=o.case.pk, reply="已修好")
    page = client.get("/hotline/replies/").content.decode()
    assert "一个文件最多 4 条" in page
    _, key = api_token_create(world.street_user, "12345")
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    pulled = client.get("/hotline/api/replies", **auth).json()
    assert [r["order_no"] for r in pulled["replies"]] == ["B000", "B001", "B002", "B003"]
    assert pulled["more"] is True
    first = client.post("/hotline/replies/export/", {"format": "csv"}).content.decode()
    assert [f"B{i:03d}" in first for i in range(6)] == [True] * 4 + [False] * 2
    replied = HotlineOrder.objects.filter(status=OrderStatus.REPLIED)
    assert sorted(replied.values_list("order_no", flat=True)) == ["B000", "B001", "B002", "B003"]
    second = client.post("/hotline/replies/export/", {"format": "csv"}).content.decode()
    assert "B004" in second and "B005" in second and "B000" not in second
    assert client.get("/hotline/api/replies", **auth).json() == {"replies": [], "more": False}
    everything = client.get("/hotline/api/replies", {"all": "1"}, **auth).json()
    assert len(everything["replies"]) == 4 and everything["more"] is True
    assert "B005" in {r["order_no"] for r in everything["replies"]}  # the most recent ones
