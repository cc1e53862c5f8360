"""Every KPI on the dashboard equals a recount from the case table on a small data set."""

from datetime import date

import pytest
from django.db.models import F, Q
from django.test import Client

from doorstep.cases.choices import OPEN_STATUSES, Channel, EventKind, Responsibility
from doorstep.cases.models import Case, CaseEvent, Rating
from doorstep.core.types import Actor
from doorstep.dashboard import selectors
from doorstep.dashboard.periods import period_for
from doorstep.dashboard.scope import Area, area_for
from doorstep.rollups.verify import rollup_verify

from .conftest import September

pytestmark = pytest.mark.django_db
SEPTEMBER = period_for("month", date(2025, 9, 1))
TODAY = date(2025, 9, 30)


def recount(community_ids: list[int]) -> dict[str, float]:
    """The KPIs counted straight from cases, events and ratings (local days, Asia/Shanghai)."""
    cases = Case.objects.filter(community_id__in=community_ids)
    s, e = SEPTEMBER.start, SEPTEMBER.end
    received = cases.filter(created_at__date__gte=s, created_at__date__lte=e)
    resolved = cases.filter(resolved_at__date__gte=s, resolved_at__date__lte=e)
    on_time = resolved.filter(Q(due_date__isnull=True) | Q(resolved_at__date__lte=F("due_date")))
    ratings = Rating.objects.filter(
        case__community_id__in=community_ids, created_at__date__gte=s, created_at__date__lte=e
    )
    replied = cases.filter(
        channel=Channel.HOTLINE, replied_at__date__gte=s, replied_at__date__lte=e
    )
    return {
        "received": received.count(),
        "settled_on_spot": received.filter(settled_on_spot=True).count(),
        "resolved": resolved.count(),
        "resolved_on_time": on_time.count(),
        "first_contact": resolved.filter(responsibility=Responsibility.FIRST_RESPONDER).count(),
        "reopened": CaseEvent.objects.filter(
            case__community_id__in=community_ids,
            kind=EventKind.REOPENED,
            at__date__gte=s,
            at__date__lte=e,
        ).count(),
        "rated": ratings.count(),
        "attitude_sum": sum(r.attitude for r in ratings),
        "capability_sum": sum(r.capability for r in ratings),
        "low_rated": ratings.filter(Q(attitude__lte=2) | Q(capability__lte=2)).count(),
        "hotline": received.filter(channel=Channel.HOTLINE).count(),
        "hotline_replied": replied.count(),
        "hotline_on_time": replied.filter(
            Q(due_date__isnull=True) | Q(replied_at__date__lte=F("due_date"))
        ).count(),
        "demand": received.filter(item__isnull=True).count(),
        "open": cases.filter(status__in=OPEN_STATUSES).count(),
        "overdue": cases.filter(status__in=OPEN_STATUSES, due_date__lt=TODAY).count(),
    }


def figures_of(board: selectors.Board) -> dict[str, float]:
    flow = board.now.flow
    return {
        "received": flow.received,
        "settled_on_spot": flow.settled_on_spot,
        "resolved": flow.resolved,
        "resolved_on_time": flow.resolved_on_time,
        "first_contact": flow.resolved_first_contact,
        "reopened": flow.reopened,
        "rated": flow.rated,
        "attitude_sum": flow.attitude_sum,
        "capability_sum": flow.capability_sum,
        "low_rated": flow.low_rated,
        "hotline": board.now.hotline,
        "hotline_replied": flow.hotline_replied,
        "hotline_on_time": flow.hotline_replied_on_time,
        "demand": board.now.demand,
        "open": board.stock.open,
        "overdue": board.stock.overdue,
    }


def board_for(user, **params: str) -> selectors.Board:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(params)
    return selectors.board(area_for(user, query), SEPTEMBER, TODAY)


def test_rollups_of_the_data_set_equal_a_recount(september: September) -> None:
    assert rollup_verify() is None


def test_district_kpis_equal_a_recount(september: September) -> None:
    w = september.world
    assert figures_of(board_for(w.district_user)) == recount([w.a.pk, w.b.pk, w.c.pk])


def test_street_kpis_equal_a_recount(september: September) -> None:
    w = september.world
    assert figures_of(board_for(w.street_user)) == recount([w.a.pk, w.b.pk])


