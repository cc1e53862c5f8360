"""Worker scorecards (社工考评): cases, timeliness, ratings, visits and mobile-desk sessions per
worker and period. A worker sees their own; the secretary her community's; the street and the
district the workers of their communities — never another area's."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.http import FileResponse, Http404, QueryDict
from django.utils.translation import gettext as _

from doorstep.cases.models import Rating
from doorstep.core.types import Actor
from doorstep.core.xlsx import xlsx_response
from doorstep.places import access
from doorstep.places.selectors import communities_for
from doorstep.rollups.facts import LOW_RATING_MAX
from doorstep.rollups.selectors import Flow, flow_for_workers

from .filters import moment
from .periods import Period
from .scope import Unit, _id, _workers
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


def scorecard_workers(user: Actor, params: QueryDict) -> list[Unit]:
    """The workers whose scorecards this viewer may see, narrowed by `community` / `worker`."""
    access.require(user, "dashboard.scorecards", _("只有社区、街道和区级人员可以查看社工考评。"))
    communities = list(communities_for(user).order_by("pk"))
    community_id = _id(params, "community")
    if community_id is not None:
        communities = [c for c in communities if c.pk == community_id]
        if not communities:
            raise Http404(_("没有找到该社区，或不在您的辖区。"))
    workers = _workers(communities)
    if access.may(user, "dashboard.own_scorecard_only"):
        workers = [w for w in workers if w.pk == user.pk]
    worker_id = _id(params, "worker")
    if worker_id is not None:
        workers = [w for w in workers if w.pk == worker_id]
        if not workers:
            raise Http404(_("没有找到该工作人员，或不在您的辖区。"))
    return workers


def scorecards(workers: list[Unit], period: Period) -> list[Scorecard]:
    """Five queries for any number of workers."""
    from doorstep.field.models import HomeVisit, MobileDeskSession
    from doorstep.places.models import Community

    ids = [w.pk for w in workers]
    community_ids = sorted({c for w in workers for c in w.community_ids})
    flows = flow_for_workers(ids, period.start, period.end, community_ids)
    names = dict(Community.objects.filter(pk__in=community_ids).values_list("pk", "name"))
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
    low = Q(attitude__lte=LOW_RATING_MAX) | Q(capability__lte=LOW_RATING_MAX)
    for rating in (
        Rating.objects.filter(
            low,
            case__owner_id__in=ids,
            created_at__gte=moment(period.start),
            created_at__lt=moment(period.end + timedelta(days=1)),
        )
        .select_related("case")
        .order_by("-created_at")[: LOW_COMMENTS_SHOWN * max(len(ids), 1)]
    ):
        bucket = low_ratings[rating.case.owner_id or 0]
        if len(bucket) < LOW_COMMENTS_SHOWN:
            bucket.append(rating)
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
