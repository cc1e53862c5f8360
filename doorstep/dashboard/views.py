"""Leaders' pages: the dashboard, the cases behind a figure, the KPI glossary."""

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doorstep.cases.exports import cases_xlsx
from doorstep.cases.selectors import cases_visible_to
from doorstep.core.exports import page_or_refuse, refusals
from doorstep.core.keyset import BY_ID, query_digest
from doorstep.core.types import request_actor
from doorstep.places import access
from doorstep.places.models import Street
from doorstep.places.selectors import communities_for

from . import documents, overview, selectors, services
from .demands import demand_rows, demands_xlsx
from .filters import KPI_FILTERS, kpi_cases
from .kpis import GLOSSARY
from .models import DEFAULT_WEIGHTS
from .periods import Period, parse_period
from .scope import Area, Unit, area_for
from .scorecards import (
    WORKER_ORDER,
    scorecard_staff,
    scorecard_workers,
    scorecards,
    scorecards_xlsx,
    worker_units,
)
from .tiles import tiles

PAGE = 50
SCORECARD_PAGE = 50
SORTS: dict[str, Callable[[selectors.Row], float]] = {
    "score": lambda r: -r.score,
    "received": lambda r: -r.flow.received,
    "on_spot": lambda r: -(r.flow.on_spot_rate or 0),
    "on_time": lambda r: -(r.flow.on_time_rate or 0),
    "overdue": lambda r: -r.stock.overdue,
    "attitude": lambda r: -(r.flow.attitude or 0),
    "reopened": lambda r: -r.flow.reopened,
}
SORT_COLUMNS = (
    ("score", _lazy("综合分")),
    ("received", _lazy("受理量")),
    ("on_spot", _lazy("即办率")),
    ("on_time", _lazy("按期办结率")),
    ("overdue", _lazy("当前逾期")),
    ("attitude", _lazy("服务态度")),
    ("reopened", _lazy("重新办理")),
)


def _period_or_error(request: HttpRequest) -> Period | HttpResponse:
    try:
        return parse_period(request.GET, timezone.localdate())
    except ValidationError as error:
        return render(
            request, "dashboard/bad_input.html", {"message": " ".join(error.messages)}, status=400
        )


def _links(area: Area, period: Period) -> dict[str, str]:
    keep = {**period.query(), **area.drill}
    return {
        "here": urlencode(keep),
        "drill": urlencode(area.drill),
        "period": urlencode(period.query()),
    }


def _trend_chart(trend: list[tuple[str, int, int]]) -> list[list]:
    """Labels, received, resolved, and the two series' names (the chart's legend)."""
    names = [_("受理"), _("办结")]
    return [[t[0] for t in trend], [t[1] for t in trend], [t[2] for t in trend], names]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    area = area_for(request_actor(request), request.GET)
    period = _period_or_error(request)
    if isinstance(period, HttpResponse):
        return period
    board = selectors.board(area, period, timezone.localdate())
    links = _links(area, period)

    def drill(unit: Unit) -> str:
        return urlencode({**period.query(), **area.drill, unit.key: unit.pk})

    sort = request.GET.get("sort", "score")
    board.rows.sort(key=SORTS.get(sort, SORTS["score"]))
    trend = board.trend
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "board": board,
            "tiles": tiles(board),
            "links": links,
            "trail": [(name, urlencode(params)) for name, params in area.trail],
            "rows": [(r, drill(r.unit)) for r in board.rows],
            "board_workers": [(u, s, drill(u)) for u, s in board.workers],
            "grids": [(g, drill(g)) for g in area.grids],
            "sort": sort,
            "sort_columns": SORT_COLUMNS,
            "glossary": GLOSSARY,
            "charts": {
                "trend": _trend_chart(trend),
                "channels": board.channels,
                "categories": board.categories[:12],
                "ageing": [list(board.ageing_labels), board.stock.ageing],
            },
        },
    )


