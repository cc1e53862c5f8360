"""Personal data: encrypted at rest, masked in lists, searchable by hash, revealed with a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from doorstep.conftest import World, make_resident, valid_id_number
from doorstep.core.models import AuditEntry
from doorstep.places.models import Resident
from doorstep.places.selectors import resident_search
from doorstep.places.services import resident_reveal

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
ID_NUMBER = valid_id_number("31011519800101123")


@pytest.fixture
def resident(world: World) -> Resident:
    return make_resident(world.a, name="王秀英", phone=PHONE, id_number=ID_NUMBER)


def raw_row(resident: Resident) -> str:
    """Everything stored in the resident's database row, as text."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Resident._meta.db_table} WHERE id = %s", [resident.pk])
        row = cursor.fetchone()
    return " ".join(str(v) for v in row)


def test_phone_and_id_are_not_stored_in_plain_text(resident: Resident) -> None:
    stored = raw_row(resident)
    assert PHONE not in stored
    assert ID_NUMBER not in stored
    assert ID_NUMBER[-4:] not in resident.id_last4_hash


def test_phone_and_id_decrypt_back(resident: Resident) -> None:
    fresh = Resident.objects.get(pk=resident.pk)
    assert fresh.phone == PHONE
    assert fresh.id_number == ID_NUMBER


def test_birth_date_and_gender_come_from_the_id_number(resident: Resident) -> None:
    assert resident.birth_date is not None
    assert resident.birth_date.isoformat() == "1980-01-01"
    assert resident.gender == "M"  # 17th digit 3 is odd


def test_masked_values(resident: Resident) -> None:
    assert resident.phone_masked == "138****5678"
    assert resident.id_number_masked == "310***********" + ID_NUMBER[-4:]


def test_lookup_fragment_shows_masked_values_only(
    client: Client, world: World, resident: Resident
) -> None:
    client.force_login(world.desk_a)
    response = client.post("/desk/residents/", {"q": "王秀英"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "王秀英" in html
    assert "138****5678" in html
    assert PHONE not in html
    assert ID_NUMBER not in html
    assert ID_NUMBER[:14] not in html


def test_lookup_fragment_does_not_show_another_communitys_residents(
    client: Client, world: World, resident: Resident
) -> None:
    client.force_login(world.desk_b)
    html = client.post("/desk/residents/", {"q": "王秀英"}).content.decode()
    assert "王秀英" not in html


def test_search_by_full_phone(world: World, resident: Resident) -> None:
    make_resident(world.a, name="李四", phone="13900001111")
    assert resident_search(world.desk_a, PHONE) == [resident]


def test_search_by_last_four_of_the_id_number(world: World, resident: Resident) -> None:
    make_resident(
        world.a, name="李四", phone="13900001111", id_number=valid_id_number("31011519900202456")
    )
    assert resident_search(world.desk_a, ID_NUMBER[-4:]) == [resident]


def test_search_by_full_id_number(world: World, resident: Resident) -> None:
    assert resident_search(world.desk_a, ID_NUMBER) == [resident]


def test_search_by_pinyin_initials(world: World, resident: Resident) -> None:
    make_resident(world.a, name="李四", phone="13900001111")
    assert resident_search(world.desk_a, "wxy") == [resident]
    assert resident_search(world.desk_a, "WXY") == [resident]


def test_search_by_full_pinyin(world: World, resident: Resident) -> None:
    assert resident_search(world.desk_a, "wangxiuying") == [resident]


def test_search_by_chinese_name_part(world: World, resident: Resident) -> None:
    assert resident_search(world.desk_a, "秀英") == [resident]


def test_names_starting_with_the_search_come_before_names_containing_it(
    world: World, resident: Resident
) -> None:
    """A surname finds the names starting with it (the name's pattern index) and not a name
    that has it further in; a given name, which starts no name, finds the names containing it."""
    make_resident(world.a, name="李王芳", phone="13900004444")
    wang = make_resident(world.a, name="王小明", phone="13900005555")
    assert resident_search(world.desk_a, "王") == [wang, resident]  # by pinyin: wangxiaoming
    assert resident_search(world.desk_a, "王秀英") == [resident]
    assert [r.name for r in resident_search(world.desk_a, "王芳")] == ["李王芳"]


def test_search_stays_in_the_users_community(world: World, resident: Resident) -> None:
    assert resident_search(world.desk_b, PHONE) == []
    assert resident_search(world.street_user, PHONE) == [resident]


def test_empty_search_returns_nothing(world: World, resident: Resident) -> None:
    assert resident_search(world.desk_a, "  ") == []


def test_reveal_without_a_reason_raises_and_writes_no_audit(
    world: World, resident: Resident
) -> None:
    with pytest.raises(ValidationError) as info:
        resident_reveal(actor=world.desk_a, resident_id=resident.pk, field="phone", reason=" ")
    assert "查看完整信息须填写理由" in str(info.value)
    assert AuditEntry.objects.count() == 0


def test_reveal_with_a_reason_returns_the_value_and_writes_one_audit_entry(
    world: World, resident: Resident
) -> None:
    value = resident_reveal(
        actor=world.desk_a, resident_id=resident.pk, field="id_number", reason="办理居住证明核对"
    )
    assert value == ID_NUMBER
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_id, entry.field, entry.reason) == (
        world.desk_a,
        "reveal",
        str(resident.pk),
        "id_number",
        "办理居住证明核对",
    )


def test_reveal_of_an_unknown_field_is_refused(world: World, resident: Resident) -> None:
    with pytest.raises(ValidationError):
        resident_reveal(
            actor=world.desk_a, resident_id=resident.pk, field="id_number_encrypted", reason="核对"
        )
    assert AuditEntry.objects.count() == 0


def test_reveal_of_another_communitys_resident_does_not_exist(
    world: World, resident: Resident
) -> None:
    with pytest.raises(Resident.DoesNotExist):
        resident_reveal(actor=world.desk_b, resident_id=resident.pk, field="phone", reason="核对")
    assert AuditEntry.objects.count() == 0


def test_reveal_page_with_a_reason_shows_the_full_value(
    client: Client, world: World, resident: Resident
) -> None:
    client.force_login(world.desk_a)
    response = client.post(
        f"/desk/residents/{resident.pk}/reveal/", {"field": "phone", "reason": "电话回访"}
    )
    assert response.status_code == 200
    assert PHONE in response.content.decode()
    assert AuditEntry.objects.count() == 1


def test_reveal_page_without_a_reason_is_400(
    client: Client, world: World, resident: Resident
) -> None:
    client.force_login(world.desk_a)
    response = client.post(f"/desk/residents/{resident.pk}/reveal/", {"field": "phone"})
    assert response.status_code == 400
    assert "请填写查看理由" in response.content.decode()
    assert AuditEntry.objects.count() == 0


def test_reveal_page_for_another_communitys_resident_is_404(
    client: Client, world: World, resident: Resident
) -> None:
    client.force_login(world.desk_b)
    response = client.post(
        f"/desk/residents/{resident.pk}/reveal/", {"field": "phone", "reason": "电话回访"}
    )
    assert response.status_code == 404
    assert AuditEntry.objects.count() == 0


def test_reveal_page_requires_post(client: Client, world: World, resident: Resident) -> None:
    client.force_login(world.desk_a)
    assert client.get(f"/desk/residents/{resident.pk}/reveal/").status_code == 405


def test_case_contact_phone_is_encrypted_and_masked(world: World) -> None:
    case = world.intake(contact_phone="13987654321")
    assert "13987654321" not in case.contact_phone_encrypted
    assert case.contact_phone_masked == "139****4321"
