"""Field-work pages: my grid, coverage, contact card, mobile desk, capture, rota, visits, and the
residents' station finder."""

import json
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.catalog.selectors import items_for
from doorstep.core.exports import export_queryset, export_rows, wants_xlsx
from doorstep.core.keyset import BY_ID, CursorError, paginate
from doorstep.core.types import request_actor
from doorstep.places import access
from doorstep.places.choices import Role
from doorstep.places.models import Building, Community, Compound, Grid, StaffProfile
from doorstep.places.selectors import communities_for, staff_profile
from doorstep.routing.services import safe_auto_route

from . import selectors, services
from .card import contact_card_pdf
from .choices import Period, VisitOutcome, Weekday
from .exports import session_columns, visit_columns
from .filters import VisitFilter
from .forms import (
    PostPairForm,
    ReceptionForm,
    RotaForm,
    SessionForm,
    VisitPlanForm,
    VisitRecordForm,
)
from .models import HomeVisit, MobileDeskSession


def _profile(request: HttpRequest) -> StaffProfile:
    profile = staff_profile(request.user)
    if profile is None or not access.may(request.user, "field.work"):
        raise PermissionDenied(_("该账号不能查看社区走出去工作。"))
    return profile


def _community(request: HttpRequest) -> Community:
    _profile(request)
    return selectors.community_or_404(
        request.user, request.GET.get("community") or request.POST.get("community")
    )