@login_required
@refusals
def case_list(request: HttpRequest) -> HttpResponseBase:
    """The cases behind one figure (keyset pages by id, newest first)."""
    actor = request_actor(request)
    area = area_for(actor, request.GET)
    period = _period_or_error(request)
    if isinstance(period, HttpResponse):
        return period
    kpi = request.GET.get("kpi", "received")
    if kpi not in KPI_FILTERS:
        raise Http404(_("未知的指标。"))
    qs = kpi_cases(cases_visible_to(actor), area, period, kpi, timezone.localdate())
    if request.GET.get("format") == "xlsx":
        label = next((str(k.label) for k in GLOSSARY if k.key == kpi), kpi)
        return cases_xlsx(request, qs, f"{area.name}{label}{period.label}", BY_ID)
    digest = query_digest("dashboard_cases", kpi, area.drill, period.query(), actor.pk)
    back = f"{request.path}?{urlencode({'kpi': kpi, **period.query(), **area.drill})}"
    page = page_or_refuse(request, qs, digest, BY_ID, back, size=PAGE, with_total=False)
    label = next((str(k.label) for k in GLOSSARY if k.key == kpi), kpi)
    links = _links(area, period)
    return render(
        request,
        "dashboard/cases.html",
        {
            "area": area,
            "period": period,
            "kpi": kpi,
            "label": label,
            "cases": page.rows,
            "next_cursor": page.next_cursor,
            "links": links,
        },
    )


@login_required
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/glossary.html", {"glossary": GLOSSARY})


@login_required
def tv(request: HttpRequest) -> HttpResponse:
    """大屏: the same figures, dark and large, refreshed every 60 s by htmx polling."""
    area = area_for(request_actor(request), request.GET)
    period = _period_or_error(request)
    if isinstance(period, HttpResponse):
        return period
    board = selectors.board(area, period, timezone.localdate())
    board.rows.sort(key=SORTS["score"])
    trend = board.trend
    context = {
        "board": board,
        "tiles": tiles(board)[:8],
        "links": _links(area, period),
        "now": timezone.localtime(),
        "charts": {
            "trend": _trend_chart(trend),
            "channels": board.channels,
            "ageing": [list(board.ageing_labels), board.stock.ageing],
        },
    }
    template = (
        "dashboard/_tv_panels.html" if request.headers.get("HX-Request") else "dashboard/tv.html"
    )
    return render(request, template, context)


@login_required
@refusals
def workers(request: HttpRequest) -> HttpResponseBase:
    """社工考评: the workers the viewer may see, for the chosen period (default: year); a
    district has thousands, so one keyset page of them is read at a time, with the total."""
    actor = request_actor(request)
    staff = scorecard_staff(actor, request.GET)
    params = request.GET.copy()
    params.setdefault("period", "year")
    try:
        period = parse_period(params, timezone.localdate())
    except ValidationError as error:
        return render(
            request, "dashboard/bad_input.html", {"message": " ".join(error.messages)}, status=400
        )
    if request.GET.get("format") == "xlsx":
        return scorecards_xlsx(
            scorecards(scorecard_workers(actor, request.GET), period),
            _("社工考评%(period)s") % {"period": period.label},
        )
    keep = {k: v for k, v in request.GET.items() if k in ("community", "worker")}
    here = urlencode({**period.query(), **keep})
    digest = query_digest("dashboard_workers", keep, actor.pk)
    back = f"{request.path}?{here}"
    page = page_or_refuse(request, staff, digest, WORKER_ORDER, back, size=SCORECARD_PAGE)
    return render(
        request,
        "dashboard/workers.html",
        {
            "cards": scorecards(worker_units(page.rows), period),
            "page": page,
            "period": period,
            "keep": keep,
            "here": here,
            "min_ratings": selectors.MIN_RATINGS,
            "can_set_weights": services.weight_streets(actor).exists(),
        },
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}.pdf"
    return response


@login_required
def scorecard_pdf(request: HttpRequest, worker_id: int) -> HttpResponse:
    """年度考评表 of one worker the viewer may see (another area's worker: 404)."""
    query = QueryDict(mutable=True)
    query.update({"worker": str(worker_id)})
    staff = scorecard_workers(request_actor(request), query)
    params = QueryDict(mutable=True)
    params.update({"period": "year", "year": request.GET.get("year", "")})
    try:
        period = parse_period(params, timezone.localdate())
    except ValidationError as error:
        return render(
            request, "dashboard/bad_input.html", {"message": " ".join(error.messages)}, status=400
        )
    card = scorecards(staff, period)[0]
    content = documents.scorecard_pdf(card, period.start.year)
    return _pdf(content, f"{card.worker.name}{period.start.year}年度考评表")


@login_required
def briefing_pdf(request: HttpRequest) -> HttpResponse:
    """周报: the week's KPIs, top issues, the overdue list and the red/black list."""
    actor = request_actor(request)
    area = area_for(actor, request.GET)
    today = timezone.localdate()
    try:
        week = documents.parse_week(request.GET.get("week", ""), today)
    except ValidationError as error:
        return render(
            request, "dashboard/bad_input.html", {"message": " ".join(error.messages)}, status=400
        )
    overdue = documents.overdue_cases(cases_visible_to(actor), area, today)
    content = documents.briefing_pdf(area, week, today, overdue)
    return _pdf(content, f"{area.name}周报{week.start}")


