"""Every case service keeps the rollups equal to a recount from the case table."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from doorstep.cases import services
from doorstep.cases.choices import Channel, Status
from doorstep.cases.models import Case
from doorstep.catalog.models import Demand
from doorstep.conftest import World, at, build_world
from doorstep.rollups.models import FLOW_METRICS, DailyFlow, LowRating, OpenStock, TopicFlow
from doorstep.rollups.services import rollup_rebuild
from doorstep.rollups.verify import rollup_verify

pytestmark = pytest.mark.django_db

DAY = date(2025, 9, 26)


def total(metric: str, day: date = DAY) -> int:
    """The metric summed over the communities' day totals."""
    rows = DailyFlow.objects.filter(total=True, monthly=False, community_id__gt=0, day=day)
    row = rows.values_list(metric, flat=True)
    return sum(row)


def assert_equal_to_recount() -> None:
    assert rollup_verify() is None


def open_count() -> int:
    return sum(OpenStock.objects.filter(community_id__gt=0).values_list("count", flat=True))


def test_intake_counts_received_and_an_open_case(world: World) -> None:
    world.intake(item=world.residence_cert)
    assert total("received") == 1
    assert open_count() == 1
    assert_equal_to_recount()


def test_intake_settled_on_the_spot_counts_settled_and_resolved_on_time(world: World) -> None:
    world.intake(item=world.on_the_spot, settle_now=True, reply="已当场解答。")
    assert (total("received"), total("settled_on_spot"), total("resolved")) == (1, 1, 1)
    assert total("resolved_on_time") == 1
    assert open_count() == 0
    assert_equal_to_recount()


def test_detail_rows_carry_item_channel_and_worker(world: World) -> None:
    world.intake(item=world.residence_cert, channel=Channel.PHONE)
    row = DailyFlow.objects.get(total=False)
    assert (row.item_id, row.channel, row.worker_id) == (
        world.residence_cert.pk,
        Channel.PHONE,
        world.desk_a.pk,
    )


def test_every_transition_keeps_rollups_equal_to_a_recount(world: World) -> None:
    case = world.intake(description="楼道灯坏了好几天")  # no item: a demand
    assert_equal_to_recount()
    steps = [
        lambda c: services.case_classify(
            actor=world.desk_a, case_id=c.pk, item=world.residence_cert
        ),
        lambda c: services.case_accept(actor=world.desk_a, case_id=c.pk),
        lambda c: services.case_assign(actor=world.desk_a, case_id=c.pk, assignee=world.grid_a),
        lambda c: services.case_reply(actor=world.grid_a, case_id=c.pk, text="正在联系物业"),
        lambda c: services.case_escalate(
            actor=world.grid_a, case_id=c.pk, target="fallback", note="情况复杂"
        ),
        lambda c: services.case_transfer(
            actor=world.secretary_a, case_id=c.pk, community=world.b, note="属于古桐社区"
        ),
        lambda c: services.case_resolve(
            actor=world.desk_b, case_id=c.pk, reply="已处理", now=at(2025, 10, 9)
        ),
        lambda c: services.case_reopen(
            actor=world.desk_b, case_id=c.pk, note="居民说没修好", now=at(2025, 10, 10)
        ),
        lambda c: services.case_escalate(
            actor=world.desk_b, case_id=c.pk, target="street", note="需要街道协调"
        ),
        lambda c: services.case_resolve(
            actor=world.street_user, case_id=c.pk, reply="街道已协调修好", now=at(2025, 10, 20)
        ),
    ]
    for step in steps:
        step(case)
        assert_equal_to_recount()
    services.case_rate(
        case_id=case.pk, attitude=2, capability=4, comment="太慢", now=at(2025, 10, 21)
    )
    assert_equal_to_recount()
    assert total("reopened", date(2025, 10, 10)) == 1
    assert total("low_rated", date(2025, 10, 21)) == 1
    assert total("attitude_sum", date(2025, 10, 21)) == 2
    assert open_count() == 0


