"""The project list (社区项目): one `ProjectFilter` behind the desk page, /api/v1/participation
/projects and the xlsx; keyset pages with a total on the page and cursors on the API; another
area sees none of ours; bad cursors, the row cap, query counts that do not grow with rows."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from doorstep.conftest import World, background_rows, xlsx_rows

from .conftest import make_project

pytestmark = pytest.mark.django_db
API = "/api/v1/participation/projects"


def sheet(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="project-(\d+)"', page)]


@pytest.fixture
def projects(world: World) -> dict[str, int]:
    return {
        "park": make_project(world, title="一村微公园").pk,
        "lift": make_project(world, title="=加装电梯", proposer_name="三号楼居民").pk,
        "b": make_project(
            world, world.desk_b, title="二村停车", community=world.b, compound=None
        ).pk,
    }


@pytest.mark.parametrize("which", ["default", "community", "q", "stage"])
def test_desk_api_and_export_list_the_same_projects(
    client: Client, world: World, projects: dict[str, int], which: str
) -> None:
    params = {
        "default": {},
        "community": {"community": str(world.b.pk)},
        "q": {"q": "电梯"},
        "stage": {"stage": "completed"},
    }[which]
    client.force_login(world.street_user)
    desk = _ids(client.get("/participation/", params).content.decode())
    api = [p["id"] for p in client.get(API, params).json()["items"]]
    rows = sheet(client.get("/participation/", {**params, "format": "xlsx"}))
    assert desk == api
    assert len(rows) - 1 == len(desk)
    expected = {
        "default": [projects["b"], projects["lift"], projects["park"]],
        "community": [projects["b"]],
        "q": [projects["lift"]],
        "stage": [],
    }[which]
    assert desk == expected


def test_export_escapes_formulas_and_keeps_money_and_dates_typed(
    client: Client, world: World, projects: dict[str, int]
) -> None:
    client.force_login(world.desk_a)
    header, *rows = sheet(client.get("/participation/", {"format": "xlsx"}))
    assert header[0] == "项目" and header[-1] == "提出时间"
    lift = next(r for r in rows if "电梯" in r[0])
    assert lift[0] == "'=加装电梯"
    assert lift[5] == Decimal("86000") and hasattr(lift[7], "year")


def test_another_community_sees_none_of_ours(
    client: Client, world: World, projects: dict[str, int]
) -> None:
    client.force_login(world.desk_c)
    assert len(sheet(client.get("/participation/", {"format": "xlsx"}))) == 1
    assert _ids(client.get("/participation/").content.decode()) == []
    assert client.get(API).json()["items"] == []
    client.force_login(world.desk_b)
    rows = sheet(client.get("/participation/", {"community": str(world.a.pk), "format": "xlsx"}))
    assert len(rows) == 1


def test_pages_by_keyset_on_the_desk_and_the_api(client: Client, world: World) -> None:
    made = [make_project(world, title=f"项目{n}").pk for n in range(53)]
    client.force_login(world.desk_a)
    first = client.get("/participation/").content.decode()
    assert "共 53 条" in first and _ids(first) == made[::-1][:50]
    cursor = re.search(r'rel="next" href="\?[^"]*cursor=([^"&#]+)', first)
    assert cursor is not None
    second = client.get(f"/participation/?cursor={cursor.group(1)}").content.decode()
    assert _ids(second) == made[::-1][50:] and 'rel="prev"' in second
    page = client.get(API, {"limit": 50}).json()
    rest = client.get(API, {"limit": 50, "after": page["next_after"]}).json()
    assert [p["id"] for p in page["items"] + rest["items"]] == made[::-1]
    assert rest["next_after"] is None


def test_forged_cursors_are_a_clear_400(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    page = client.get("/participation/", {"cursor": "forged"})
    assert page.status_code == 400 and "翻页参数无效" in page.content.decode()
    api = client.get(API, {"after": "forged"})
    assert api.status_code == 400 and api.json()["code"] == "bad_cursor"


def test_export_over_the_row_cap_goes_to_the_background(
    client: Client, world: World, projects: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("doorstep.core.exports.MAX_ROWS", 1)
    client.force_login(world.desk_a)
    response = client.get("/participation/", {"format": "xlsx"})
    rows = background_rows(client, response)
    monkeypatch.setattr("doorstep.core.exports.MAX_ROWS", 100)
    direct = xlsx_rows(client.get("/participation/", {"format": "xlsx"}))
    assert len(rows) > 2 and rows == direct  # the same rows as the file the request writes


@pytest.mark.parametrize("n", [2, 30])
def test_the_list_costs_the_same_queries_for_few_or_many_rows(
    client: Client, world: World, n: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(n):
        make_project(world, title=f"项目{i}")
    client.force_login(world.desk_a)
    with django_assert_max_num_queries(10):
        assert client.get("/participation/").status_code == 200
    with django_assert_max_num_queries(8):
        assert len(sheet(client.get("/participation/", {"format": "xlsx"}))) == n + 1
    with django_assert_max_num_queries(8):
        assert len(client.get(API).json()["items"]) == n