def _errors(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


def _secretary_or_403(request: HttpRequest, community: Community) -> None:
    if not selectors.is_secretary_of(request.user, community):
        raise PermissionDenied(_("只有书记/主任可以修改本社区的安排。"))


# --- my grid, coverage, card ------------------------------------------------------------------


@login_required
def my_grid(request: HttpRequest) -> HttpResponse:
    """我的网格. A grid worker sees their own; others pick a grid worker of their area."""
    profile = _profile(request)
    workers = StaffProfile.objects.filter(
        role=Role.GRID, community__in=communities_for(request.user)
    ).order_by("community_id", "display_name")
    wanted = request.GET.get("worker")
    community = None
    if request.GET.get("community") and not access.may(request.user, "field.own_grid"):
        community = _community(request)
        workers = workers.filter(community=community)
    if wanted:
        worker = workers.filter(user_id=wanted if wanted.isdigit() else 0).first()
        if worker is None:
            raise Http404
    elif access.may(request.user, "field.own_grid"):
        worker = profile
    else:
        worker = workers.first()
        if worker is None:
            raise Http404
    today = timezone.localdate()
    return render(
        request,
        "field/grid.html",
        {
            "data": selectors.my_grid(worker, today),
            "workers": [] if access.may(request.user, "field.own_grid") else workers,
            "community": community or worker.community,
            "community_choices": selectors.community_choices(request.user),
            "today": today,
            "stale_before": today - timedelta(days=180),
        },
    )


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """包楼、楼院长、邻里服务站 coverage for the secretary."""
    community = _community(request)
    _secretary_or_403(request, community)
    return render(
        request,
        "field/coverage.html",
        {
            "community_choices": selectors.community_choices(request.user),
            "data": selectors.coverage(community),
            "workers": selectors.community_workers(community),
            "min": selectors.STATION_MIN_HOUSEHOLDS,
            "max": selectors.STATION_MAX_HOUSEHOLDS,
            "target": selectors.STATION_TARGET_HOUSEHOLDS,
            "community": community,
        },
    )


@login_required
@require_POST
def contractor_set(request: HttpRequest, building_id: int) -> HttpResponse:
    _profile(request)
    building = get_object_or_404(
        Building.objects.select_related("compound__community"),
        pk=building_id,
        compound__community__in=communities_for(request.user),
    )
    worker = StaffProfile.objects.filter(user_id=request.POST.get("worker") or 0).first()
    try:
        services.building_contractor_set(
            actor=request_actor(request),
            building=building,
            worker=worker.user if worker else None,
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("已安排 %(b)s 的包楼人。") % {"b": building})
    url = reverse("field:coverage") + f"?community={building.compound.community_id}"
    return redirect(url)


@login_required
@require_POST
def head_create(request: HttpRequest) -> HttpResponse:
    community = _community(request)
    ids = [i for i in request.POST.getlist("buildings") if i.isdigit()]
    buildings = list(Building.objects.filter(pk__in=ids, compound__community=community))
    try:
        services.building_head_create(
            actor=request_actor(request),
            community=community,
            name=request.POST.get("name", ""),
            phone=request.POST.get("phone", ""),
            buildings=buildings,
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("已登记楼院长。"))
    return redirect(reverse("field:coverage") + f"?community={community.pk}")


@login_required
def card(request: HttpRequest, community_id: int) -> HttpResponse:
    """社区连心卡 (PDF) of a community, or of one grid with `?grid=`."""
    _profile(request)
    community = get_object_or_404(communities_for(request.user), pk=community_id)
    grid = None
    if request.GET.get("grid"):
        grid = get_object_or_404(Grid, pk=request.GET["grid"], community=community)
    pdf = contact_card_pdf(selectors.card_data(community, grid), request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{community.pk}.pdf"'
    return response


# --- mobile desk ------------------------------------------------------------------------------


def _month(value: str | None, today: date) -> date:
    """The month asked for (`YYYY-MM`), else the current one: `today` is the site's date."""
    try:
        return datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)


def _session_data(form: SessionForm) -> services.SessionData:
    d = form.cleaned_data
    return services.SessionData(
        compound=d["compound"],
        date=d["date"],
        starts_at=d["starts_at"],
        ends_at=d["ends_at"],
        staff=tuple(d["staff"]),
        note=d["note"],
    )


@login_required
def mobile_desk(request: HttpRequest) -> HttpResponseBase:
    """流动服务点: the month's sessions, the planner's proposal and the reception room;
    `?format=xlsx` downloads the month's sessions."""
    community = _community(request)
    today = timezone.localdate()
    month = _month(request.GET.get("month"), today)
    first, last = selectors.month_bounds(month)
    sessions = selectors.sessions_for(community, first, last)
    if wants_xlsx(request):
        name = _("%(c)s流动服务点%(m)s") % {"c": community.name, "m": f"{first:%Y-%m}"}
        return export_rows(name, session_columns(), sessions)
    try:
        wanted = int(request.GET.get("sessions") or selectors.MIN_SESSIONS_PER_MONTH)
    except ValueError:
        wanted = selectors.MIN_SESSIONS_PER_MONTH
    wanted = max(selectors.MIN_SESSIONS_PER_MONTH, min(wanted, 20))
    can_edit = selectors.is_secretary_of(request.user, community)
    return render(
        request,
        "field/mobile_desk.html",
        {
            "community": community,
            "month": first,
            "this_month": first == today.replace(day=1),
            "prev_month": (first - timedelta(days=1)).replace(day=1),
            "next_month": last + timedelta(days=1),
            "community_choices": selectors.community_choices(request.user),
            "sessions": sessions,
            "proposals": selectors.rotation_propose(community, first, wanted) if can_edit else [],
            "wanted": wanted,
            "priority": selectors.compound_priority(community, first)[:10],
            "form": SessionForm(community=community, initial={"date": first}),
            "can_edit": can_edit,
            "reception": selectors.reception_schedule(community),
            "grids": community.grids.order_by("pk"),
            "reception_form": ReceptionForm(),
            "min_sessions": selectors.MIN_SESSIONS_PER_MONTH,
        },
    )


def _back_to_month(community: Community, day: date) -> HttpResponse:
    return redirect(reverse("field:mobile_desk") + f"?community={community.pk}&month={day:%Y-%m}")


@login_required
@require_POST
def session_new(request: HttpRequest) -> HttpResponse:
    community = _community(request)
    _secretary_or_403(request, community)
    form = SessionForm(request.POST, community=community)
    if form.is_valid():
        try:
            session = services.session_create(
                actor=request_actor(request), community=community, data=_session_data(form)
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("已安排流动服务点。"))
            return _back_to_month(community, session.date)
    else:
        messages.error(request, _("请检查填写的内容：%(e)s") % {"e": form.errors.as_text()})
    return _back_to_month(community, timezone.localdate())


@login_required
@require_POST
def sessions_adopt(request: HttpRequest) -> HttpResponse:
    """Adopt the planner's proposal for the month as real sessions."""
    community = _community(request)
    _secretary_or_403(request, community)
    month = _month(request.POST.get("month"), timezone.localdate())
    try:
        wanted = int(request.POST.get("sessions") or selectors.MIN_SESSIONS_PER_MONTH)
    except ValueError:
        wanted = selectors.MIN_SESSIONS_PER_MONTH
    proposals = selectors.rotation_propose(community, month, wanted)
    try:
        created = services.sessions_create(
            actor=request_actor(request),
            community=community,
            sessions=[
                services.SessionData(
                    compound=p.compound,
                    date=p.date,
                    starts_at=p.starts_at,
                    ends_at=p.ends_at,
                    staff=tuple(p.staff),
                )
                for p in proposals
            ],
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("已按建议安排 %(n)s 场流动服务点。") % {"n": len(created)})
    return _back_to_month(community, month)


def _session_or_404(request: HttpRequest, session_id: int) -> MobileDeskSession:
    _profile(request)
    return get_object_or_404(
        MobileDeskSession.objects.select_related("community"),
        pk=session_id,
        community__in=communities_for(request.user),
    )


@login_required
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_or_404(request, session_id)
    community = session.community
    _secretary_or_403(request, community)
    initial = {
        "compound": session.compound_id,
        "date": session.date,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "staff": list(session.staff.all()),
        "note": session.note,
    }
    form = SessionForm(request.POST or None, community=community, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                actor=request_actor(request), session=session, data=_session_data(form)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存。"))
            return _back_to_month(community, session.date)
    return render(request, "field/session_edit.html", {"form": form, "session": session})


@login_required
@require_POST
def session_remove(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_or_404(request, session_id)
    services.session_delete(actor=request_actor(request), session=session)
    messages.success(request, _("已删除该场流动服务点。"))
    return _back_to_month(session.community, session.date)


@login_required
@require_POST
def reception_set(request: HttpRequest, grid_id: int) -> HttpResponse:
    _profile(request)
    grid = get_object_or_404(
        Grid.objects.select_related("community"),
        pk=grid_id,
        community__in=communities_for(request.user),
    )
    form = ReceptionForm(request.POST)
    if form.is_valid():
        try:
            services.reception_slot_set(
                actor=request_actor(request), grid=grid, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("已更新网格会客厅安排。"))
    else:
        messages.error(request, _("请选择星期和时段。"))
    return redirect(reverse("field:mobile_desk") + f"?community={grid.community_id}")


# --- field capture (PWA) ----------------------------------------------------------------------


@login_required
def capture(request: HttpRequest) -> HttpResponse:
    """民情日记: the phone page for the mobile desk. Works offline (see static/field/capture.js)."""
    community = access.own_community(_profile(request))
    if community is None:
        raise PermissionDenied(_("只有社区工作人员可以记录民情日记。"))
    today = MobileDeskSession.objects.filter(community=community, date=timezone.localdate())
    mine_today = today.filter(staff=request_actor(request)).first() or today.first()
    return render(
        request,
        "field/capture.html",
        {
            "community": community,
            # the compound of today's mobile desk, if any; else the worker must pick one
            "session_compound": mine_today.compound_id if mine_today else None,
            "compounds": community.compounds.order_by("name"),
            "items": items_for(community).filter(level="community").order_by("name"),
        },
    )


@login_required
@require_POST
def capture_sync(request: HttpRequest) -> JsonResponse:
    """Sync queued diary entries: {"entries": [...]} → {"results": [{uuid, ok, code|error}]}.
    Idempotent on each entry's uuid, so the phone may retry as often as it likes."""
    community = access.own_community(_profile(request))
    if community is None:
        raise PermissionDenied
    try:
        payload = json.loads(request.body or b"{}")
        entries = list(payload.get("entries", []))[:100]
    except (ValueError, AttributeError, TypeError):
        return JsonResponse({"error": _("数据格式错误。")}, status=400)
    results = []
    for raw in entries:
        if not isinstance(raw, dict):
            continue
        uid = str(raw.get("uuid", ""))
        try:
            results.append(_sync_one(request, community, raw, uid))
        except ValidationError as error:
            results.append({"uuid": uid, "ok": False, "error": _errors(error)})
    return JsonResponse({"results": results})


def _sync_one(
    request: HttpRequest, community: Community, raw: dict[str, Any], uid: str
) -> dict[str, Any]:
    compound_id = str(raw.get("compound") or "")
    compound = (
        Compound.objects.filter(community=community, pk=compound_id).first()
        if compound_id.isdigit()
        else None
    )
    item_id = str(raw.get("item") or "")
    item = items_for(community).filter(pk=item_id).first() if item_id.isdigit() else None
    if item is None and not raw.get("settle_now"):
        # routed like the desk: the same router and threshold (below it a person routes)
        item, _confidence = safe_auto_route(str(raw.get("text") or ""), community)
    captured = parse_datetime(str(raw.get("captured_at") or ""))
    entry, created = services.diary_sync(
        actor=request_actor(request),
        community=community,
        data=services.DiaryData(
            client_uuid=uid,
            compound=compound,
            text=str(raw.get("text") or ""),
            item=item,
            settle_now=bool(raw.get("settle_now")),
            reply=str(raw.get("reply") or ""),
            contact_name=str(raw.get("contact_name") or ""),
            captured_at=captured if captured and timezone.is_aware(captured) else None,
        ),
    )
    return {
        "uuid": uid,
        "ok": True,
        "created": created,
        "code": entry.case.tracking_code,
        "settled": entry.case.settled_on_spot,
    }


def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installable to the home screen, opening on the capture page."""
    return JsonResponse(
        {
            "name": _("家门口·民情日记"),
            "short_name": _("民情日记"),
            "start_url": reverse("field:capture"),
            "scope": "/field/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#2f7d5b",
            "lang": "zh-CN",
            "icons": [
                {"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /field/ so that its scope covers the capture page."""
    response = render(
        request,
        "field/sw.js",
        {
            "precache_json": json.dumps(
                [
                    reverse("field:capture"),
                    static("doorstep/app.css"),
                    static("vendor/htmx.min.js"),
                    static("field/capture.js"),
                    static("field/icon-192.png"),
                ]
            ),
            "version": "v1",
        },
        content_type="application/javascript",
    )
    response["Service-Worker-Allowed"] = "/field/"
    response["Cache-Control"] = "no-cache"
    return response


# --- rota -------------------------------------------------------------------------------------


@login_required
def rota(request: HttpRequest) -> HttpResponse:
    """值班表: who holds the desk, who goes out on Friday, A/B pairs, gaps."""
    community = _community(request)
    return render(
        request,
        "field/rota.html",
        {
            "community": community,
            "community_choices": selectors.community_choices(request.user),
            "week": selectors.rota_week(community, timezone.localdate()),
            "periods": Period.choices,
            "weekdays": dict(Weekday.choices),
            "form": RotaForm(community=community),
            "pair_form": PostPairForm(community=community),
            "pairs": selectors.post_pairs(community),
            "can_edit": selectors.is_secretary_of(request.user, community),
        },
    )


@login_required
@require_POST
def rota_set(request: HttpRequest) -> HttpResponse:
    community = _community(request)
    form = RotaForm(request.POST, community=community)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.rota_entry_set(
                actor=request_actor(request),
                community=community,
                weekday=d["weekday"],
                period=d["period"],
                worker=d["worker"],
                duty=None if d["duty"] == "clear" else d["duty"],
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("值班表已更新。"))
    else:
        messages.error(request, _("请检查填写的内容：%(e)s") % {"e": form.errors.as_text()})
    return redirect(reverse("field:rota") + f"?community={community.pk}")


@login_required
@require_POST
def pair_create(request: HttpRequest) -> HttpResponse:
    community = _community(request)
    form = PostPairForm(request.POST, community=community)
    if form.is_valid():
        try:
            services.post_pair_create(
                actor=request_actor(request), community=community, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("已设置AB岗。"))
    else:
        messages.error(request, _("请检查填写的内容：%(e)s") % {"e": form.errors.as_text()})
    return redirect(reverse("field:rota") + f"?community={community.pk}")


# --- home visits ------------------------------------------------------------------------------


PLANNED_SHOWN = 200


@login_required
def visits(request: HttpRequest) -> HttpResponseBase:
    """入户走访: plans, the next planned visits, and the visit list (filtered by `VisitFilter`,
    keyset pages, newest first; `?format=xlsx` downloads the filtered list)."""
    community = _community(request)
    qs = selectors.visits_for(community)
    planned = qs.filter(outcome=VisitOutcome.PLANNED)
    context: dict[str, Any] = {
        "community": community,
        "community_choices": selectors.community_choices(request.user),
        "form": VisitPlanForm(),
        "outcomes": VisitOutcome.choices,
        "planned": planned.order_by("plan_id", "pk")[:PLANNED_SHOWN],
        "planned_count": planned.count(),
        "planned_shown": PLANNED_SHOWN,
    }
    try:
        visit_filter = VisitFilter.from_params(request.GET)
    except ValidationError as error:
        context.update(filter=VisitFilter(), error=_errors(error))
        return render(request, "field/visits.html", context, status=400)
    listed = visit_filter.apply(qs)
    if wants_xlsx(request):
        name = _("%(c)s入户走访") % {"c": community.name}
        return export_queryset(request, listed, visit_columns(), name, ordering=BY_ID)
    context.update(
        filter=visit_filter,
        here=urlencode({"community": community.pk, **visit_filter.query()}),
    )
    try:
        context["page"] = paginate(
            listed,
            cursor=request.GET.get("cursor"),
            digest=visit_filter.digest(request.user.pk, community.pk),
            ordering=BY_ID,
        )
    except CursorError as error:
        context["error"] = _errors(error)
        return render(request, "field/visits.html", context, status=400)
    return render(request, "field/visits.html", context)


@login_required
@require_POST
def visit_plan_new(request: HttpRequest) -> HttpResponse:
    community = _community(request)
    form = VisitPlanForm(request.POST)
    if form.is_valid():
        try:
            plan = services.visit_plan_create(
                actor=request_actor(request),
                community=community,
                rule=form.cleaned_data["rule"],
                months=form.cleaned_data["months"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request,
                _("已生成走访计划“%(t)s”，共 %(n)s 户。")
                % {"t": plan.title, "n": plan.visits.count()},
            )
    else:
        messages.error(request, _("请检查填写的内容：%(e)s") % {"e": form.errors.as_text()})
    return redirect(reverse("field:visits") + f"?community={community.pk}")


@login_required
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    _profile(request)
    visit = get_object_or_404(
        HomeVisit.objects.select_related("household__building__compound", "resident", "case"),
        pk=visit_id,
        community__in=communities_for(request.user),
    )
    form = VisitRecordForm(
        request.POST or None, initial={"visited_on": timezone.localdate(), "outcome": "met"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(actor=request_actor(request), visit=visit, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if visit.case is not None:
                messages.success(
                    request,
                    _("已记录走访，并登记事项 %(code)s。") % {"code": visit.case.tracking_code},
                )
            else:
                messages.success(request, _("已记录走访。"))
            return redirect(reverse("field:visits") + f"?community={visit.community_id}")
    return render(request, "field/visit_detail.html", {"visit": visit, "form": form})


# --- residents: nearest station and schedule --------------------------------------------------


def _float(value: str | None) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return number if -180 <= number <= 180 else None


def stations(request: HttpRequest) -> HttpResponse:
    """居民端: stations within a 15-minute walk, and when the mobile desk comes."""
    compounds = Compound.objects.filter(latitude__isnull=False).select_related("community")
    origin = None
    matches: list[Compound] = []
    error = ""
    compound_id = request.GET.get("compound", "")
    address = request.GET.get("address", "").strip()[:100]
    lat, lng = _float(request.GET.get("lat")), _float(request.GET.get("lng"))
    if compound_id.isdigit():
        chosen = compounds.filter(pk=compound_id).first()
        if chosen:
            origin = (chosen.latitude, chosen.longitude, chosen.name)
    elif address:
        matches = selectors.compound_match(address)
        if matches:
            first = matches[0]
            origin = (first.latitude, first.longitude, first.name)
        else:
            error = _("没有找到与“%(a)s”相符的小区，请换个说法或直接选择小区。") % {"a": address}
    elif lat is not None and lng is not None and -90 <= lat <= 90:
        origin = (lat, lng, _("您的位置"))
    elif request.GET.get("lat") or request.GET.get("lng"):
        error = _("坐标格式不正确。")
    found = (
        selectors.nearest_stations(float(origin[0]), float(origin[1]))  # type: ignore[arg-type]
        if origin
        else []
    )
    today = timezone.localdate()
    # With a place given, show the desk schedule of the communities whose stations are near.
    near = {s.station.community_id for s in found} or None
    schedule = selectors.public_schedule(today)
    reception = selectors.reception_schedule()
    if near:
        schedule = [s for s in schedule if s.community_id in near]
        reception = [r for r in reception if r.grid.community_id in near]
    return render(
        request,
        "field/stations.html",
        {
            "compounds": compounds.order_by("community__name", "name"),
            "origin": origin,
            "matches": matches[1:],
            "found": found,
            "error": error,
            "radius": selectors.WALK_RADIUS_M,
            "schedule": schedule,
            "reception": reception,
            "compound_id": compound_id,
            "address": address,
        },
    )