def test_reopen_moves_the_resolution_and_counts_the_reopen(world: World) -> None:
    case = world.intake(item=world.residence_cert)
    services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="好了", now=at(2025, 9, 27))
    assert total("resolved", date(2025, 9, 27)) == 1
    services.case_reopen(actor=world.desk_a, case_id=case.pk, note="没好", now=at(2025, 9, 28))
    assert total("resolved", date(2025, 9, 27)) == 0
    assert total("reopened", date(2025, 9, 28)) == 1
    assert open_count() == 1
    assert_equal_to_recount()


def test_a_reopened_case_transferred_takes_its_reopen_along(world: World) -> None:
    case = world.intake(item=world.residence_cert)
    services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="好了")
    services.case_reopen(actor=world.desk_a, case_id=case.pk, note="没好")
    services.case_transfer(actor=world.desk_a, case_id=case.pk, community=world.b, note="转")
    moved = DailyFlow.objects.filter(total=True, monthly=False, community=world.b, reopened=1)
    assert moved.count() == 1
    assert not DailyFlow.objects.filter(community=world.a, reopened__gt=0).exists()
    assert_equal_to_recount()


def test_reject_then_reopen_keeps_rollups_equal(world: World) -> None:
    case = world.intake(item=world.residence_cert, channel=Channel.HOTLINE)
    services.case_reject(
        actor=world.desk_a, case_id=case.pk, reason="不属于社区职责", now=at(2025, 9, 26)
    )
    assert total("rejected") == 1 and total("hotline_replied_on_time") == 1
    services.case_reopen(actor=world.desk_a, case_id=case.pk, note="重新核实")
    assert total("rejected") == 0
    assert_equal_to_recount()


def test_hotline_reply_after_the_due_date_is_not_on_time(world: World) -> None:
    case = world.intake(item=world.on_the_spot, channel=Channel.HOTLINE)  # due next working day
    services.case_reply(actor=world.desk_a, case_id=case.pk, text="已受理", now=at(2025, 10, 20))
    assert total("hotline_replied", date(2025, 10, 20)) == 1
    assert total("hotline_replied_on_time", date(2025, 10, 20)) == 0
    assert_equal_to_recount()


def test_tick_escalation_and_auto_close_keep_rollups_equal(world: World) -> None:
    late = world.intake(item=world.on_the_spot)
    done = world.intake(item=world.residence_cert)
    services.case_resolve(actor=world.desk_a, case_id=done.pk, reply="好了", now=at(2025, 9, 27))
    result = services.cases_tick(now=at(2025, 10, 20))
    assert (result.escalated, result.closed) == (1, 1)
    assert OpenStock.objects.get(count=1, community_id__gt=0).worker_id == world.secretary_a.pk
    assert Case.objects.get(pk=late.pk).status == Status.RECEIVED
    assert total("closed", date(2025, 10, 20)) == 1
    assert_equal_to_recount()


def test_a_failed_transition_leaves_the_rollups_untouched(world: World) -> None:
    case = world.intake(item=world.residence_cert)
    before = list(DailyFlow.objects.values_list("pk", "resolved"))
    with pytest.raises(ValidationError):
        services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="   ")
    assert list(DailyFlow.objects.values_list("pk", "resolved")) == before
    assert_equal_to_recount()


def test_verify_names_the_first_mismatch_and_the_command_fails(world: World) -> None:
    world.intake(item=world.residence_cert)
    DailyFlow.objects.filter(total=True).update(received=5)
    mismatch = rollup_verify()
    assert mismatch is not None and "received" in mismatch and "recount 1, stored 5" in mismatch
    with pytest.raises(CommandError, match="received"):
        call_command("rollup", "verify")


def test_verify_walks_street_by_street_and_finds_rows_under_no_street(world: World) -> None:
    """The recount runs a street at a time; a counted row the walk would not reach (under a
    street that does not exist, or a community of another street) is a mismatch too."""
    world.intake(item=world.residence_cert)
    assert rollup_verify() is None
    row = DailyFlow.objects.filter(community=world.a).first()
    assert row is not None
    stray = world.street.pk + 1000
    for street, community in ((stray, 0), (stray, world.a.pk)):
        row.pk, row.street_id, row.community_id = None, street, community
        row.save()
        mismatch = rollup_verify()
        assert mismatch is not None and f"street_id={stray} community_id={community}" in mismatch
        DailyFlow.objects.filter(pk=row.pk).delete()
    assert rollup_verify() is None


