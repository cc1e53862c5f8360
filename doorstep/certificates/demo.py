"""Demo data for certificates, on top of the core demo (和平区 / 胜利路街道).

Certificates: a few, one revoked.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from doorstep.core.types import Log
from doorstep.places.models import Resident
from doorstep.programmes.demo import DemoPlace, run_loader

from . import services
from .choices import CertificateKind
from .models import Certificate


def load_demo(log: Log = print) -> None:
    run_loader(log, title="证明", done=Certificate, build=_certificates)


def _certificates(place: DemoPlace) -> str:
    """Twenty volunteers' earlier service through `services.volunteer_history_load`, then a
    few certificates issued at 张骞社区's desk and one revoked, through the services."""
    zq, rng, today, users = place.community, place.rng, place.today, place.users
    desk = users["desk"]
    people = list(
        Resident.objects.filter(
            community=zq, household__isnull=False, birth_date__isnull=False
        ).order_by("pk")[:400]
    )
    volunteers = rng.sample(people, 20)
    records = [
        services.PastVolunteerRecord(
            resident_id=v.pk,
            day=today - timedelta(days=rng.randint(1, 300)),
            activity=rng.choice(
                ["敬老院慰问", "垃圾分类宣传", "义务理发", "社区文艺演出", "防疫志愿服务"]
            ),
            hours=Decimal(rng.choice(["2.0", "3.0", "3.5", "4.0"])),
        )
        for v in volunteers
        for _n in range(rng.randint(2, 6))
    ]
    services.volunteer_history_load(actor=desk, records=records, today=today)
    issued = []
    for resident in people[:3]:
        issued.append(
            services.certificate_issue(
                actor=desk,
                resident_id=resident.pk,
                kind=CertificateKind.RESIDENCE,
                purpose="办理医保",
            )
        )
    services.certificate_issue(
        actor=desk, resident_id=volunteers[0].pk, kind=CertificateKind.VOLUNTEER
    )
    poor = next((r for r in people if r.subsistence_allowance or r.low_income), None)
    if poor is not None:
        services.certificate_issue(
            actor=desk, resident_id=poor.pk, kind=CertificateKind.HARDSHIP, purpose="申请国家助学金"
        )
    services.certificate_revoke(
        actor=users["secretary"], certificate_id=issued[0].pk, reason="信息填写有误，已重新开具"
    )
    return "居住、志愿服务、困难证明各若干"