def _overview_days(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days") or 30)
    except ValueError:
        days = 30
    return min(max(days, 1), 3660)


@login_required
def community_overview(request: HttpRequest) -> HttpResponse:
    """社区概览 (the secretary's page, also for the street and the district). The district
    sees one row per street; `?street=` opens a street's community cards."""
    profile = access.require(
        request.user, "dashboard.view", _("只有书记、街道和区级人员可以查看社区概览。")
    )
    visible = communities_for(request.user)
    days = _overview_days(request)
    since = overview.today() - timedelta(days=days)
    context: dict[str, object] = {"since": since, "days": days, "street": None}
    street_id = request.GET.get("street", "")
    if access.area_level(profile) == "district" and not street_id:
        # The streets that have communities in the area (not its ~1,300 communities read).
        streets = list(Street.objects.filter(pk__in=visible.values("street_id")).order_by("pk"))
        context["streets"] = overview.streets_overview(streets, since)
        return render(request, "dashboard/community_overview.html", context)
    if street_id:
        in_street = []
        if street_id.isdigit() and len(street_id) < 18 and access.area_level(profile) == "district":
            in_street = list(visible.filter(street_id=int(street_id)).order_by("pk"))
        if not in_street:
            raise Http404(_("没有找到该街道，或不在您的辖区。"))
        communities, context["street"] = in_street, in_street[0].street
    else:
        communities = list(visible.order_by("pk"))
    context["rows"] = overview.communities_overview(communities, since)
    return render(request, "dashboard/community_overview.html", context)


@login_required
@refusals
def demands(request: HttpRequest) -> HttpResponseBase:
    """需求清单: requests that matched no catalogue item, in the area and period (keyset pages);
    `?format=xlsx` downloads all of them."""
    area = area_for(request_actor(request), request.GET)
    period = _period_or_error(request)
    if isinstance(period, HttpResponse):
        return period
    qs = demand_rows(area, period)
    if request.GET.get("format") == "xlsx":
        return demands_xlsx(request, qs, f"{area.name}需求清单{period.label}")
    digest = query_digest("dashboard_demands", area.drill, period.query(), request.user.pk)
    back = f"{request.path}?{_links(area, period)['here']}"
    page = page_or_refuse(request, qs, digest, BY_ID, back, size=PAGE, with_total=False)
    return render(
        request,
        "dashboard/demands.html",
        {
            "area": area,
            "period": period,
            "rows": page.rows,
            "total": selectors.figures(area, period)[0].demand,
            "next_cursor": page.next_cursor,
            "links": _links(area, period),
        },
    )


def _weights_street(streets: list[Street], raw: str) -> Street:
    if not raw:
        return streets[0]
    street = next((s for s in streets if raw.isdigit() and s.pk == int(raw)), None)
    if street is None:
        raise Http404(_("街道不存在。"))
    return street


@login_required
def weights(request: HttpRequest) -> HttpResponse:
    """考评权重: a street's leader sets the weights of the annual scorecard (the district any
    street of its district); everybody else is refused."""
    actor = request_actor(request)
    streets = list(services.weight_streets(actor))
    if not streets:
        raise PermissionDenied(_("只有街道和区级人员可以设置考评权重。"))
    street = _weights_street(streets, request.POST.get("street") or request.GET.get("street", ""))
    values: dict[str, object] = dict(services.weights_of(street))
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        submitted = {k: request.POST.get(k, "") for k in DEFAULT_WEIGHTS}
        try:
            services.scorecard_weights_set(actor=actor, street_id=street.pk, weights=submitted)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            values, status = dict(submitted), 400
        else:
            messages.success(request, _("%(street)s的考评权重已保存。") % {"street": street.name})
            return redirect(f"{reverse('dashboard_weights')}?street={street.pk}")
    labels = services.weight_labels()
    fields = [
        {"key": k, "label": labels[k], "value": values[k], "errors": errors.get(k, [])}
        for k in DEFAULT_WEIGHTS
    ]
    context = {
        "streets": streets,
        "street": street,
        "fields": fields,
        "form_errors": errors.get("", []) + errors.get(NON_FIELD_ERRORS, []),
        "has_errors": bool(errors),
    }
    return render(request, "dashboard/weights.html", context, status=status)