def test_verify_in_batches_of_streets_sees_a_mismatch_in_any_batch(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from doorstep.rollups import verify

    world.intake(item=world.residence_cert)
    world.intake(world.desk_c, community=world.c, item=world.residence_cert)
    monkeypatch.setattr(verify, "VERIFY_BATCH_CASES", 0)  # a batch per street
    streets = [world.street.pk, world.other_street.pk]
    assert verify._street_batches(sorted(streets)) == [[s] for s in sorted(streets)]
    assert rollup_verify() is None
    DailyFlow.objects.filter(community=world.c, total=True).update(received=9)
    mismatch = rollup_verify()
    assert mismatch is not None and "recount 1, stored 9" in mismatch


def test_rebuild_repairs_tampered_rollups(world: World) -> None:
    world.intake(item=world.residence_cert)
    OpenStock.objects.update(count=7)
    call_command("rollup", "rebuild")
    assert_equal_to_recount()
    assert open_count() == 1


def test_rebuild_counts_bulk_inserted_history(world: World) -> None:
    case = world.intake(item=world.residence_cert)
    DailyFlow.objects.all().delete()
    OpenStock.objects.all().delete()
    assert rollup_verify() is not None
    # One detail row and the 11 total and slice rows it counts in; the open-stock row and its
    # street's.
    assert rollup_rebuild() == (12, 2, 0)
    assert_equal_to_recount()
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED


def test_rebuild_counts_the_demand_topics_of_bulk_inserted_history(world: World) -> None:
    world.intake(description="希望小区门口增设快递柜")
    TopicFlow.objects.all().delete()
    assert rollup_verify() is not None
    # The community's day and month rows, the street's day and month rows.
    assert rollup_rebuild()[2] == 4
    assert_equal_to_recount()


def topic_counts(**where: object) -> dict[str, int]:
    """Received by topic, summed over the rows matching `where`."""
    out: dict[str, int] = {}
    for topic, n in TopicFlow.objects.filter(**where).values_list("topic", "received"):
        if n:
            out[topic] = out.get(topic, 0) + n
    return out


def test_a_demand_intake_counts_its_topic_in_every_row_family(world: World) -> None:
    case = world.intake(description="希望小区门口增设快递柜", now=at(2025, 9, 12))
    topic = Demand.objects.get(case=case).topic
    day, month = date(2025, 9, 12), date(2025, 9, 1)
    for community, when, monthly in (
        (world.a.pk, day, False),
        (world.a.pk, month, True),
        (0, day, False),
        (0, month, True),
    ):
        assert topic_counts(community_id=community, day=when, monthly=monthly) == {topic: 1}
    assert_equal_to_recount()


def test_classifying_a_demand_takes_it_off_the_topics(world: World) -> None:
    case = world.intake(description="希望小区门口增设快递柜")
    services.case_classify(actor=world.desk_a, case_id=case.pk, item=world.residence_cert)
    assert topic_counts() == {}
    assert_equal_to_recount()


def test_a_transferred_demand_moves_its_topic_to_the_new_community(world: World) -> None:
    case = world.intake(description="希望小区门口增设快递柜")
    services.case_transfer(actor=world.desk_a, case_id=case.pk, community=world.b, note="转")
    assert topic_counts(community_id=world.a.pk) == {}
    assert sum(topic_counts(community_id=world.b.pk).values()) == 2  # its day and month rows
    assert_equal_to_recount()


def test_verify_names_a_tampered_topic_row(world: World) -> None:
    world.intake(description="希望小区门口增设快递柜")
    TopicFlow.objects.filter(monthly=True, community_id=0).update(received=5)
    mismatch = rollup_verify()
    assert mismatch is not None and mismatch.startswith("TopicFlow")


def test_topic_sums_read_months_and_edge_days(world: World) -> None:
    from doorstep.rollups.selectors import Place, topic_sums

    for day in (1, 15):
        for month in (7, 8, 9):
            world.intake(description="希望小区门口增设快递柜", now=at(2025, month, day))
    topic = Demand.objects.first().topic  # type: ignore[union-attr]
    street = Place.of((), [world.street.pk])
    community = Place.of([world.a.pk])
    # 10 July – 20 September: whole August by month, the edges by day (15 Jul, 1 and 15 Sep).
    for place in (street, community):
        assert topic_sums(place, date(2025, 7, 10), date(2025, 9, 20)) == {topic: 5}
        assert topic_sums(place, date(2025, 9, 2), date(2025, 9, 14)) == {}


@pytest.mark.django_db(transaction=True)
def test_two_racing_transitions_of_one_case_keep_rollups_equal() -> None:
    world = build_world()
    case = world.intake(item=world.residence_cert)
    barrier = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def run(action: str) -> None:
        try:
            barrier.wait()
            if action == "resolve":
                services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="好了")
            else:
                services.case_reject(actor=world.desk_a, case_id=case.pk, reason="重复登记")
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in ("resolve", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(errors) == 1  # the second one finds the case no longer open
    assert_equal_to_recount()
    assert open_count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_racing_intakes_on_one_day_both_count() -> None:
    world = build_world()
    barrier = threading.Barrier(2, timeout=10)

    def run() -> None:
        try:
            barrier.wait()
            world.intake(item=world.residence_cert)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert total("received") == 2
    assert_equal_to_recount()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the snapshot is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_verify_reads_a_batch_in_one_snapshot_while_cases_are_registered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An intake committed between a batch's recount and its read of the stored rows (a live
    system) is in neither: no false mismatch."""
    from doorstep.rollups import verify

    world = build_world()
    world.intake(item=world.residence_cert)
    recount = verify.recount

    def recount_then_an_intake_elsewhere(streets: list[int]) -> tuple:
        counted = recount(streets)

        def intake() -> None:
            try:
                world.intake(item=world.residence_cert)
            finally:
                connection.close()

        thread = threading.Thread(target=intake)
        thread.start()
        thread.join(timeout=30)
        return counted

    monkeypatch.setattr(verify, "recount", recount_then_an_intake_elsewhere)
    assert rollup_verify() is None
    assert Case.objects.count() == 2  # one batch (the world's two streets): one intake in it
    monkeypatch.setattr(verify, "recount", recount)
    assert rollup_verify() is None


def test_prune_drops_empty_rows_and_keeps_rollups_equal(world: World) -> None:
    case = world.intake(item=world.residence_cert)
    services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="好了")
    assert OpenStock.objects.filter(count=0).exists()
    from doorstep.rollups.services import rollup_prune

    assert rollup_prune() >= 1
    assert not OpenStock.objects.exists()
    assert_equal_to_recount()


def test_a_flow_row_left_at_zero_is_deleted_by_the_change_that_emptied_it(
    world: World,
) -> None:
    """The transfer moves the day's intake from community a to b: a's rows for it fall to
    zero and go in the same transaction, with no scan of the table left for `tick`."""
    case = world.intake(item=world.residence_cert)
    rows_of_a = DailyFlow.objects.filter(community=world.a)
    assert rows_of_a.exists()
    services.case_transfer(actor=world.desk_a, case_id=case.pk, community=world.b, note="转")
    assert not rows_of_a.exists()
    assert DailyFlow.objects.filter(community=world.b, received__gt=0).exists()
    empty = DailyFlow.objects.filter(**{metric: 0 for metric in FLOW_METRICS})
    assert not empty.exists()
    assert_equal_to_recount()


def test_a_flow_row_still_counting_something_is_kept(world: World) -> None:
    first = world.intake(item=world.residence_cert)
    world.intake(item=world.residence_cert)
    services.case_transfer(actor=world.desk_a, case_id=first.pk, community=world.b, note="转")
    assert DailyFlow.objects.filter(community=world.a, received=1).exists()
    assert_equal_to_recount()


def _flows_over_months(world: World) -> None:
    """Cases in two communities of one street over three months, moved and re-opened."""
    first = world.intake(item=world.residence_cert, now=at(2025, 7, 30))
    services.case_resolve(actor=world.desk_a, case_id=first.pk, reply="好了", now=at(2025, 8, 2))
    services.case_reopen(actor=world.desk_a, case_id=first.pk, note="没好", now=at(2025, 8, 3))
    services.case_transfer(actor=world.desk_a, case_id=first.pk, community=world.b, note="转")
    services.case_resolve(actor=world.desk_b, case_id=first.pk, reply="好了", now=at(2025, 9, 1))
    services.case_rate(case_id=first.pk, attitude=5, capability=1, now=at(2025, 9, 2))
    world.intake(description="希望增设快递柜", channel=Channel.HOTLINE, now=at(2025, 8, 31))
    world.intake(world.desk_b, community=world.b, item=world.on_the_spot, now=at(2025, 9, 30))


def test_month_and_street_rows_equal_the_sum_of_day_rows(world: World) -> None:
    from doorstep.rollups.selectors import Place, flow_sums

    _flows_over_months(world)
    assert_equal_to_recount()
    start, end = date(2025, 7, 15), date(2025, 9, 30)  # long: months plus edge days
    communities = Place.of([world.a.pk, world.b.pk])
    street = Place.of((), [world.street.pk])
    by_day = [flow_sums(communities, day, day) for day in _days(start, end)]
    for kept, by in (("", ()), ("channel", ("channel",)), ("item_id", ("item_id",))):
        want: dict[tuple, dict[str, int]] = {}
        for day in _days(start, end):
            for key, flow in flow_sums(communities, day, day, kept, by).items():
                row = want.setdefault(key, {})
                for name, n in vars(flow).items():
                    row[name] = row.get(name, 0) + n
        for place in (communities, street):
            have = {k: vars(f) for k, f in flow_sums(place, start, end, kept, by).items()}
            assert have == want, (kept, place)
    assert sum(f[()].received for f in by_day if f) == 3


def test_worker_month_slices_follow_the_owner(world: World) -> None:
    from doorstep.rollups.selectors import flow_for_workers

    _flows_over_months(world)
    flows = flow_for_workers(
        [world.desk_a.pk, world.desk_b.pk],
        date(2025, 6, 1),
        date(2025, 9, 30),
        [world.a.pk, world.b.pk],
    )
    assert flows[world.desk_b.pk].resolved == 1 and flows[world.desk_b.pk].reopened == 1
    assert world.desk_a.pk in flows and flows[world.desk_a.pk].resolved == 0


def test_a_street_row_counts_open_cases_of_every_community(world: World) -> None:
    from doorstep.rollups.selectors import Place, stock_total

    world.intake(item=world.residence_cert)
    world.intake(world.desk_b, community=world.b, item=world.residence_cert)
    street = stock_total(Place.of((), [world.street.pk]), DAY)
    communities = stock_total(Place.of([world.a.pk, world.b.pk]), DAY)
    assert street.open == communities.open == 2
    assert street.oldest == communities.oldest


def _days(start: date, end: date) -> list[date]:
    from doorstep.rollups.selectors import days_between

    return days_between(start, end)


def _rated(world: World, attitude: int, capability: int, day: int = 17) -> Case:
    case = world.intake(item=world.residence_cert, now=at(2025, 9, day - 2))
    services.case_resolve(
        actor=world.desk_a, case_id=case.pk, reply="已办", now=at(2025, 9, day - 1)
    )
    services.case_rate(
        case_id=case.pk, attitude=attitude, capability=capability, now=at(2025, 9, day)
    )
    return case


def test_a_low_rating_is_indexed_under_the_cases_owner(world: World) -> None:
    low = _rated(world, 2, 4)
    _rated(world, 5, 3)  # not low
    rows = list(LowRating.objects.filter(count__gt=0).values_list("worker_id", "case_id"))
    assert rows == [(world.desk_a.pk, low.pk)]
    assert_equal_to_recount()


def test_verify_and_rebuild_cover_the_low_rating_index(world: World) -> None:
    _rated(world, 1, 1)
    LowRating.objects.update(count=3)
    mismatch = rollup_verify()
    assert mismatch is not None and mismatch.startswith("LowRating")
    rollup_rebuild()
    assert_equal_to_recount()
    assert LowRating.objects.get().count == 1
