"""Elderly subsidy (高龄补贴): bands, enrolment, quarterly certification, suspension."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from doorstep.conftest import World, at, make_person
from doorstep.places.models import Resident
from doorstep.subsidy import services
from doorstep.subsidy.choices import CertificationMethod, CertificationResult, EnrolmentStatus
from doorstep.subsidy.models import SubsidyBand, SubsidyEnrolment
from doorstep.subsidy.selectors import (
    band_for,
    bands_for,
    quarter_end,
    quarter_start,
    subsidy_due,
    subsidy_home_visits,
    subsidy_report,
)


def enrol(
    world: World, resident: Resident, confirmed: date = date(2025, 12, 1)
) -> SubsidyEnrolment:
    return SubsidyEnrolment.objects.create(
        resident=resident,
        community=resident.community,
        status=EnrolmentStatus.ACTIVE,
        proposed_on=confirmed,
        confirmed_on=confirmed,
        confirmed_by=world.secretary_a,
    )


def certify(
    world: World, enrolment: SubsidyEnrolment, when: datetime, method: str = "desk"
) -> None:
    services.subsidy_certify(
        actor=world.desk_a,
        enrolment_id=enrolment.pk,
        method=method,
        now=when,
    )


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2026, 3, 31), date(2026, 1, 1)),
        (date(2026, 4, 1), date(2026, 4, 1)),
        (date(2025, 12, 31), date(2025, 10, 1)),
        (date(2026, 1, 1), date(2026, 1, 1)),
    ],
)
def test_quarter_start_at_the_boundaries(day: date, start: date) -> None:
    assert quarter_start(day) == start


def test_quarter_end_of_the_last_quarter_is_new_years_eve() -> None:
    assert quarter_end(date(2025, 11, 5)) == date(2025, 12, 31)
    assert quarter_end(date(2026, 2, 1)) == date(2026, 3, 31)


def test_default_bands_are_the_demo_seeds(db: None) -> None:
    bands = bands_for(None)
    assert [(b.min_age, b.max_age, b.monthly_amount) for b in bands] == [
        (80, 89, Decimal("100.00")),
        (90, 99, Decimal("300.00")),
        (100, None, Decimal("500.00")),
    ]
    assert band_for(bands, 79) is None
    assert band_for(bands, 89).monthly_amount == Decimal("100.00")  # type: ignore[union-attr]
    assert band_for(bands, 92).monthly_amount == Decimal("300.00")  # type: ignore[union-attr]
    assert band_for(bands, 101).monthly_amount == Decimal("500.00")  # type: ignore[union-attr]


def test_a_districts_own_bands_replace_the_defaults(world: World) -> None:
    SubsidyBand.objects.create(district=world.district, min_age=70, monthly_amount=Decimal("50"))
    assert [b.min_age for b in bands_for(world.district.pk)] == [70]


def test_proposal_takes_residents_aged_80_by_birth_date(world: World) -> None:
    make_person(world, "满八十", date(1946, 3, 16))
    make_person(world, "差一天", date(1946, 3, 17))
    make_person(world, "无生日", None)
    day = date(2026, 3, 16)
    assert services.subsidy_propose(actor=world.desk_a, community_id=world.a.pk, today=day) == 1
    assert SubsidyEnrolment.objects.get().resident.name == "满八十"
    assert services.subsidy_propose(actor=world.desk_a, community_id=world.a.pk, today=day) == 0


def test_only_the_secretary_confirms(world: World) -> None:
    make_person(world, "满八十", date(1940, 1, 1))
    services.subsidy_propose(actor=world.desk_a, community_id=world.a.pk)
    ids = list(SubsidyEnrolment.objects.values_list("pk", flat=True))
    with pytest.raises(PermissionDenied):
        services.subsidy_confirm(actor=world.desk_a, enrolment_ids=ids)
    assert services.subsidy_confirm(actor=world.secretary_a, enrolment_ids=ids) == 1
    assert SubsidyEnrolment.objects.get().status == EnrolmentStatus.ACTIVE


def test_certification_on_march_31_does_not_cover_april(world: World) -> None:
    enrolment = enrol(world, make_person(world, "张奶奶", date(1940, 5, 1)))
    certify(world, enrolment, at(2026, 3, 31, 16))
    assert not subsidy_due(world.desk_a, date(2026, 3, 31)).exists()
    assert subsidy_due(world.desk_a, date(2026, 4, 1)).get() == enrolment


def test_certification_on_dec_31_does_not_cover_january(world: World) -> None:
    enrolment = enrol(world, make_person(world, "张奶奶", date(1940, 5, 1)), date(2025, 10, 1))
    certify(world, enrolment, at(2025, 12, 31, 16))
    assert not subsidy_due(world.desk_a, date(2025, 12, 31)).exists()
    assert subsidy_due(world.desk_a, date(2026, 1, 1)).exists()


def test_certifying_twice_in_a_quarter_is_refused(world: World) -> None:
    enrolment = enrol(world, make_person(world, "张奶奶", date(1940, 5, 1)))
    certify(world, enrolment, at(2026, 4, 2))
    with pytest.raises(ValidationError):
        certify(world, enrolment, at(2026, 6, 30))


def test_unknown_method_is_refused(world: World) -> None:
    enrolment = enrol(world, make_person(world, "张奶奶", date(1940, 5, 1)))
    with pytest.raises(ValidationError):
        certify(world, enrolment, at(2026, 4, 2), method="fingerprint")


def test_tick_suspends_after_the_grace_period_only(world: World) -> None:
    enrolment = enrol(world, make_person(world, "张奶奶", date(1940, 5, 1)))
    assert services.subsidy_tick(date(2026, 4, 30)) == 0  # Apr 1 + 30 days = May 1
    assert services.subsidy_tick(date(2026, 5, 1)) == 1
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.SUSPENDED
    assert enrolment.suspended_on == date(2026, 5, 1)
    assert services.subsidy_tick(date(2026, 5, 2)) == 0  # idempotent


def test_certified_recipients_are_not_suspended(world: World) -> None:
    enrolment = enrol(world, make_person(world, "张奶奶", date(1940, 5, 1)))
    certify(world, enrolment, at(2026, 4, 20))
    assert services.subsidy_tick(date(2026, 5, 10)) == 0


def test_recipient_confirmed_mid_quarter_gets_a_full_grace_period(world: World) -> None:
    enrol(world, make_person(world, "新对象", date(1940, 5, 1)), confirmed=date(2026, 4, 20))
    assert services.subsidy_tick(date(2026, 5, 19)) == 0
    assert services.subsidy_tick(date(2026, 5, 20)) == 1


def test_certification_reinstates_a_suspended_payment(world: World) -> None:
    enrolment = enrol(world, make_person(world, "张奶奶", date(1940, 5, 1)))
    services.subsidy_tick(date(2026, 5, 1))
    certify(world, enrolment, at(2026, 5, 8), CertificationMethod.MOBILE_DESK)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.suspended_on is None


def test_failed_face_check_does_not_reinstate(world: World) -> None:
    enrolment = enrol(world, make_person(world, "张奶奶", date(1940, 5, 1)))
    services.subsidy_tick(date(2026, 5, 1))
    services.subsidy_certify(
        actor=world.grid_a,
        enrolment_id=enrolment.pk,
        method=CertificationMethod.APP_FACE,
        result=CertificationResult.FAILED,
        now=at(2026, 5, 8),
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.SUSPENDED


def test_due_list_by_grid(world: World, grid_world: dict) -> None:
    east = make_person(world, "一网格老人", date(1940, 1, 1), household=grid_world["h1"])
    west = make_person(world, "二网格老人", date(1940, 1, 1), household=grid_world["h2"])
    enrol(world, east)
    enrol(world, west)
    day = date(2026, 4, 10)
    assert [e.resident.name for e in subsidy_due(world.desk_a, day, grid_world["g1"].pk)] == [
        "一网格老人"
    ]
    assert subsidy_due(world.desk_a, day).count() == 2


def test_bedridden_recipients_feed_the_home_visit_list(world: World) -> None:
    enrol(world, make_person(world, "卧床老人", date(1935, 1, 1), bedridden=True))
    enrol(world, make_person(world, "能走动", date(1935, 1, 1)))
    names = [e.resident.name for e in subsidy_home_visits(world.desk_a, date(2026, 4, 10))]
    assert names == ["卧床老人"]


def test_quarter_report_counts_and_amounts(world: World) -> None:
    q2 = date(2026, 4, 1)
    e85 = enrol(world, make_person(world, "八十五", date(1941, 1, 1)))
    e92 = enrol(world, make_person(world, "九十二", date(1934, 1, 1)))
    enrol(world, make_person(world, "九十三", date(1933, 1, 1)))
    e100 = enrol(world, make_person(world, "百岁", date(1925, 1, 1)))
    certify(world, e85, at(2026, 4, 3), CertificationMethod.DESK)
    certify(world, e92, at(2026, 4, 9), CertificationMethod.HOME_VISIT)
    certify(world, e100, at(2026, 4, 9), CertificationMethod.APP_FACE)
    services.subsidy_tick(date(2026, 5, 1))
    report = subsidy_report(world.secretary_a, date(2026, 5, 2), q2)
    assert (report.enrolled, report.certified, report.overdue, report.suspended) == (4, 3, 1, 1)
    assert dict(report.by_method) == {
        "窗口认证": 1,
        "流动服务点认证": 0,
        "入户认证": 1,
        "App 人脸认证": 1,
    }
    bands = {b.label: (b.people, b.monthly_total, b.quarter_total) for b in report.bands}
    assert bands == {
        "80–89岁": (1, Decimal("100.00"), Decimal("300.00")),
        "90–99岁": (1, Decimal("300.00"), Decimal("900.00")),  # the 93-year-old is suspended
        "100岁以上": (1, Decimal("500.00"), Decimal("1500.00")),
    }
    assert report.total_quarter == Decimal("2700.00")


def test_grid_worker_certifies_on_the_page(world: World, client: Client) -> None:
    enrolment = enrol(world, make_person(world, "张奶奶", date(1940, 5, 1)))
    client.force_login(world.grid_a)
    response = client.post(
        f"/programs/subsidy/{enrolment.pk}/certify/", {"method": "home_visit", "result": "passed"}
    )
    assert response.status_code == 302
    assert enrolment.certifications.get().certified_by == world.grid_a


def test_other_communitys_worker_cannot_certify(world: World, client: Client) -> None:
    enrolment = enrol(world, make_person(world, "张奶奶", date(1940, 5, 1)))
    client.force_login(world.grid_b)
    response = client.post(f"/programs/subsidy/{enrolment.pk}/certify/", {"method": "desk"})
    assert response.status_code == 404


def test_subsidy_pages_render(world: World, client: Client) -> None:
    enrol(world, make_person(world, "张奶奶", date(1940, 5, 1), bedridden=True))
    client.force_login(world.secretary_a)
    page = client.get("/programs/subsidy/")
    assert page.status_code == 200 and "张奶奶" in page.content.decode()
    assert client.get("/programs/subsidy/report/").status_code == 200
    client.force_login(world.department_user)
    assert client.get("/programs/subsidy/").status_code == 403


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_subsidy_actions_do_not_redirect_off_site(
    world: World, client: Client, target: str
) -> None:
    client.force_login(world.desk_a)
    response = client.post("/programs/subsidy/propose/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/programs/subsidy/"


def test_subsidy_actions_return_to_a_page_on_this_site(world: World, client: Client) -> None:
    client.force_login(world.desk_a)
    response = client.post("/programs/subsidy/propose/", {"next": "/programs/subsidy/?tab=x"})
    assert response["Location"] == "/programs/subsidy/?tab=x"
