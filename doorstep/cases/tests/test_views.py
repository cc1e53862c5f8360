"""Desk pages: login required, area scoping (another area's case is a 404), actions."""

from typing import Any

import pytest
from django.test import Client

from doorstep.cases import selectors, services
from doorstep.cases.choices import Queue, Status
from doorstep.cases.models import Case
from doorstep.conftest import World, at, counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world: World) -> dict[str, Case]:
    """One case in each of A, B (same street), C (other street), and one for the department."""
    return {
        "a": world.intake(world.desk_a, item=world.residence_cert),
        "b": world.intake(world.desk_b, community=world.b, item=world.residence_cert),
        "c": world.intake(world.desk_c, community=world.c, item=world.residence_cert),
        "dept": world.intake(world.desk_a, item=world.department_item, description="公租房咨询"),
    }


def visible(user: Any) -> set[int]:
    return set(selectors.cases_visible_to(user).values_list("pk", flat=True))


# ── login ────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "path", ["/desk/", "/desk/intake/", "/desk/cases/", "/desk/batch/", "/community/"]
)
def test_desk_pages_redirect_anonymous_users_to_login(client: Client, db: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={path}")


def test_case_action_requires_login(client: Client, world: World, cases: dict[str, Case]) -> None:
    response = client.post(f"/desk/cases/{cases['a'].pk}/accept/", {"version": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert Case.objects.get(pk=cases["a"].pk).status == Status.RECEIVED


def test_a_user_without_a_staff_profile_gets_403(client: Client, db: None) -> None:
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("visitor"))
    assert client.get("/desk/").status_code == 403


@pytest.mark.parametrize("path", ["/desk/", "/desk/intake/", "/desk/cases/", "/desk/batch/"])
def test_desk_pages_render_for_a_desk_worker(client: Client, world: World, path: str) -> None:
    client.force_login(world.desk_a)
    assert client.get(path).status_code == 200


def test_community_overview_is_for_secretaries_not_desk(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    assert client.get("/community/").status_code == 403
    client.force_login(world.secretary_a)
    assert client.get("/community/").status_code == 200


# ── scoping ──────────────────────────────────────────────────────────────────────────────


def test_desk_worker_gets_404_on_another_communitys_case_page(
    client: Client, world: World, cases: dict[str, Case]
) -> None:
    client.force_login(world.desk_a)
    assert client.get(f"/desk/cases/{cases['a'].pk}/").status_code == 200
    assert client.get(f"/desk/cases/{cases['b'].pk}/").status_code == 404


def test_case_get_raises_for_another_communitys_case(world: World, cases: dict[str, Case]) -> None:
    with pytest.raises(Case.DoesNotExist):
        selectors.case_get(world.desk_a, cases["b"].pk)


def test_action_on_another_areas_case_is_404_and_changes_nothing(
    client: Client, world: World, cases: dict[str, Case]
) -> None:
    before = counts()
    client.force_login(world.desk_a)
    response = client.post(f"/desk/cases/{cases['b'].pk}/accept/", {"version": "1"})
    assert response.status_code == 404
    assert counts() == before
    assert Case.objects.get(pk=cases["b"].pk).status == Status.RECEIVED


def test_community_staff_see_only_their_community(world: World, cases: dict[str, Case]) -> None:
    assert visible(world.desk_a) == {cases["a"].pk, cases["dept"].pk}
    assert visible(world.desk_b) == {cases["b"].pk}
    assert visible(world.desk_c) == {cases["c"].pk}


def test_street_staff_see_both_communities_of_their_street(
    world: World, cases: dict[str, Case]
) -> None:
    assert visible(world.street_user) == {cases["a"].pk, cases["b"].pk, cases["dept"].pk}
    assert visible(world.other_street_user) == {cases["c"].pk}


def test_street_staff_open_case_pages_in_their_street_only(
    client: Client, world: World, cases: dict[str, Case]
) -> None:
    client.force_login(world.street_user)
    assert client.get(f"/desk/cases/{cases['a'].pk}/").status_code == 200
    assert client.get(f"/desk/cases/{cases['b'].pk}/").status_code == 200
    assert client.get(f"/desk/cases/{cases['c'].pk}/").status_code == 404


def test_district_admin_sees_all(world: World, cases: dict[str, Case]) -> None:
    assert visible(world.district_user) == {c.pk for c in cases.values()}


def test_department_staff_see_only_their_departments_cases(
    client: Client, world: World, cases: dict[str, Case]
) -> None:
    assert visible(world.department_user) == {cases["dept"].pk}
    client.force_login(world.department_user)
    assert client.get(f"/desk/cases/{cases['dept'].pk}/").status_code == 200
    assert client.get(f"/desk/cases/{cases['a'].pk}/").status_code == 404


def test_case_list_shows_only_visible_cases(
    client: Client, world: World, cases: dict[str, Case]
) -> None:
    client.force_login(world.desk_a)
    html = client.get("/desk/cases/").content.decode()
    assert cases["a"].tracking_code in html
    assert cases["b"].tracking_code not in html
    assert cases["c"].tracking_code not in html


def test_case_list_finds_a_case_by_tracking_code(
    client: Client, world: World, cases: dict[str, Case]
) -> None:
    client.force_login(world.desk_a)
    code = cases["a"].tracking_code.replace("-", "").lower()
    response = client.get("/desk/cases/", {"q": code})
    assert cases["a"].tracking_code in response.content.decode()


# ── actions through the page ─────────────────────────────────────────────────────────────


def post_action(client: Client, case: Case, action: str, follow: bool = False, **data: Any) -> Any:
    url = f"/desk/cases/{case.pk}/{action}/"
    return client.post(url, {"version": case.version, **data}, follow=follow)


def test_accept_through_the_page(client: Client, world: World, cases: dict[str, Case]) -> None:
    client.force_login(world.desk_a)
    response = post_action(client, cases["a"], "accept")
    assert response.status_code == 302
    assert response["Location"] == f"/desk/cases/{cases['a'].pk}/"
    case = Case.objects.get(pk=cases["a"].pk)
    assert (case.status, case.version) == (Status.IN_PROGRESS, 2)


def test_assign_through_the_page(client: Client, world: World, cases: dict[str, Case]) -> None:
    client.force_login(world.desk_a)
    post_action(client, cases["a"], "assign", assignee=world.grid_a.pk, note="熟悉情况")
    assert Case.objects.get(pk=cases["a"].pk).owner == world.grid_a


def test_assigning_to_another_communitys_worker_is_refused_on_the_page(
    client: Client, world: World, cases: dict[str, Case]
) -> None:
    client.force_login(world.desk_a)
    response = post_action(client, cases["a"], "assign", assignee=world.grid_b.pk)
    assert response.status_code == 302
    assert Case.objects.get(pk=cases["a"].pk).owner == world.desk_a


def test_after_escalating_to_street_on_the_page_the_desk_cannot_reply(
    client: Client, world: World, cases: dict[str, Case]
) -> None:
    client.force_login(world.desk_a)
    response = post_action(client, cases["a"], "escalate", target="street", note="需街道协调")
    case = Case.objects.get(pk=cases["a"].pk)
    assert case.queue == Queue.STREET
    # still visible to the community, but no longer actionable by it
    assert response["Location"] == f"/desk/cases/{case.pk}/"
    response = post_action(client, case, "reply", reply="还在办", follow=True)
    assert "该事项目前由街道办理，您不能操作" in response.content.decode()


def test_transfer_through_the_page_redirects_to_the_desk(
    client: Client, world: World, cases: dict[str, Case]
) -> None:
    client.force_login(world.desk_a)
    response = post_action(client, cases["a"], "transfer", community=world.b.pk, note="地址在古桐")
    assert response.status_code == 302
    assert response["Location"] == "/desk/"
    assert Case.objects.get(pk=cases["a"].pk).community == world.b


def test_resolve_through_the_page_shows_a_success_message(
    client: Client, world: World, cases: dict[str, Case]
) -> None:
    client.force_login(world.desk_a)
    response = post_action(client, cases["a"], "resolve", reply="证明已开好", follow=True)
    assert "已办结，居民可凭查询码评价。" in response.content.decode()
    assert Case.objects.get(pk=cases["a"].pk).status == Status.RESOLVED


def test_unknown_action_is_404(client: Client, world: World, cases: dict[str, Case]) -> None:
    client.force_login(world.desk_a)
    assert post_action(client, cases["a"], "explode").status_code == 404


def test_actions_require_post(client: Client, world: World, cases: dict[str, Case]) -> None:
    client.force_login(world.desk_a)
    assert client.get(f"/desk/cases/{cases['a'].pk}/accept/").status_code == 405


def test_case_page_shows_the_timeline_and_masked_contact(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert, contact_phone="13812345678")
    services.case_accept(actor=world.desk_a, case_id=case.pk)
    client.force_login(world.desk_a)
    html = client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert "登记受理" in html and "开始办理" in html
    assert "13812345678" not in html


def test_batch_page_lists_cases_needing_upper_approval(client: Client, world: World) -> None:
    from django.utils import timezone

    case = world.intake(item=world.street_item, now=timezone.now())
    other = world.intake(item=world.residence_cert, now=timezone.now())
    client.force_login(world.street_user)
    html = client.get("/desk/batch/").content.decode()
    assert case.tracking_code in html
    assert other.tracking_code not in html


def test_intake_page_for_street_staff_uses_the_chosen_community(
    client: Client, world: World
) -> None:
    client.force_login(world.street_user)
    response = client.post(
        "/desk/intake/",
        {
            "community": world.b.pk,
            "channel": "phone",
            "description": "楼道灯坏了",
            "form_token": "street-intake-1",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get().community == world.b


def test_overdue_case_shows_in_the_desk_overdue_list(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert, now=at(2025, 9, 26))
    client.force_login(world.desk_a)
    response = client.get("/desk/cases/", {"view": "overdue"})
    assert case.tracking_code in response.content.decode()


@pytest.mark.parametrize("days", ["abc", "99999999", "-5", ""])
def test_community_overview_survives_a_bad_days_parameter(
    client: Client, world: World, days: str
) -> None:
    client.force_login(world.secretary_a)
    assert client.get("/community/", {"days": days}).status_code == 200


def test_building_options_survive_a_bad_compound_parameter(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    assert client.get("/desk/buildings/", {"compound": "abc"}).status_code == 200


def test_building_options_list_the_compounds_buildings(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    response = client.get("/desk/buildings/", {"compound": world.compound_a.pk})
    assert "3号楼" in response.content.decode()
    client.force_login(world.desk_b)
    response = client.get("/desk/buildings/", {"compound": world.compound_a.pk})
    assert "3号楼" not in response.content.decode()


def test_case_list_marks_an_overdue_promise_as_the_desk_home_does(
    client: Client, world: World
) -> None:
    late = world.intake(item=world.residence_cert, now=at(2025, 9, 1))  # promised mid-September
    assert late.due_date is not None and late.due_date < selectors.today()
    client.force_login(world.desk_a)
    html = client.get("/desk/cases/").content.decode()
    assert f'<span class="overdue">{late.due_date:%m-%d}</span>' in html
