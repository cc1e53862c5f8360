"""The case list's search box: words, phone, ID tail, tracking code — within the user's area."""

import pytest
from django.contrib.auth.models import User
from django.db import connection

from doorstep.cases.filters import CaseFilter
from doorstep.cases.models import Case
from doorstep.cases.search import case_search_terms
from doorstep.conftest import World, make_resident, valid_id_number


def _found(world: World, q: str, user: User | None = None) -> set[int]:
    return {c.pk for c in CaseFilter(q=q).apply(user or world.desk_a)}


def test_search_terms_are_the_character_pairs_as_words() -> None:
    assert case_search_terms("路灯坏了") == " 路灯 灯坏 坏了 "
    assert case_search_terms("路灯，路灯！") == " 路灯 "
    assert case_search_terms("") == ""


def test_two_character_word_finds_the_case_and_not_a_near_miss(world: World) -> None:
    lamp = world.intake(description="楼下路灯坏了好几天了")
    world.intake(description="路边的灯不亮")
    assert _found(world, "路灯") == {lamp.pk}


def test_longer_phrase_must_appear_as_written(world: World) -> None:
    lamp = world.intake(description="楼下路灯坏了好几天了")
    world.intake(description="灯坏了，路灯那边")
    assert _found(world, "路灯坏了") == {lamp.pk}


def test_phone_search_finds_contact_phone_and_resident_phone(world: World) -> None:
    by_contact = world.intake(contact_phone="13900001111")
    resident = make_resident(world.a, phone="13900002222")
    by_resident = world.intake(resident=resident)
    assert _found(world, "13900001111") == {by_contact.pk}
    assert _found(world, "13900002222") == {by_resident.pk}


def test_id_tail_search_finds_the_residents_cases(world: World) -> None:
    number = valid_id_number("31011519800101123")
    resident = make_resident(world.a, id_number=number)
    case = world.intake(resident=resident)
    world.intake()
    assert _found(world, number[-4:]) == {case.pk}


def test_tracking_code_search_ignores_case_and_dash(world: World) -> None:
    case = world.intake()
    world.intake()
    assert _found(world, case.tracking_code.replace("-", "").lower()) == {case.pk}


def test_search_never_reaches_another_area(world: World) -> None:
    world.intake(
        world.desk_c, community=world.c, description="路灯坏了", contact_phone="13900003333"
    )
    assert _found(world, "路灯") == set()
    assert _found(world, "13900003333") == set()
    assert _found(world, "路灯", world.street_user) == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL only")
def test_one_gin_index_holds_the_area_and_the_search_pairs(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_case'"
            " AND indexdef LIKE '%gin_trgm_ops%'"
        )
        rows = cursor.fetchall()
    assert [name for name, _ in rows] == ["case_area_search_trgm"]
    assert "(community_id, street_id, search_terms gin_trgm_ops)" in rows[0][1]
    assert Case.objects.filter(search_terms__contains=" 路灯 ").count() == 0
