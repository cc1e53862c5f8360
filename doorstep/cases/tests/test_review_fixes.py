"""Rules added after review: department scope for residents, unassigned department items,
and the portal's rating error."""

from django.test import Client

from doorstep.cases.choices import Queue
from doorstep.conftest import World, make_item, make_resident
from doorstep.places.selectors import residents_visible_to


def test_department_staff_see_only_residents_of_their_queue(world: World) -> None:
    asked = make_resident(world.a, name="李桂英", phone="13911112222")
    make_resident(world.a, name="赵国强", phone="13933334444")
    world.intake(item=world.department_item, resident=asked, description="公租房怎么申请")
    visible = set(residents_visible_to(world.department_user))
    assert visible == {asked}


def test_department_item_without_a_department_goes_to_the_street(world: World) -> None:
    orphan = make_item("LIFE-GAS", categories=world.categories)
    case = world.intake(item=orphan, description="楼道里有煤气味")
    assert (case.queue, case.department) == (Queue.STREET, None)


def test_portal_shows_an_error_for_an_out_of_range_rating(world: World) -> None:
    from doorstep.cases import services

    case = world.intake(item=world.on_the_spot, description="接到可疑电话")
    services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="已提醒注意防骗")
    response = Client().post(
        f"/track/{case.tracking_code}/", {"attitude": 9, "capability": 5}, follow=True
    )
    assert "请为服务态度和服务能力各打 1 到 5 分" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "resolved"


def test_a_case_the_street_registers_for_a_community_waits_in_its_queue(world: World) -> None:
    from doorstep.cases import selectors

    case = world.intake(world.street_user, description="楼下路灯坏了", item=world.on_the_spot)
    assert (case.queue, case.owner, case.first_responder) == (
        Queue.COMMUNITY,
        None,
        world.street_user,
    )
    assert case in selectors.queue_for(world.desk_a)
