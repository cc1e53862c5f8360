"""Lists that stopped silently (issue #10): a project's public comments (50) and a community's
public projects (100) page by keyset with a total; the desk's demand and project choices (50)
are searched and say when they show only the newest 50."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from doorstep.catalog.models import Demand
from doorstep.conftest import World
from doorstep.participation.models import Comment, Project

from .conftest import NOW, make_plan, make_project

pytestmark = pytest.mark.django_db


def _projects(world: World, n: int) -> list[int]:
    """`n` projects of community A (bulk copies of one proposed through the service), ids
    newest first."""
    first = make_project(world, title="项目000")
    copies = []
    for i in range(1, n):
        copy = Project.objects.get(pk=first.pk)
        copy.pk = None
        copy.title = f"项目{i:03d}"
        copy.created_at = first.created_at + timedelta(minutes=i)
        copies.append(copy)
    Project.objects.bulk_create(copies)
    return list(
        Project.objects.filter(community=world.a)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )


def _ids(page: str, kind: str) -> list[int]:
    return [int(i) for i in re.findall(rf'id="{kind}-(\d+)"', page)]


def _next(page: str) -> str:
    found = re.search(r'rel="next" href="\?cursor=([^"&#]+)', page)
    assert found is not None
    return found.group(1)


def test_the_101st_public_project_is_on_page_three(world: World) -> None:
    made = _projects(world, 101)
    url = f"/p/community/{world.a.pk}/"
    client = Client()
    first = client.get(url).content.decode()
    assert "共 101 条" in first and _ids(first, "project") == made[:50]
    second = client.get(f"{url}?cursor={_next(first)}").content.decode()
    third = client.get(f"{url}?cursor={_next(second)}").content.decode()
    assert _ids(third, "project") == made[100:]


def test_public_projects_never_show_another_communitys(world: World) -> None:
    _projects(world, 2)
    page = Client().get(f"/p/community/{world.b.pk}/").content.decode()
    assert "项目000" not in page and "暂无项目" in page


def test_the_51st_comment_is_on_page_two(world: World) -> None:
    project = make_project(world)
    Comment.objects.bulk_create(
        Comment(project=project, name="居民", text=f"留言{i}", created_at=NOW + timedelta(i))
        for i in range(51)
    )
    made = list(project.comments.order_by("-created_at", "-pk").values_list("pk", flat=True))
    client = Client()
    first = client.get(f"/p/{project.pk}/").content.decode()
    assert "共 51 条" in first and _ids(first, "comment") == made[:50]
    second = client.get(f"/p/{project.pk}/?cursor={_next(first)}").content.decode()
    assert _ids(second, "comment") == made[50:]


@pytest.mark.parametrize("url", ["/p/{project}/", "/p/community/{community}/"])
def test_a_forged_public_cursor_is_a_clear_400(world: World, url: str) -> None:
    project = make_project(world)
    address = url.format(project=project.pk, community=world.a.pk)
    response = Client().get(address, {"cursor": "forged"})
    assert response.status_code == 400 and "翻页参数无效" in response.content.decode()


def test_a_cursor_of_another_projects_comments_is_refused(world: World) -> None:
    one, two = make_project(world), make_project(world, title="二号项目")
    Comment.objects.bulk_create(
        Comment(project=one, name="居民", text=f"留言{i}", created_at=NOW) for i in range(51)
    )
    first = Client().get(f"/p/{one.pk}/").content.decode()
    response = Client().get(f"/p/{two.pk}/?cursor={_next(first)}")
    assert response.status_code == 400 and "筛选条件不符" in response.content.decode()


@pytest.mark.parametrize("n", [2, 60])
def test_public_pages_cost_the_same_queries_for_2_or_60_rows(
    world: World, n: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    made = _projects(world, n)
    project = Project.objects.get(pk=made[0])
    Comment.objects.bulk_create(
        Comment(project=project, name="居民", text="留言", created_at=NOW) for _ in range(n)
    )
    client = Client()
    with django_assert_max_num_queries(4):
        assert client.get(f"/p/community/{world.a.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/p/{project.pk}/").status_code == 200


def _options(page: str, name: str) -> list[int]:
    select = re.search(rf'<select id="p-{name}" name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    return [int(i) for i in re.findall(r'<option value="(\d+)"', select.group(1))]


def test_the_demand_choice_says_it_shows_the_newest_50_and_finds_the_51st(
    client: Client, world: World
) -> None:
    Demand.objects.bulk_create(
        Demand(community=world.a, text=f"诉求{i:03d}", topic=f"话题{i:03d}") for i in range(51)
    )
    Demand.objects.create(community=world.b, text="外社区诉求", topic="话题外社区")
    oldest = Demand.objects.get(topic="话题000")
    client.force_login(world.desk_a)
    page = client.get("/participation/projects/new/").content.decode()
    assert len(_options(page, "demand")) == 50 and oldest.pk not in _options(page, "demand")
    assert "显示前 50 条，请输入关键字缩小范围" in page
    found = client.get(
        "/participation/projects/new/",
        {"picker": "demand", "words": "话题000"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert _options(found, "demand") == [oldest.pk] and "显示前" not in found
    other = client.get(
        "/participation/projects/new/", {"picker": "demand", "words": "外社区"}
    ).content.decode()
    assert _options(other, "demand") == [] and "没有找到" in other


def test_the_project_choice_of_a_new_thing_is_searched(client: Client, world: World) -> None:
    made = _projects(world, 52)
    client.force_login(world.desk_a)
    make_plan(world)
    page = client.get("/participation/things/", {"year": "2025"}).content.decode()
    assert len(_options(page, "project")) == 50 and "显示前 50 条" in page
    found = client.get(
        "/participation/things/", {"picker": "project", "words": "项目000"}
    ).content.decode()
    assert _options(found, "project") == [made[-1]]
    many = client.get("/participation/things/", {"picker": "project"}).content.decode()
    assert _options(many, "project") == made[:50] and "显示前 50 条" in many
