"""Worker scorecards (社工考评): cases, timeliness, ratings, visits and mobile-desk sessions per
worker and period. A worker sees their own; the secretary her community's; the street and the
district the workers of their communities — never another area's."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse, Http404, QueryDict
from django.utils.translation import gettext as _

from doorstep.cases.models import Rating
from doorstep.core.keyset import Ordering, iterate
from doorstep.core.types import Actor
from doorstep.core.xlsx import xlsx_response
from doorstep.places import access
from doorstep.places.access import COMMUNITY_ROLES
from doorstep.places.models import StaffProfile
from doorstep.places.selectors import communities_for
from doorstep.rollups.models import LowRating
from doorstep.rollups.selectors import Flow, flow_for_workers

from .filters import moment
from .periods import Period
from .scope import Unit, _id
from .selectors import MIN_RATINGS

LOW_COMMENTS_SHOWN = 5


@dataclass
class Scorecard:
    worker: Unit
    community: str
    flow: Flow
    visits: int = 0
    sessions: int = 0
    low: list[Rating] = field(default_factory=list)

    @property
    def enough_ratings(self) -> bool:
        return self.flow.rated >= MIN_RATINGS


# Scorecards list workers by community, then by post (the staff profile's id).
WORKER_ORDER = Ordering("community_id", descending=False)


def scorecard_staff(user: Actor, params: QueryDict) -> QuerySet[StaffProfile]:
    """The staff profiles whose scorecards this viewer may see, narrowed by `community` /
    `worker`: a queryset to page, never the whole staff list in memory (a district has
    thousands)."""
    access.require(user, "dashboard.scorecards", _("只有社区、街道和区级人员可以查看社工考评。"))
    communities = communities_for(user)
    community_id = _id(params, "community")
    if community_id is not None:
        communities = communities.filter(pk=community_id)
        if not communities.exists():
            raise Http404(_("没有找到该社区，或不在您的辖区。"))
    staff = StaffProfile.objects.filter(
        community__in=communities.values("pk"),
        role__in=list(COMMUNITY_ROLES),
        user__is_active=True,
    )
    if access.may(user, "dashboard.own_scorecard_only"):
        staff = staff.filter(user_id=user.pk)
    worker_id = _id(params, "worker")
    if worker_id is not None:
        staff = staff.filter(user_id=worker_id)
        if not staff.exists():
            raise Http404(_("没有找到该工作人员，或不在您的辖区。"))
    return staff.select_related("community")


def worker_units(profiles: Iterable[StaffProfile]) -> tuple[list[Unit], dict[int, str]]:
    """The workers as units, and their communities' names (loaded with the profiles)."""
    units: list[Unit] = []
    names: dict[int, str] = {}
    for p in profiles:
        if p.community is None:  # community roles always have one (a constraint)
            continue
        units.append(Unit("worker", p.user_id, p.display_name, (p.community.pk,), p.user_id))
        names[p.community.pk] = p.community.name
    return units, names


def scorecard_workers(user: Actor, params: QueryDict) -> tuple[list[Unit], dict[int, str]]:
    """Every worker `scorecard_staff` allows, with their communities' names (the xlsx, one
    worker's PDF)."""
    return worker_units(iterate(scorecard_staff(user, params), ordering=WORKER_ORDER))


def scorecards(staff: tuple[list[Unit], dict[int, str]], period: Period) -> list[Scorecard]:
    """Four queries for any number of workers (as `worker_units` gives them)."""
    from doorstep.field.models import HomeVisit, MobileDeskSession

    workers, names = staff
    ids = [w.pk for w in workers]
    community_ids = sorted({c for w in workers for c in w.community_ids})
    flows = flow_for_workers(ids, period.start, period.end, community_ids)
    visits = dict(
        HomeVisit.objects.filter(
            visitor_id__in=ids, visited_on__gte=period.start, visited_on__lte=period.end
        )
        .values_list("visitor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    through = MobileDeskSession.staff.through
    sessions = dict(
        through.objects.filter(
            user_id__in=ids,
            mobiledesksession__date__gte=period.start,
            mobiledesksession__date__lte=period.end,
        )
        .values_list("user_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    low_ratings: dict[int, list[Rating]] = defaultdict(list)
    for rating in _latest_low_ratings(ids, period):
        low_ratings[rating.case.owner_id or 0].append(rating)
    return [
        Scorecard(
            worker=w,
            community=names.get(w.community_ids[0], ""),
            flow=flows.get(w.pk, Flow()),
            visits=visits.get(w.pk, 0),
            sessions=sessions.get(w.pk, 0),
            low=low_ratings.get(w.pk, []),
        )
        for w in workers
    ]


def _latest_low_ratings(worker_ids: list[int], period: Period) -> list[Rating]:
    """Each worker's LOW_COMMENTS_SHOWN latest low ratings of the period, newest first, in one
    query: ranked on the low-rating index (`rollups.LowRating`, by worker and time), never a
    scan of the district's ratings."""
    ranked = (
        LowRating.objects.filter(
            worker_id__in=worker_ids,
            count__gt=0,
            rated_at__gte=moment(period.start),
            rated_at__lt=moment(period.end + timedelta(days=1)),
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("worker_id"),
                order_by=[F("rated_at").desc(), F("case_id").desc()],
            )
        )
        .filter(rank__lte=LOW_COMMENTS_SHOWN)
    )
    rows = Rating.objects.filter(case_id__in=ranked.values("case_id")).select_related("case")
    return list(rows.order_by("-created_at", "-case_id"))


def scorecards_xlsx(cards: list[Scorecard], name: str) -> FileResponse:
    from .tiles import mean

    headers = [
        _("社工"),
        _("社区"),
        _("受理"),
        _("办结"),
        _("按期办结"),
        _("当场办结"),
        _("重新办理"),
        _("评价数"),
        _("服务态度"),
        _("服务能力"),
        _("差评"),
        _("入户走访"),
        _("流动服务点"),
    ]
    rows = (
        (
            c.worker.name,
            c.community,
            c.flow.received,
            c.flow.resolved,
            c.flow.resolved_on_time,
            c.flow.settled_on_spot,
            c.flow.reopened,
            c.flow.rated,
            mean(c.flow.attitude, c.flow.rated),
            mean(c.flow.capability, c.flow.rated),
            c.flow.low_rated,
            c.visits,
            c.sessions,
        )
        for c in cards
    )
    return xlsx_response(name, headers, rows)
