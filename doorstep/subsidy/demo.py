"""Demo data for subsidy, on top of the core demo (和平区 / 胜利路街道).

Elderly subsidy: every 80+ resident enrolled; last quarter fully certified, this quarter partly.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from doorstep.core.types import Actor, Log
from doorstep.places.choices import Role
from doorstep.places.models import Resident, StaffProfile
from doorstep.programmes.demo import DemoPlace, at_hour, run_loader, years_ago

from . import services
from .choices import CertificationMethod
from .models import SubsidyEnrolment
from .selectors import quarter_start

METHODS = [
    (CertificationMethod.DESK, 45),
    (CertificationMethod.MOBILE_DESK, 20),
    (CertificationMethod.APP_FACE, 35),
]


def load_demo(log: Log = print) -> None:
    run_loader(log, title="高龄补贴", done=SubsidyEnrolment, build=_subsidy)


def _subsidy(place: DemoPlace) -> str:
    """Every 80+ resident of the district enrolled, each community's register loaded by its
    secretary through `services.subsidy_history_load` and certified by its desk."""
    today = place.today
    staff = (
        StaffProfile.objects.filter(role__in=[Role.DESK, Role.SECRETARY])
        .select_related("user")
        .order_by("pk")
    )
    certifiers = {p.community_id: p.user for p in staff if p.role == Role.DESK}
    secretaries = {p.community_id: p.user for p in staff if p.role == Role.SECRETARY}
    residents = Resident.objects.filter(birth_date__lte=years_ago(today, 80)).order_by("pk")
    registers: dict[int, list[services.PastEnrolment]] = defaultdict(list)
    for resident in residents:
        registers[resident.community_id].append(
            _enrolment(place, resident, certifiers.get(resident.community_id))
        )
    for community_id, register in registers.items():
        services.subsidy_history_load(
            actor=secretaries[community_id],
            community_id=community_id,
            enrolments=register,
            today=today,
        )
    services.subsidy_tick(today)
    enrolled = sum(len(r) for r in registers.values())
    return f"{enrolled} 名 80 岁以上对象，本季度部分已认证"


def _enrolment(
    place: DemoPlace, resident: Resident, certifier: Actor | None
) -> services.PastEnrolment:
    """Proposed a month before last quarter and confirmed ten days later — or, for someone who
    turned 80 since, on their 80th birthday and ten days later; certified last quarter and, by
    a share growing with the days gone, this quarter (a certification before the confirmation
    is left out)."""
    rng, today = place.rng, place.today
    quarter = quarter_start(today)
    last_quarter = quarter_start(quarter - timedelta(days=1))
    proposed = max(last_quarter - timedelta(days=30), _eightieth(resident))
    confirmed = min(proposed + timedelta(days=10), today)
    share = min(0.85, 0.25 + (today - quarter).days / 100)
    certifications: list[services.PastCertification] = []
    for q, probability in ((last_quarter, 1.0), (quarter, share)):
        if certifier is None or rng.random() >= probability:
            continue
        if resident.bedridden:
            method = CertificationMethod.HOME_VISIT
        else:
            method = rng.choices([m for m, _w in METHODS], [w for _m, w in METHODS])[0]
        day = q + timedelta(days=rng.randint(0, max(0, min(25, (today - q).days))))
        at = at_hour(day, rng.randint(9, 17))
        if day >= confirmed:
            certifications.append(services.PastCertification(method, certifier, at))
    return services.PastEnrolment(resident.pk, proposed, confirmed, certifications)


def _eightieth(resident: Resident) -> date:
    """The first day the resident is 80 (born 29 February: 1 March in a common year)."""
    born = resident.birth_date
    assert born is not None
    try:
        return born.replace(year=born.year + 80)
    except ValueError:
        return date(born.year + 80, 3, 1)
