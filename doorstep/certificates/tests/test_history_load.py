"""Earlier volunteer service loaded in bulk (历史志愿服务记录导入): the same checks as
`volunteer_record_add`, one audit entry, nothing written when one line is wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django import DjangoAssertNumQueries

from doorstep.certificates import services
from doorstep.certificates.choices import CertificateKind
from doorstep.certificates.models import VolunteerRecord
from doorstep.conftest import World, make_person
from doorstep.core.models import AuditEntry
from doorstep.places.models import Household, Resident

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 16)


@pytest.fixture
def volunteer(world: World) -> Resident:
    household = Household.objects.create(building=world.building_a, unit="1单元", room="101")
    return make_person(world, "王秀英", date(1960, 5, 1), household=household)


def record(resident: Resident, hours: str = "3.5", **kw: object) -> services.PastVolunteerRecord:
    data: dict[str, object] = {
        "resident_id": resident.pk,
        "day": date(2026, 1, 10),
        "activity": "敬老院慰问",
        "hours": Decimal(hours),
    }
    data.update(kw)
    return services.PastVolunteerRecord(**data)  # type: ignore[arg-type]


def load(world: World, *records: services.PastVolunteerRecord, actor: User | None = None) -> int:
    return services.volunteer_history_load(
        actor=actor or world.desk_a,
        records=list(records),
        today=TODAY,
    )


def test_loaded_hours_count_towards_the_volunteer_certificate(
    world: World, volunteer: Resident
) -> None:
    assert load(world, record(volunteer), record(volunteer, "2.0", activity=" 垃圾分类宣传 ")) == 2
    assert sorted(VolunteerRecord.objects.values_list("activity", "hours")) == [
        ("垃圾分类宣传", Decimal("2.0")),
        ("敬老院慰问", Decimal("3.5")),
    ]
    certificate = services.certificate_issue(
        actor=world.desk_a,
        resident_id=volunteer.pk,
        kind=CertificateKind.VOLUNTEER,
        today=TODAY,
    )
    assert "累计服务时长5.5小时" in certificate.body
    entry = AuditEntry.objects.get(action="volunteer_history_load")
    assert entry.actor == world.desk_a and "2 条" in entry.reason


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"day": date(2026, 3, 17)}, "服务日期不能晚于今天"),
        ({"hours": Decimal("24.5")}, "单次服务时长须在 0.1 到 24 小时之间"),
        ({"hours": Decimal("1.25")}, "单次服务时长须在 0.1 到 24 小时之间"),
        ({"hours": Decimal("0")}, "金额"),
        ({"activity": "  "}, "请填写活动名称"),
        ({"activity": "长" * 101}, "内容过长"),
    ],
)
def test_a_wrong_line_is_refused_with_its_number_and_nothing_is_written(
    world: World, volunteer: Resident, kw: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        load(world, record(volunteer), record(volunteer, **kw))
    assert "第 2 件" in str(error.value) and message in str(error.value)
    assert not VolunteerRecord.objects.exists()
    assert not AuditEntry.objects.filter(action="volunteer_history_load").exists()


@pytest.mark.parametrize(
    ("kw", "message"),
    [({"day": date(2026, 3, 17)}, "服务日期不能晚于今天"), ({"hours": "25"}, "单次服务时长")],
)
def test_one_record_is_checked_the_same_way(
    world: World, volunteer: Resident, kw: dict[str, object], message: str
) -> None:
    data: dict[str, object] = {"day": date(2026, 1, 10), "activity": "义务理发", "hours": "2"}
    data.update(kw)
    with pytest.raises(ValidationError, match=message):
        services.volunteer_record_add(
            actor=world.desk_a,
            resident_id=volunteer.pk,
            today=TODAY,
            **data,  # type: ignore[arg-type]
        )
    assert not VolunteerRecord.objects.exists()


def test_a_resident_outside_the_area_is_refused(world: World, volunteer: Resident) -> None:
    with pytest.raises(ValidationError, match="第 1 件：该居民不在您的辖区"):
        load(world, record(volunteer), actor=world.desk_b)
    assert not VolunteerRecord.objects.exists()


def test_only_community_staff_may_load(world: World, volunteer: Resident) -> None:
    with pytest.raises(PermissionDenied):
        load(world, record(volunteer), actor=world.street_user)
    assert load(world, record(volunteer), actor=world.grid_a) == 1


def test_history_load_queries_do_not_grow_with_the_lines(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    people = [make_person(world, f"志愿者{n}", date(1970, 1, 1)) for n in range(20)]
    records = [record(r, day=date(2026, 1, d)) for r in people for d in range(1, 4)]
    with django_assert_max_num_queries(5):
        load(world, *records)
    assert VolunteerRecord.objects.count() == 60
