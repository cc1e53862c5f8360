"""Home-visit and mobile-desk lists: page and xlsx show the same filtered rows, masked, escaped,
scoped; the visit list pages by keyset and says how many there are."""

import io
import re
from datetime import date, time
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from doorstep.field.models import HomeVisit, MobileDeskSession
from doorstep.field.services import SessionData, session_create

from .conftest import Field, make_household, make_households, resident_in

pytestmark = pytest.mark.django_db


def sheet(response: Any) -> list[tuple[Any, ...]]:
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def _visit(field: Field, day: int, outcome: str = "met", **extra: Any) -> HomeVisit:
    household = extra.pop("household", None) or make_household(field.building, room=f"{day:03d}")
    return HomeVisit.objects.create(
        community=field.world.a,
        household=household,
        outcome=outcome,
        visited_on=date(2025, 9, day) if outcome != "planned" else None,
        **extra,
    )


def _codes(page: str) -> list[str]:
    """The visit notes listed in the page's visit table, in order."""
    table = page[page.index('id="done"') :]
    return re.findall(r"<td>(note-\d+)</td>", table)


def test_visit_export_has_chinese_headers_dates_masked_phone_and_escaped_note(
    client: Client, field: Field
) -> None:
    resident = resident_in(field.households[0], "王阿姨", phone="13812345678")
    _visit(field, 3, resident=resident, household=field.households[0], note="=cmd|' /C calc'!A0")
    client.force_login(field.world.grid_a)
    rows = sheet(client.get(f"/field/visits/?community={field.world.a.pk}&format=xlsx"))
    assert rows[0][:4] == ("走访日期", "住户", "居民", "联系电话")
    data = dict(zip(rows[0], rows[1], strict=True))
    assert data["走访记录"].startswith("'=")
    assert data["联系电话"] == "138****5678" and "13812345678" not in str(rows)
    assert data["走访日期"].date() == date(2025, 9, 3)  # a date cell, not text


def test_visit_page_and_export_list_the_same_filtered_rows(client: Client, field: Field) -> None:
    for day in (2, 5, 9, 12):
        _visit(field, day, note=f"note-{day}")
    _visit(field, 7, outcome="not_home", note="note-7")
    _visit(field, 1, outcome="planned", note="note-planned")
    client.force_login(field.world.grid_a)
    params: dict[str, Any] = {
        "community": field.world.a.pk,
        "outcome": "met",
        "since": "2025-09-04",
    }
    page = client.get("/field/visits/", params).content.decode()
    rows = sheet(client.get("/field/visits/", {**params, "format": "xlsx"}))
    exported = [r[7] for r in rows[1:]]
    assert _codes(page) == exported == ["note-12", "note-9", "note-5"]
    assert "共 3 条" in page


def test_visit_list_defaults_to_done_visits_and_lists_planned_on_request(
    client: Client, field: Field
) -> None:
    _visit(field, 2, note="note-2")
    _visit(field, 1, outcome="planned", note="note-1")
    client.force_login(field.world.grid_a)
    base: dict[str, Any] = {"community": field.world.a.pk}
    assert _codes(client.get("/field/visits/", base).content.decode()) == ["note-2"]
    planned = client.get("/field/visits/", {**base, "outcome": "planned"}).content.decode()
    assert _codes(planned) == ["note-1"]


def test_visit_list_pages_by_cursor_past_fifty_rows(client: Client, field: Field) -> None:
    households = make_households(field.building, 60)
    HomeVisit.objects.bulk_create(
        HomeVisit(
            community=field.world.a,
            household=h,
            outcome="met",
            visited_on=date(2025, 9, 1),
            note=f"note-{i}",
        )
        for i, h in enumerate(households)
    )
    client.force_login(field.world.grid_a)
    first = client.get("/field/visits/", {"community": field.world.a.pk}).content.decode()
    assert len(_codes(first)) == 50 and "共 60 条" in first
    cursor = re.search(r"cursor=([^&\"#]+)#visits\">下一页", first)
    assert cursor is not None
    second = client.get(
        f"/field/visits/?community={field.world.a.pk}&outcome=done&cursor={cursor.group(1)}"
    ).content.decode()
    assert len(_codes(second)) == 10
    assert not set(_codes(first)) & set(_codes(second))


def test_visit_list_refuses_a_bad_date_in_chinese(client: Client, field: Field) -> None:
    client.force_login(field.world.grid_a)
    base: dict[str, Any] = {"community": field.world.a.pk}
    bad = client.get("/field/visits/", {**base, "since": "2025-13-40"})
    assert bad.status_code == 400 and "日期格式" in bad.content.decode()
    backwards = client.get("/field/visits/", {**base, "since": "2025-09-10", "until": "2025-09-01"})
    assert backwards.status_code == 400 and "结束日期不能早于开始日期" in backwards.content.decode()
    forged = client.get("/field/visits/", {**base, "cursor": "abc"})
    assert forged.status_code == 400 and "翻页参数无效" in forged.content.decode()


def test_visit_export_is_scoped_to_the_workers_community(client: Client, field: Field) -> None:
    _visit(field, 2)
    client.force_login(field.world.desk_b)
    response = client.get(f"/field/visits/?community={field.world.a.pk}&format=xlsx")
    assert response.status_code == 404


def test_visit_export_queries_do_not_grow_with_rows(
    client: Client, field: Field, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    households = make_households(field.building, 30)
    for i, h in enumerate(households):
        resident = resident_in(h, f"居民{i}")
        HomeVisit.objects.create(
            community=field.world.a,
            household=h,
            resident=resident,
            visitor=field.world.grid_a,
            outcome="met",
            visited_on=date(2025, 9, 1),
        )
    client.force_login(field.world.grid_a)
    with django_assert_max_num_queries(12):
        rows = sheet(client.get(f"/field/visits/?community={field.world.a.pk}&format=xlsx"))
    assert len(rows) == 31


def test_mobile_desk_export_lists_the_months_sessions(client: Client, field: Field) -> None:
    world = field.world
    for day in (5, 12):
        session_create(
            actor=world.secretary_a,
            community=world.a,
            data=SessionData(
                compound=world.compound_a,
                date=date(2025, 9, day),
                starts_at=time(9),
                ends_at=time(11),
                staff=(world.grid_a,),
                note="+带血压计",
            ),
        )
    client.force_login(world.grid_a)
    params: dict[str, Any] = {"community": world.a.pk, "month": "2025-09", "format": "xlsx"}
    rows = sheet(client.get("/field/mobile-desk/", params))
    assert rows[0] == ("日期", "开始", "结束", "小区", "工作人员", "备注")
    assert [r[0].date() for r in rows[1:]] == [date(2025, 9, 5), date(2025, 9, 12)]
    assert rows[1][5] == "'+带血压计" and rows[1][3] == world.compound_a.name
    assert MobileDeskSession.objects.count() == 2
    october = sheet(client.get("/field/mobile-desk/", {**params, "month": "2025-10"}))
    assert len(october) == 1