def test_community_kpis_equal_a_recount_and_are_not_trivial(september: September) -> None:
    w = september.world
    figures = figures_of(board_for(w.secretary_a))
    assert figures == recount([w.a.pk])
    assert figures["reopened"] == 1 and figures["low_rated"] == 1 and figures["demand"] == 1
    assert figures["hotline_on_time"] == 1 and figures["settled_on_spot"] == 2


def test_previous_period_is_august(september: September) -> None:
    w = september.world
    board = board_for(w.secretary_a)
    assert board.before.flow.received == 1


def test_worker_kpis_count_only_the_workers_cases(september: September) -> None:
    w = september.world
    board = board_for(w.secretary_a, worker=str(w.grid_a.pk))
    expected = Case.objects.filter(
        owner=w.grid_a, created_at__date__gte=SEPTEMBER.start, created_at__date__lte=SEPTEMBER.end
    ).count()
    assert board.now.flow.received == expected == 1
    assert board.now.flow.rated == 1 and board.now.flow.attitude_sum == 5


def test_comparison_rows_sum_to_the_area(september: September) -> None:
    w = september.world
    board = board_for(w.street_user)
    assert {r.unit.name for r in board.rows} == {w.a.name, w.b.name}
    assert sum(r.flow.received for r in board.rows) == board.now.flow.received
    assert sum(r.stock.overdue for r in board.rows) == board.stock.overdue


def test_tiles_link_to_a_case_list_with_exactly_the_counted_cases(
    client: Client, september: September
) -> None:
    w = september.world
    client.force_login(w.secretary_a)
    counted = recount([w.a.pk])
    for kpi, key in [
        ("received", "received"),
        ("on_spot", "settled_on_spot"),
        ("resolved", "resolved"),
        ("on_time", "resolved_on_time"),
        ("reopened", "reopened"),
        ("low_rated", "low_rated"),
        ("hotline", "hotline"),
        ("demand", "demand"),
    ]:
        response = client.get(
            "/dashboard/cases/", {"kpi": kpi, "period": "month", "on": "2025-09-01"}
        )
        assert response.status_code == 200
        assert len(response.context["cases"]) == counted[key], kpi


def test_dashboard_page_renders_its_sections(client: Client, september: September) -> None:
    w = september.world
    client.force_login(w.street_user)
    response = client.get("/dashboard/", {"period": "month", "on": "2025-09-01"})
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("即办率", "按期办结率", "下级对比", "本月红黑榜", "指标说明", w.a.name, "echarts"):
        assert text in html


def test_red_and_black_lists_never_name_the_same_unit(september: September) -> None:
    w = september.world
    board = board_for(w.street_user)
    assert [r.unit.name for r in board.red] and [r.unit.name for r in board.black]
    assert not {r.unit.pk for r in board.red} & {r.unit.pk for r in board.black}


def _area(user: Actor) -> Area:
    from django.http import QueryDict

    return area_for(user, QueryDict())


def test_previous_figures_equal_the_full_breakdown_of_that_period(
    september: September,
) -> None:
    w = september.world
    for user in (w.district_user, w.street_user, w.secretary_a):
        area = _area(user)
        assert selectors.previous_figures(area, SEPTEMBER) == selectors.figures(area, SEPTEMBER)[0]
    district = selectors.previous_figures(_area(w.district_user), SEPTEMBER)
    assert district.hotline >= 1 and district.demand >= 1 and district.flow.resolved >= 1


def test_overdue_ageing_equals_a_recount_of_the_open_cases(september: September) -> None:
    from doorstep.rollups.selectors import AGEING_BUCKETS

    w = september.world
    late = Case.objects.filter(status__in=OPEN_STATUSES, due_date__lt=TODAY)
    for user, ids in ((w.district_user, [w.a.pk, w.b.pk, w.c.pk]), (w.secretary_a, [w.a.pk])):
        dues = late.filter(community_id__in=ids).values_list("due_date", flat=True)
        days = [(TODAY - due).days for due in dues if due is not None]
        want = [
            sum(1 for d in days if d >= low and (high is None or d <= high))
            for _label, low, high in AGEING_BUCKETS
        ]
        stock = board_for(user).stock
        assert stock.ageing == want and stock.overdue == len(days) >= 1, user
        assert stock.oldest is not None
