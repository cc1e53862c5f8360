"""A community's earlier subsidy register loaded in bulk (历史名单导入): the same checks as
proposing, confirming and certifying one at a time, one audit entry, nothing written when one
line is wrong."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django import DjangoAssertNumQueries

from doorstep.conftest import World, at, make_person
from doorstep.core.models import AuditEntry
from doorstep.places.models import Community, Resident
from doorstep.subsidy import services
from doorstep.subsidy.choices import CertificationMethod, CertificationResult, EnrolmentStatus
from doorstep.subsidy.models import SubsidyCertification, SubsidyEnrolment

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 15)


def line(
    resident: Resident, *certifications: services.PastCertification, **kw: object
) -> services.PastEnrolment:
    data: dict[str, object] = {
        "resident_id": resident.pk,
        "proposed_on": date(2025, 9, 1),
        "confirmed_on": date(2025, 9, 10),
        "certifications": list(certifications),
    }
    data.update(kw)
    return services.PastEnrolment(**data)  # type: ignore[arg-type]


def certified(
    world: World, month: int, *, day: int = 5, **kw: object
) -> services.PastCertification:
    data: dict[str, object] = {
        "method": CertificationMethod.DESK,
        "certified_by": world.desk_a,
        "certified_at": at(2025 if month > 3 else 2026, month, day),
    }
    data.update(kw)
    return services.PastCertification(**data)  # type: ignore[arg-type]


def load(world: World, *lines: services.PastEnrolment) -> int:
    return services.subsidy_history_load(
        actor=world.secretary_a, community_id=world.a.pk, enrolments=list(lines), today=TODAY
    )


@pytest.fixture
def elders(world: World) -> list[Resident]:
    return [make_person(world, f"老人{n}", date(1940, 1, 1 + n)) for n in range(3)]


def test_history_enrols_confirmed_by_the_secretary_with_its_certifications(
    world: World, elders: list[Resident]
) -> None:
    assert (
        load(world, line(elders[0], certified(world, 10), certified(world, 1)), line(elders[1]))
        == 2
    )
    enrolment = SubsidyEnrolment.objects.get(resident=elders[0])
    assert (enrolment.status, enrolment.community, enrolment.confirmed_by) == (
        EnrolmentStatus.ACTIVE,
        world.a,
        world.secretary_a,
    )
    assert list(
        enrolment.certifications.order_by("quarter_start").values_list(
            "quarter_start", "method", "result", "certified_by"
        )
    ) == [
        (date(2025, 10, 1), "desk", "passed", world.desk_a.pk),
        (date(2026, 1, 1), "desk", "passed", world.desk_a.pk),
    ]
    entry = AuditEntry.objects.get(action="subsidy_history_load")
    assert entry.actor == world.secretary_a and "2 名" in entry.reason


def test_a_quarter_is_the_certification_day_in_shanghai(
    world: World, elders: list[Resident]
) -> None:
    # 31 December 23:30 in Shanghai is still the fourth quarter.
    load(
        world, line(elders[0], certified(world, 12, day=31, certified_at=at(2025, 12, 31, 23, 30)))
    )
    assert SubsidyCertification.objects.get().quarter_start == date(2025, 10, 1)


def test_a_failed_certification_does_not_take_the_quarters_pass(
    world: World, elders: list[Resident]
) -> None:
    failed = certified(world, 10, day=2, result=CertificationResult.FAILED)
    load(world, line(elders[0], failed, certified(world, 10, day=9)))
    assert SubsidyCertification.objects.count() == 2


@pytest.mark.parametrize(
    ("kw", "certification", "message"),
    [
        (
            {"proposed_on": date(1995, 9, 1), "confirmed_on": date(1995, 9, 2)},
            {},
            "未满补贴起始年龄",
        ),
        ({"confirmed_on": date(2025, 8, 1)}, {}, "确认日期"),
        ({"confirmed_on": date(2026, 4, 1)}, {}, "确认日期"),
        ({}, {"method": "phone"}, "未知的认证方式"),
        ({}, {"result": "maybe"}, "未知的认证结果"),
        ({}, {"certified_by": "desk_b"}, "认证人不是该社区的工作人员"),
        ({}, {"certified_by": "street_user"}, "认证人不是该社区的工作人员"),
        ({}, {"certified_at": at(2025, 9, 5)}, "认证日期"),
        ({}, {"certified_at": at(2026, 3, 16)}, "认证日期"),
        ({}, {"twice": True}, "本季度已认证通过"),
    ],
)
def test_a_wrong_line_is_refused_with_its_number_and_nothing_is_written(
    world: World,
    elders: list[Resident],
    kw: dict[str, object],
    certification: dict[str, Any],
    message: str,
) -> None:
    twice = certification.pop("twice", False)
    if isinstance(certification.get("certified_by"), str):
        certification["certified_by"] = getattr(world, str(certification["certified_by"]))
    certifications = [replace(certified(world, 10), **certification)]
    if twice:
        certifications.append(certified(world, 11))
    good = line(elders[0], certified(world, 10))
    with pytest.raises(ValidationError) as error:
        load(world, good, line(elders[1], *certifications, **kw))
    assert "第 2 件" in str(error.value) and message in str(error.value)
    assert not SubsidyEnrolment.objects.exists()
    assert not SubsidyCertification.objects.exists()
    assert not AuditEntry.objects.filter(action="subsidy_history_load").exists()


def test_a_resident_is_enrolled_once(world: World, elders: list[Resident]) -> None:
    with pytest.raises(ValidationError, match="第 2 件：老人0 已在高龄补贴名单中"):
        load(world, line(elders[0]), line(elders[0]))
    load(world, line(elders[0]))
    with pytest.raises(ValidationError, match="第 1 件：老人0 已在高龄补贴名单中"):
        load(world, line(elders[0]))


def test_a_resident_of_another_community_is_refused(world: World) -> None:
    other = make_person(world, "外社区", date(1940, 1, 1), community=world.b)
    with pytest.raises(ValidationError, match="第 1 件：该居民不在本社区"):
        load(world, line(other))


def test_only_the_secretary_of_that_community_may_load(
    world: World, elders: list[Resident]
) -> None:
    with pytest.raises(PermissionDenied):
        services.subsidy_history_load(
            actor=world.desk_a, community_id=world.a.pk, enrolments=[line(elders[0])], today=TODAY
        )
    with pytest.raises(Community.DoesNotExist):
        services.subsidy_history_load(
            actor=world.secretary_b,
            community_id=world.a.pk,
            enrolments=[line(elders[0])],
            today=TODAY,
        )
    assert not SubsidyEnrolment.objects.exists()


def test_history_load_queries_do_not_grow_with_the_lines(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    people = [make_person(world, f"老人{n}", date(1940, 1, 1)) for n in range(40)]
    lines = [
        line(r, certified(world, 10), certified(world, 1, certified_by=world.grid_a))
        for r in people
    ]
    with django_assert_max_num_queries(12):
        load(world, *lines)
    assert SubsidyCertification.objects.count() == 80
