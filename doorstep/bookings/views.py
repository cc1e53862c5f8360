"""Booking pages: the desk (staff) and the portal (residents). Thin: forms parse, services
write, selectors read; a refused booking is a Chinese message and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.core import throttle
from doorstep.core.exports import export_queryset, page_or_refuse, refusals, wants_xlsx
from doorstep.core.keyset import Page, query_digest
from doorstep.core.parsing import bounded_int
from doorstep.core.personal_search import posted_search
from doorstep.core.types import request_actor
from doorstep.places import access
from doorstep.places.models import Community, Resident
from doorstep.places.selectors import communities_for, resident_search

from . import selectors, services
from .choices import BookingStatus
from .exports import booking_columns
from .filters import BY_START, BookingFilter
from .forms import FacilityForm, OnBehalfForm, SeriesForm, SlotForm
from .ical import FeedEvent, ical_feed
from .models import Booking, Facility
from .portal import portal_enter, portal_leave, portal_resident


def _error_text(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


def _day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return default


def _staff(request: HttpRequest) -> None:
    access.require(request.user, "bookings.desk", _("您的岗位无权查看此页面。"))


def _community(request: HttpRequest) -> Community:
    """The community the desk works on: the worker's own, or `?community=` in their area. A
    community they may not work on does not exist for them (404) — a community worker asking
    for another community is not quietly shown their own."""
    wanted = bounded_int(request.GET.get("community") or request.POST.get("community")) or None
    community = access.working_community(request.user, wanted)
    if community is None or (wanted is not None and community.pk != wanted):
        raise Http404
    return community


def _staff_action(view: Callable[..., str]) -> Callable[..., HttpResponse]:
    """A desk POST that calls one service: refusals become a message, missing objects 404."""

    @wraps(view)
    @login_required
    @require_POST
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        _staff(request)
        back = request.POST.get("next") or reverse("bookings:desk")
        if not back.startswith("/") or back.startswith("//"):
            back = reverse("bookings:desk")
        try:
            message = view(request, **kwargs)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        except ObjectDoesNotExist:
            raise Http404 from None
        else:
            messages.success(request, message)
        return redirect(back)

    return wrapper


# ---------------------------------------------------------------- desk


APPROVALS = "approvals"  # `?list=approvals&format=xlsx`: the approvals card's download
APPROVALS_PAGE = 10  # a card above the booking list: short pages keep the list in sight


def _approvals(request: HttpRequest, community: Community, here: str) -> Page[Booking]:
    """待审批: every pending booking of the community, soonest first, 10 a page with its own
    cursor (`acursor`) so paging it leaves the booking list's filters alone."""
    pending = selectors.community_approvals(request.user, community)
    digest = query_digest("booking-approvals", request.user.pk, community.pk)
    back = f"{request.path}?{here}"
    return page_or_refuse(
        request, pending, digest, BY_START, back, param="acursor", size=APPROVALS_PAGE
    )


@login_required
@refusals
def desk(request: HttpRequest) -> HttpResponseBase:
    """预约工作台: facilities, usage, approvals and the booking list (one `BookingFilter` with
    the API; keyset pages soonest first; `?format=xlsx` downloads the filtered list, and
    `?list=approvals&format=xlsx` the pending approvals)."""
    _staff(request)
    community = _community(request)
    today = timezone.localdate()
    facilities = selectors.facilities_visible_to(request.user).filter(community=community)
    flt = BookingFilter.from_query(request.GET)
    bookings = flt.apply(selectors.facility_bookings(facilities), today)
    if wants_xlsx(request):
        if request.GET.get("list") == APPROVALS:
            pending = selectors.community_approvals(request.user, community)
            name = _("%(c)s待审批预约") % {"c": community.name}
            return export_queryset(request, pending, booking_columns(), name, ordering=BY_START)
        name = _("%(c)s场地预约") % {"c": community.name}
        return export_queryset(request, bookings, booking_columns(), name, ordering=BY_START)
    here = urlencode({"community": community.pk, **flt.query()})
    digest = flt.digest(request.user.pk, community.pk)
    page = page_or_refuse(request, bookings, digest, BY_START, f"{request.path}?{here}")
    since = today - timedelta(days=29)
    q = posted_search(request)
    return render(
        request,
        "bookings/desk.html",
        {
            "page": page,
            "here": here,
            "community": community,
            "communities": communities_for(request.user).order_by("pk"),
            "facilities": facilities,
            "usage": selectors.facility_usage(
                facilities, selectors.day_bounds(since)[0], selectors.day_bounds(today)[1]
            ),
            "since": since,
            "filter": flt,
            "statuses": BookingStatus.choices,
            "pending": _approvals(request, community, here),
            "q": q,
            "residents": resident_search(request.user, q) if q else [],
            "facility_form": FacilityForm(),
            "can_setup": access.may(request.user, "bookings.setup"),
        },
    )


