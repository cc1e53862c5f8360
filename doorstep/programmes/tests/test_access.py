"""The programmes on the one access policy: another community's record does not exist for a
secretary (404), a desk worker cannot do a secretary's work (403), a community worker asking
for another community's page is not shown their own, and the writes that leave no who-and-when
of their own write one audit entry."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from doorstep.assistance import services as assistance
from doorstep.assistance.models import AssistanceApplication
from doorstep.canteen import services as canteen
from doorstep.certificates import services as certificates
from doorstep.certificates.models import Certificate
from doorstep.conftest import World, make_person, make_resident
from doorstep.core.models import AuditEntry
from doorstep.fund import services as fund
from doorstep.fund.models import FundDisbursementRequest
from doorstep.places.models import Household
from doorstep.subsidy import services as subsidy
from doorstep.subsidy.choices import EnrolmentStatus
from doorstep.subsidy.models import SubsidyEnrolment


def fund_request(world: World) -> FundDisbursementRequest:
    fund.fund_donation_record(
        actor=world.desk_a,
        community_id=world.a.pk,
        amount="100",
        day=timezone.localdate(),
        channel="cash",
        anonymous=True,
    )
    return fund.fund_disbursement_request(
        actor=world.desk_a, community_id=world.a.pk, amount="20", purpose="慰问", recipient="赵桂兰"
    )


def certificate(world: World) -> Certificate:
    person = make_resident(world.a, name="王秀英")
    person.household = Household.objects.create(building=world.building_a, room="301")
    person.save()
    return certificates.certificate_issue(
        actor=world.desk_a, resident_id=person.pk, kind="residence"
    )


def application(world: World) -> AssistanceApplication:
    return assistance.assistance_apply(
        actor=world.secretary_a,
        data=assistance.ApplicationData(
            community_id=world.a.pk,
            applicant_name="陈建华",
            kind="case",
            household_category="subsistence",
            hardship="妻子重病住院。",
            amount_requested="5000",
        ),
    )


def enrolment(world: World, status: str = EnrolmentStatus.ACTIVE) -> SubsidyEnrolment:
    person = make_person(world, "老寿星", date(1940, 1, 1))
    return SubsidyEnrolment.objects.create(
        resident=person, community=world.a, status=status, proposed_on=date(2026, 1, 1)
    )


# ---------------------------------------------------------------- another community: 404


def test_secretary_of_another_community_cannot_touch_our_records(world: World) -> None:
    request = fund_request(world)
    issued = certificate(world)
    filed = application(world)
    due = enrolment(world)
    other = world.secretary_b
    with pytest.raises(ObjectDoesNotExist):
        fund.fund_disbursement_approve(actor=other, request_id=request.pk)
    with pytest.raises(ObjectDoesNotExist):
        fund.fund_disbursement_reject(actor=other, request_id=request.pk, reason="不符")
    with pytest.raises(ObjectDoesNotExist):
        certificates.certificate_revoke(actor=other, certificate_id=issued.pk, reason="有误")
    with pytest.raises(ObjectDoesNotExist):
        certificates.certificate_print(actor=other, certificate_id=issued.pk)
    with pytest.raises(ObjectDoesNotExist):
        assistance.assistance_decide(actor=other, application_id=filed.pk, reason="同意")
    with pytest.raises(ObjectDoesNotExist):
        subsidy.subsidy_certify(actor=other, enrolment_id=due.pk, method="desk")
    with pytest.raises(ObjectDoesNotExist):
        canteen.meal_record(actor=world.desk_b, resident_id=due.resident_id, day=date(2026, 3, 2))
    request.refresh_from_db()
    issued.refresh_from_db()
    assert request.first_approver_id is None and issued.revoked_at is None


def test_secretary_of_another_community_gets_404_on_our_pages(world: World, client: Client) -> None:
    request = fund_request(world)
    issued = certificate(world)
    filed = application(world)
    client.force_login(world.secretary_b)
    assert client.post(f"/programs/fund/requests/{request.pk}/approve/").status_code == 404
    assert (
        client.post(f"/programs/certificates/{issued.pk}/revoke/", {"reason": "x"}).status_code
        == 404
    )
    assert client.get(f"/programs/certificates/{issued.pk}/pdf/").status_code == 404
    assert client.get(f"/programs/assistance/{filed.pk}/").status_code == 404
    for page in ("fund", "subsidy", "canteen", "assistance"):
        assert client.get(f"/programs/{page}/?community={world.a.pk}").status_code == 404
        assert (
            client.get(f"/programs/{page}/?community={world.a.pk}&format=xlsx").status_code == 404
        )


def test_community_worker_asking_for_another_community_is_not_shown_their_own(
    world: World, client: Client
) -> None:
    client.force_login(world.desk_b)
    assert client.get(f"/programs/canteen/?community={world.a.pk}").status_code == 404
    assert client.get(f"/programs/canteen/?community={world.b.pk}").status_code == 200
    assert client.get("/programs/canteen/").status_code == 200
    # A donation posted "for" community A is refused, not booked to B.
    form = {"community": world.a.pk, "amount": "5", "channel": "cash", "anonymous": "1"}
    assert client.post("/programs/fund/donate/", form).status_code == 404


# ---------------------------------------------------------------- secretary-only: 403


def test_desk_worker_cannot_do_a_secretarys_work(world: World, client: Client) -> None:
    proposed = enrolment(world, EnrolmentStatus.PROPOSED)
    issued = certificate(world)
    with pytest.raises(PermissionDenied):
        subsidy.subsidy_confirm(actor=world.desk_a, enrolment_ids=[proposed.pk])
    with pytest.raises(PermissionDenied):
        certificates.certificate_revoke(actor=world.desk_a, certificate_id=issued.pk, reason="x")
    with pytest.raises(PermissionDenied):
        assistance.panel_member_add(actor=world.desk_a, community_id=world.a.pk, name="老周")
    client.force_login(world.desk_a)
    assert client.post("/programs/subsidy/confirm/", {"enrolment": proposed.pk}).status_code == 403
    assert client.get("/programs/assistance/").status_code == 403
    assert client.get("/programs/certificates/templates/").status_code == 403
    proposed.refresh_from_db()
    assert proposed.status == EnrolmentStatus.PROPOSED


def test_grid_worker_cannot_record_meals_or_donations(world: World) -> None:
    person = make_person(world, "老人", date(1950, 1, 1))
    with pytest.raises(PermissionDenied):
        canteen.meal_record(actor=world.grid_a, resident_id=person.pk, day=date(2026, 3, 2))
    with pytest.raises(PermissionDenied):
        fund.fund_donation_record(
            actor=world.grid_a,
            community_id=world.a.pk,
            amount="5",
            day=timezone.localdate(),
            channel="cash",
            anonymous=True,
        )


def test_department_staff_see_no_programme_page(world: World, client: Client) -> None:
    client.force_login(world.department_user)
    for page in ("", "fund/", "certificates/", "subsidy/", "canteen/", "assistance/"):
        assert client.get(f"/programs/{page}").status_code == 403


def test_navigation_shows_assistance_to_those_who_may_open_it(world: World, client: Client) -> None:
    client.force_login(world.grid_a)
    assert "/programs/assistance/" not in client.get("/programs/fund/").content.decode()
    client.force_login(world.secretary_a)
    assert "/programs/assistance/" in client.get("/programs/fund/").content.decode()


# ---------------------------------------------------------------- one audit entry


def test_writes_without_their_own_record_write_one_audit_entry(world: World) -> None:
    request = fund_request(world)
    fund.fund_disbursement_reject(actor=world.secretary_a, request_id=request.pk, reason="重复")
    assistance.panel_member_add(actor=world.secretary_a, community_id=world.a.pk, name="老周")
    due = enrolment(world)
    subsidy.subsidy_remind(actor=world.grid_a, enrolment_ids=[due.pk])
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "actor"))
    assert actions == [
        ("fund_disbursement_reject", world.secretary_a.pk),
        ("panel_member_add", world.secretary_a.pk),
        ("subsidy_remind", world.grid_a.pk),
    ]


def test_a_refused_write_leaves_no_audit_entry(world: World) -> None:
    request = fund_request(world)
    with pytest.raises(ValidationError):  # no reason given
        fund.fund_disbursement_reject(actor=world.secretary_a, request_id=request.pk, reason=" ")
    assert not AuditEntry.objects.exists()
