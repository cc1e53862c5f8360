"""Demo data for subsidy, on top of the core demo (和平区 / 胜利路街道).

Elderly subsidy: every 80+ resident enrolled; last quarter fully certified, this quarter partly.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from doorstep.places.choices import Role
from doorstep.places.models import Resident, StaffProfile
from doorstep.programmes.demo import DemoPlace, at_hour, run_loader, years_ago

from . import services
from .choices import CertificationMethod, CertificationResult, EnrolmentStatus
from .models import SubsidyCertification, SubsidyEnrolment
from .selectors import quarter_start


def load_demo(log: Any = print) -> None:
    run_loader(log, title="高龄补贴", done=SubsidyEnrolment, build=_subsidy)


def _subsidy(place: DemoPlace) -> str:
    """Every 80+ resident of the district enrolled, certified by their community's desk."""
    rng, today = place.rng, place.today
    quarter = quarter_start(today)
    last_quarter = quarter_start(quarter - timedelta(days=1))
    born_by = years_ago(today, 80)
    certifiers = {
        p.community_id: p.user
        for p in StaffProfile.objects.filter(role=Role.DESK).select_related("user")
    }
    residents = list(Resident.objects.filter(birth_date__lte=born_by).order_by("pk"))
    enrolments = [
        SubsidyEnrolment(
            resident=r,
            community_id=r.community_id,
            status=EnrolmentStatus.ACTIVE,
            proposed_on=last_quarter - timedelta(days=30),
            confirmed_on=last_quarter - timedelta(days=20),
            confirmed_by=None,
        )
        for r in residents
    ]
    SubsidyEnrolment.objects.bulk_create(enrolments, batch_size=2000)
    enrolments = list(SubsidyEnrolment.objects.select_related("resident"))
    certs: list[SubsidyCertification] = []
    share = min(0.85, 0.25 + (today - quarter).days / 100)
    methods = [
        (CertificationMethod.DESK, 45),
        (CertificationMethod.MOBILE_DESK, 20),
        (CertificationMethod.APP_FACE, 35),
    ]
    for e in enrolments:
        actor = certifiers.get(e.community_id)
        if actor is None:
            continue
        for q, probability in ((last_quarter, 1.0), (quarter, share)):
            if rng.random() >= probability:
                continue
            if e.resident.bedridden:
                method = CertificationMethod.HOME_VISIT
            else:
                method = rng.choices([m for m, _w in methods], [w for _m, w in methods])[0]
            day = q + timedelta(days=rng.randint(0, max(0, min(25, (today - q).days))))
            certs.append(
                SubsidyCertification(
                    enrolment=e,
                    quarter_start=q,
                    method=method,
                    result=CertificationResult.PASSED,
                    certified_by=actor,
                    certified_at=at_hour(day, rng.randint(9, 17)),
                )
            )
    SubsidyCertification.objects.bulk_create(certs, batch_size=2000)
    services.subsidy_tick(today)
    return f"{len(enrolments)} 名 80 岁以上对象，本季度部分已认证"