@login_required
def facility(request: HttpRequest, facility_id: int) -> HttpResponse:
    _staff(request)
    found = selectors.facilities_visible_to(request.user).filter(pk=facility_id).first()
    if found is None:
        raise Http404
    today = timezone.localdate()
    day = _day(request.GET.get("day"), today)
    monday = day - timedelta(days=day.weekday())
    start, _end = selectors.day_bounds(monday)
    week = selectors.facility_schedule(found, start, start + timedelta(days=7))
    days = [
        (
            monday + timedelta(days=n),
            [b for b in week if timezone.localdate(b.starts_at) == monday + timedelta(days=n)],
        )
        for n in range(7)
    ]
    q = posted_search(request)
    return render(
        request,
        "bookings/facility.html",
        {
            "facility": found,
            "days": days,
            "monday": monday,
            "prev_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
            "series": found.series.filter(cancelled_at__isnull=True).order_by("weekday"),
            "form": OnBehalfForm(initial={"day": day}),
            "series_form": SeriesForm(),
            "q": q,
            "residents": resident_search(request.user, q) if q else [],
            "events": found.events.select_related("actor__staff").order_by("-at", "-pk")[:15],
            "rules_form": FacilityForm(initial={k: getattr(found, k) for k in RULE_FIELDS}),
            "can_setup": access.may(request.user, "bookings.setup"),
        },
    )


@_staff_action
def book_on_behalf(request: HttpRequest, facility_id: int) -> str:
    form = OnBehalfForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("请填写日期、开始和结束时间。"))
    resident = None
    if form.cleaned_data["resident"]:
        resident = selectors.resident_for_desk(request.user, form.cleaned_data["resident"])
    start, end = form.slot()
    booking = services.booking_create(
        booker=services.Booker(
            actor=request_actor(request),
            resident=resident,
            group_name=form.cleaned_data["group_name"] or "",
        ),
        facility_id=facility_id,
        starts_at=start,
        ends_at=end,
    )
    return _("已为 %(who)s 预约 %(when)s。") % {
        "who": booking.holder,
        "when": f"{timezone.localtime(booking.starts_at):%m-%d %H:%M}",
    }


@_staff_action
def booking_cancel(request: HttpRequest, booking_id: int) -> str:
    services.booking_cancel(
        booker=services.Booker(actor=request_actor(request)), booking_id=booking_id
    )
    return _("预约已取消，空位已通知候补居民。")


@_staff_action
def booking_decide(request: HttpRequest, booking_id: int) -> str:
    approve = request.POST.get("decision") == "approve"
    services.booking_decide(
        actor=request_actor(request),
        booking_id=booking_id,
        approve=approve,
        note=request.POST.get("note", "")[:200],
    )
    return _("已通过。") if approve else _("已不予通过。")


@_staff_action
def booking_check_in(request: HttpRequest, booking_id: int) -> str:
    services.booking_check_in(
        booker=services.Booker(actor=request_actor(request)), booking_id=booking_id
    )
    return _("已登记到场。")


