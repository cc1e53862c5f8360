"""Bad input: bounded parsing, a 400 in Chinese (JSON on the APIs) instead of a 500, and JSON
errors on every API path."""

import pytest
from django.test import Client

from doorstep.cases.search import MAX_QUERY
from doorstep.conftest import World
from doorstep.core.parsing import bounded_date, bounded_int, search_text

HUGE = "9" * 30


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", 42), (HUGE, None), ("-1", None), ("1e3", None), ("", None), ("abc", None)],
)
def test_bounded_int(value: str, expected: int | None) -> None:
    assert bounded_int(value) == expected


@pytest.mark.parametrize("value", ["2026-02-30", "0001-01-01", "9999-12-31", "x"])
def test_bounded_date_refuses_impossible_dates(value: str) -> None:
    assert bounded_date(value) is None


def test_search_text_is_capped_and_drops_control_characters() -> None:
    assert search_text("a\x00b" + "c" * 500) == "ab" + "c" * 98


def test_unknown_api_path_is_json_404(db: None, client: Client) -> None:
    for path in ("/api/v1/no-such-thing", "/open311/v2/nothing.json", "/hotline/api/nope"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found", path


def test_forbidden_on_a_json_path_is_json(world: World, client: Client) -> None:
    from doorstep.core.views import permission_denied

    request = client.get("/").wsgi_request
    request.path = "/hotline/api/orders"
    from django.core.exceptions import PermissionDenied

    response = permission_denied(request, PermissionDenied("只有街道工作人员可以推送"))
    assert response.status_code == 403
    assert b"\\u" not in response.content and "只有街道" in response.content.decode()


def test_an_unchecked_huge_id_is_a_chinese_400_not_a_500(world: World) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.desk_a)
    response = client.get("/field/grid/", {"grid": HUGE})
    assert response.status_code in (200, 400)
    response = client.post("/field/coverage/buildings/1/contractor/", {"worker": "abc"})
    assert response.status_code < 500


def test_a_60_kb_case_search_is_capped_with_a_message(world: World, client: Client) -> None:
    client.force_login(world.desk_a)
    response = client.get("/desk/cases/", {"q": "灯" * 60_000})
    assert response.status_code == 200
    assert "搜索内容过长" in response.content.decode()
    assert len(response.context["filter"].q) == MAX_QUERY
