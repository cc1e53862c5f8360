"""A small, known data set for the dashboard tests: September 2025 in two communities."""

from dataclasses import dataclass

import pytest

from doorstep.cases import services
from doorstep.cases.choices import Channel
from doorstep.cases.models import Case
from doorstep.conftest import World, at


@dataclass
class September:
    world: World
    cases: list[Case]


def build_september(world: World) -> September:
    w = world
    cases = []
    # Community A: two settled on the spot, one resolved late, one reopened, one open overdue,
    # one hotline answered on time, one demand (no item), one rated low and one rated well.
    for day in (2, 3):
        cases.append(
            w.intake(item=w.on_the_spot, settle_now=True, reply="已解答", now=at(2025, 9, day))
        )
    late = w.intake(item=w.on_the_spot, now=at(2025, 9, 4))
    services.case_resolve(actor=w.desk_a, case_id=late.pk, reply="已办", now=at(2025, 9, 20))
    reopened = w.intake(item=w.residence_cert, now=at(2025, 9, 5))
    services.case_resolve(actor=w.desk_a, case_id=reopened.pk, reply="好了", now=at(2025, 9, 8))
    services.case_reopen(actor=w.desk_a, case_id=reopened.pk, note="没好", now=at(2025, 9, 9))
    overdue = w.intake(item=w.on_the_spot, now=at(2025, 9, 10))
    hotline = w.intake(item=w.residence_cert, channel=Channel.HOTLINE, now=at(2025, 9, 11))
    services.case_reply(actor=w.desk_a, case_id=hotline.pk, text="已受理", now=at(2025, 9, 12))
    demand = w.intake(description="希望小区门口增设快递柜", now=at(2025, 9, 12))
    low = w.intake(item=w.residence_cert, now=at(2025, 9, 15))
    services.case_resolve(actor=w.desk_a, case_id=low.pk, reply="已办", now=at(2025, 9, 16))
    services.case_rate(
        case_id=low.pk, attitude=2, capability=3, comment="态度差", now=at(2025, 9, 17)
    )
    good = w.intake(item=w.residence_cert, actor=w.grid_a, now=at(2025, 9, 18))
    services.case_resolve(actor=w.grid_a, case_id=good.pk, reply="已办", now=at(2025, 9, 19))
    services.case_rate(case_id=good.pk, attitude=5, capability=4, now=at(2025, 9, 19))
    # Community B: one case; August: one case in A (the previous period).
    other = w.intake(actor=w.desk_b, community=w.b, item=w.residence_cert, now=at(2025, 9, 22))
    services.case_resolve(actor=w.desk_b, case_id=other.pk, reply="已办", now=at(2025, 9, 23))
    august = w.intake(item=w.residence_cert, now=at(2025, 8, 20))
    cases += [late, reopened, overdue, hotline, demand, low, good, other, august]
    return September(world, cases)


@pytest.fixture
def september(world: World) -> September:
    return build_september(world)