@_staff_action
def series_create(request: HttpRequest, facility_id: int) -> str:
    form = SeriesForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("请完整填写团体、星期、时间和日期范围。"))
    data = form.cleaned_data
    series = services.series_create(
        actor=request_actor(request),
        data=services.SeriesData(
            facility_id=facility_id,
            group_name=data["group_name"],
            weekday=data["weekday"],
            starts_at=data["start"],
            ends_at=data["end"],
            first_day=data["first_day"],
            last_day=data["last_day"],
        ),
    )
    return _("已设立 %(g)s 的固定时段，共 %(n)s 次。") % {
        "g": series.group_name,
        "n": series.bookings.count(),
    }


@_staff_action
def series_cancel(request: HttpRequest, series_id: int) -> str:
    n = services.series_cancel(
        actor=request_actor(request),
        series_id=series_id,
        reason=request.POST.get("reason", "")[:200],
    )
    return _("已整体取消 %(n)s 次预约。") % {"n": n}


RULE_FIELDS = (
    "name",
    "kind",
    "place",
    "capacity",
    "opens_at",
    "closes_at",
    "min_minutes",
    "max_minutes",
    "advance_days",
    "weekly_limit",
    "who_may_book",
    "needs_approval",
    "rules_note",
)


def _facility_data(request: HttpRequest, community_id: int) -> services.FacilityData:
    form = FacilityForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("场地信息不完整或格式不正确。"))
    return services.FacilityData(
        community_id=community_id, **{k: form.cleaned_data[k] for k in RULE_FIELDS}
    )


@_staff_action
def facility_create(request: HttpRequest) -> str:
    found = services.facility_save(
        actor=request_actor(request), data=_facility_data(request, _community(request).pk)
    )
    return _("已设立场地：%(n)s。") % {"n": found.name}


@_staff_action
def facility_update(request: HttpRequest, facility_id: int) -> str:
    current = selectors.facilities_visible_to(request.user).get(pk=facility_id)
    found = services.facility_save(
        actor=request_actor(request),
        data=_facility_data(request, current.community_id),
        facility_id=facility_id,
    )
    return _("已保存 %(n)s 的预约规则。") % {"n": found.name}


@login_required
@require_POST
def pass_issue(request: HttpRequest) -> HttpResponse:
    """Show the new 居民码 once, on a page the worker prints or reads out."""
    _staff(request)
    try:
        resident_id = int(request.POST.get("resident", "0"))
        resident = selectors.resident_for_desk(request.user, resident_id)
        code = services.pass_issue(actor=request_actor(request), resident_id=resident.pk)
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None
    return render(request, "bookings/pass.html", {"resident": resident, "code": code})


# ---------------------------------------------------------------- portal


def portal_index(request: HttpRequest) -> HttpResponse:
    resident = portal_resident(request)
    now = timezone.now()
    community_id = resident.community_id if resident else None
    wanted = request.GET.get("community", "")
    if wanted.isdigit() and len(wanted) < 12:
        community_id = int(wanted)
    return render(
        request,
        "bookings/portal_index.html",
        {
            "resident": resident,
            "communities": Community.objects.order_by("pk"),
            "community_id": community_id,
            "facilities": selectors.facilities_public(community_id) if community_id else [],
            "bookings": selectors.resident_bookings(resident, now) if resident else [],
            "waitlist": selectors.resident_waitlist(resident, now) if resident else [],
            "now": now,
        },
    )


