"""Certificate deadline, compliance status, district rule, alerts and scoping."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from doorstep.conftest import World, make_staff
from doorstep.core.models import AuditEntry
from doorstep.places.models import Community
from doorstep.workforce import selectors, services
from doorstep.workforce.choices import CertificateKind, Compliance
from doorstep.workforce.models import Alert, Certificate, WorkerRecord, WorkforceRule

from .conftest import Staff, record, years_ago

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()  # the site's day (Asia/Shanghai), as the services use


def status(world: World, worker: WorkerRecord) -> str:
    return str(selectors.worker_get(world.secretary_a, worker.pk).status)  # type: ignore[attr-defined]


def test_deadline_is_two_years_after_hire_for_a_worker_under_45(world: World) -> None:
    worker = record(world, world.desk_a, hired=date(2025, 3, 1), born=date(1995, 5, 5))
    assert worker.certificate_deadline == date(2027, 3, 1)


def test_worker_45_or_older_when_hired_has_no_deadline(world: World) -> None:
    worker = record(world, world.desk_a, hired=date(2025, 3, 1), born=date(1979, 1, 1))
    assert worker.certificate_deadline is None
    assert status(world, worker) == Compliance.COMPLIANT


def test_district_rule_changes_the_deadline(world: World) -> None:
    WorkforceRule.objects.create(district=world.district, label="某市规定", certificate_years=3)
    worker = record(world, world.desk_a, hired=date(2025, 3, 1), born=date(1995, 5, 5))
    assert worker.certificate_deadline == date(2028, 3, 1)
    assert selectors.rule_for(world.district.pk).label == "某市规定"


def test_default_rule_is_labelled_as_tianjins(world: World) -> None:
    rule = selectors.rule_for(world.district.pk)
    assert rule.label.startswith("天津市规定")
    assert rule.required_hours("secretary") == 40
    assert rule.required_hours("desk") == 20


def test_no_certificate_past_the_deadline_is_overdue(world: World) -> None:
    worker = record(world, world.desk_a, hired=years_ago(3), born=years_ago(30))
    assert status(world, worker) == Compliance.OVERDUE


def test_deadline_within_90_days_is_due(world: World) -> None:
    worker = record(
        world, world.desk_a, hired=years_ago(2) + timedelta(days=30), born=years_ago(30)
    )
    assert status(world, worker) == Compliance.DUE


def test_valid_certificate_makes_an_overdue_worker_compliant(world: World) -> None:
    worker = record(world, world.desk_a, hired=years_ago(3), born=years_ago(30))
    services.certificate_add(
        actor=world.secretary_a,
        worker_id=worker.pk,
        kind=CertificateKind.SOCIAL_WORKER,
        number="SW2024-001",
        issued_on=years_ago(1),
        expires_on=TODAY + timedelta(days=365),
    )
    assert status(world, worker) == Compliance.COMPLIANT


def test_certificate_expiring_within_90_days_is_due(world: World) -> None:
    worker = record(world, world.desk_a, hired=years_ago(3), born=years_ago(30))
    services.certificate_add(
        actor=world.secretary_a,
        worker_id=worker.pk,
        kind=CertificateKind.COMMUNITY_WORKER,
        number="TJ-88",
        issued_on=years_ago(2),
        expires_on=TODAY + timedelta(days=20),
    )
    assert status(world, worker) == Compliance.DUE


def test_other_certificates_do_not_count_for_the_rule(world: World) -> None:
    worker = record(world, world.desk_a, hired=years_ago(3), born=years_ago(30))
    services.certificate_add(
        actor=world.secretary_a,
        worker_id=worker.pk,
        kind=CertificateKind.OTHER,
        number="EMT-1",
        issued_on=years_ago(1),
    )
    assert status(world, worker) == Compliance.OVERDUE


def test_expiry_before_issue_is_refused_and_nothing_written(world: World) -> None:
    worker = record(world, world.desk_a)
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.certificate_add(
            actor=world.secretary_a,
            worker_id=worker.pk,
            kind=CertificateKind.SOCIAL_WORKER,
            number="SW-1",
            issued_on=date(2025, 6, 1),
            expires_on=date(2025, 5, 1),
        )
    assert "证书有效期不能早于发证日期" in str(error.value)
    assert Certificate.objects.count() == 0
    assert AuditEntry.objects.count() == audits


def test_desk_worker_cannot_add_a_certificate(world: World) -> None:
    worker = record(world, world.desk_a)
    with pytest.raises(PermissionDenied):
        services.certificate_add(
            actor=world.desk_a,
            worker_id=worker.pk,
            kind=CertificateKind.SOCIAL_WORKER,
            number="SW-2",
            issued_on=date(2025, 1, 1),
        )


def test_another_communitys_record_is_not_found(world: World, staff: Staff) -> None:
    with pytest.raises(WorkerRecord.DoesNotExist):
        selectors.worker_get(world.secretary_b, staff.desk.pk)
    with pytest.raises(WorkerRecord.DoesNotExist):
        services.certificate_add(
            actor=world.secretary_b,
            worker_id=staff.desk.pk,
            kind=CertificateKind.SOCIAL_WORKER,
            number="SW-3",
            issued_on=date(2025, 1, 1),
        )


def test_street_sees_its_communities_and_not_the_other_street(world: World, staff: Staff) -> None:
    names = {
        r.community
        for r in selectors.compliance_by_community(world.street_user, TODAY, selectors.TIANJIN)
    }
    assert names == {world.a.name, world.b.name}
    assert (
        selectors.compliance_by_community(world.other_street_user, TODAY, selectors.TIANJIN) == []
    )


def test_department_staff_see_no_community_records(world: World, staff: Staff) -> None:
    assert not selectors.workers_visible_to(world.department_user).exists()


def test_compliance_view_counts_by_community(world: World) -> None:
    record(world, world.desk_a, hired=years_ago(3), born=years_ago(30))  # overdue
    record(world, world.grid_a, hired=years_ago(2) + timedelta(days=10), born=years_ago(30))  # due
    record(world, world.secretary_a, born=years_ago(50))  # exempt
    rows = {
        r.community: r
        for r in selectors.compliance_by_community(world.street_user, TODAY, selectors.TIANJIN)
    }
    row = rows[world.a.name]
    assert (row.workers, row.overdue, row.due, row.compliant) == (3, 1, 1, 1)
    assert row.short_hours == 3  # nobody trained yet this year


def test_compliance_by_street_sums_the_streets_communities(world: World, staff: Staff) -> None:
    rows = {
        r.street: r
        for r in selectors.compliance_by_street(world.district_user, TODAY, selectors.TIANJIN)
    }
    assert rows[world.street.name].workers == 4
    assert world.other_street.name not in rows  # no records there yet


def _query_count(world: World) -> int:
    with CaptureQueriesContext(connection) as ctx:
        selectors.compliance_by_community(
            world.district_user, TODAY, selectors.rule_for(world.district.pk)
        )
    return len(ctx.captured_queries)


def test_compliance_query_count_does_not_grow_with_communities(world: World, staff: Staff) -> None:
    before = _query_count(world)
    for n in range(12):
        community = Community.objects.create(street=world.street, name=f"新社区{n}")
        user = make_staff(f"w{n}", "desk", district=world.district, community=community)
        record(world, user)
    assert (
        len(selectors.compliance_by_community(world.district_user, TODAY, selectors.TIANJIN)) == 14
    )
    assert _query_count(world) == before <= 3


def test_alerts_go_to_the_worker_and_the_secretary_once(world: World) -> None:
    worker = record(
        world, world.desk_a, hired=years_ago(2) + timedelta(days=25), born=years_ago(30)
    )
    assert services.alerts_tick() == 2
    assert services.alerts_tick() == 0
    alert = Alert.objects.get(recipient=world.desk_a)
    assert alert.lead_days == 30
    assert alert.target_date == worker.certificate_deadline
    assert Alert.objects.filter(recipient=world.secretary_a).exists()


def test_alert_lead_moves_to_seven_days_near_the_deadline(world: World) -> None:
    record(world, world.desk_a, hired=years_ago(2) + timedelta(days=5), born=years_ago(30))
    services.alerts_tick()
    assert set(Alert.objects.values_list("lead_days", flat=True)) == {7}


def test_overdue_and_far_deadlines_get_no_alert(world: World) -> None:
    record(world, world.desk_a, hired=years_ago(3), born=years_ago(30))
    record(world, world.grid_a, hired=TODAY - timedelta(days=10), born=years_ago(30))
    assert services.alerts_tick() == 0