@require_POST
@throttle.per_address("resident-code", throttle.RESIDENT_CODE_TRIES)
def portal_pass(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("next") or reverse("bookings:portal")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("bookings:portal")
    if request.POST.get("leave"):
        portal_leave(request)
        return redirect(back)
    if portal_enter(request, request.POST.get("code", "")) is None:
        messages.error(request, _("居民码不正确，请核对，或到社区服务站领取。"))
    return redirect(back)


def _public_facility(facility_id: int) -> Facility:
    found = selectors.facilities_public().filter(pk=facility_id).first()
    if found is None:
        raise Http404
    return found


def portal_facility(request: HttpRequest, facility_id: int) -> HttpResponse:
    found = _public_facility(facility_id)
    resident = portal_resident(request)
    today = timezone.localdate()
    day = _day(request.GET.get("day") or request.POST.get("day"), today)
    form = SlotForm(request.POST or None, initial={"day": day})
    waitlist_offer = None
    if request.method == "POST" and form.is_valid():
        if resident is None:
            messages.error(request, _("请先输入居民码。"))
        else:
            start, end = form.slot()
            try:
                if request.POST.get("waitlist"):
                    services.waitlist_join(
                        resident=resident, facility_id=found.pk, starts_at=start, ends_at=end
                    )
                    messages.success(request, _("已加入候补，空出时会通知您。"))
                else:
                    booking = services.booking_create(
                        booker=services.Booker(resident=resident),
                        facility_id=found.pk,
                        starts_at=start,
                        ends_at=end,
                    )
                    messages.success(
                        request,
                        _("预约成功：%(f)s %(w)s。")
                        % {
                            "f": found.name,
                            "w": f"{timezone.localtime(booking.starts_at):%m月%d日 %H:%M}",
                        }
                        if booking.status == BookingStatus.CONFIRMED
                        else _("已提交，等待社区审批。"),
                    )
                    return redirect(f"{reverse('bookings:portal')}")
            except ValidationError as error:
                form.add_error(None, _error_text(error))
                waitlist_offer = "已被预约" in _error_text(error)
    start, end = selectors.day_bounds(day)
    return render(
        request,
        "bookings/portal_facility.html",
        {
            "facility": found,
            "resident": resident,
            "day": day,
            "days": [today + timedelta(days=n) for n in range(min(found.advance_days, 13) + 1)],
            "taken": selectors.facility_schedule(found, start, end),
            "form": form,
            "waitlist_offer": waitlist_offer,
        },
    )


def _portal_action(request: HttpRequest, action: Callable[[Resident], str]) -> HttpResponse:
    resident = portal_resident(request)
    if resident is None:
        messages.error(request, _("请先输入居民码。"))
        return redirect("bookings:portal")
    try:
        messages.success(request, action(resident))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except ObjectDoesNotExist:
        raise Http404 from None
    return redirect("bookings:portal")


@require_POST
def portal_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    def act(resident: Resident) -> str:
        services.booking_cancel(booker=services.Booker(resident=resident), booking_id=booking_id)
        return _("预约已取消。")

    return _portal_action(request, act)


@require_POST
def portal_check_in(request: HttpRequest, booking_id: int) -> HttpResponse:
    def act(resident: Resident) -> str:
        services.booking_check_in(booker=services.Booker(resident=resident), booking_id=booking_id)
        return _("已签到，祝您使用愉快。")

    return _portal_action(request, act)


@require_POST
def portal_accept(request: HttpRequest, entry_id: int) -> HttpResponse:
    def act(resident: Resident) -> str:
        services.waitlist_accept(resident=resident, entry_id=entry_id)
        return _("候补成功，已为您预约。")

    return _portal_action(request, act)


def facility_ical(request: HttpRequest, facility_id: int) -> HttpResponse:
    """The facility's held slots from a week ago to two months ahead; no resident names."""
    found = _public_facility(facility_id)
    now = timezone.now()
    page = request.build_absolute_uri(reverse("bookings:portal_facility", args=[found.pk]))
    events = [
        FeedEvent(
            uid=f"booking-{b.pk}@doorstep",
            summary=f"{found.name}：{b.group_name or _('已预约')}",
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            location=found.place or found.community.name,
            url=page,
            stamp=b.created_at,
        )
        for b in selectors.facility_schedule(
            found, now - timedelta(days=7), now + timedelta(days=62)
        )
    ]
    response = HttpResponse(
        ical_feed(found.name, events), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="facility-{found.pk}.ics"'
    return response
