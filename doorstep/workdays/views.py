"""The working-day calendar page for district admins (工作日历)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from doorstep.places.models import District

from . import selectors, services
from .forms import LocalDayForm, OfficialYearForm, TryForm


def _back(year: int | None = None) -> HttpResponseRedirect:
    url = reverse("workdays:years")
    return HttpResponseRedirect(f"{url}?year={year}" if year else url)


@login_required
@require_http_methods(["GET", "POST"])
def years(request: HttpRequest) -> HttpResponse:
    profile = services.require_district_admin(request.user)
    district = profile.district
    today = timezone.localdate()
    year_list = [today.year - 1, today.year, today.year + 1]

    selected = today.year + 1
    try:
        if int(request.GET.get("year", "")) in year_list:
            selected = int(request.GET["year"])
    except ValueError:
        pass
    official_form = OfficialYearForm(
        years=year_list,
        initial={"year": selected, "text": selectors.arrangement_text(selected)},
    )
    local_form = LocalDayForm()
    status = 200

    action = request.POST.get("action") if request.method == "POST" else None
    if action == "official":
        official_form = OfficialYearForm(request.POST, years=year_list)
        if _enter_official(request, official_form):
            return _back(official_form.cleaned_data["year"])
        status = 400
    elif action == "local_set":
        local_form = LocalDayForm(request.POST)
        if _set_local(request, local_form, district):
            return _back()
        status = 400
    elif action == "local_delete":
        _delete_local(request, district)
        return _back()
    elif action is not None:
        return _back()

    try_form = TryForm(request.GET if "start" in request.GET else None, initial={"start": today})
    due = None
    if try_form.is_bound and try_form.is_valid():
        due = selectors.add_working_days(
            try_form.cleaned_data["start"], try_form.cleaned_data["n"], district_id=district.pk
        )

    context = {
        "district": district,
        "overview": selectors.years_overview(year_list),
        "missing": selectors.missing_years(today),
        "local_days": selectors.local_days(district.pk, since=today - timedelta(days=366)),
        "official_form": official_form,
        "local_form": local_form,
        "try_form": try_form,
        "due": due,
        "selected_year": selected,
    }
    return render(request, "workdays/years.html", context, status=status)


def _enter_official(request: HttpRequest, form: OfficialYearForm) -> bool:
    """Save the pasted State Council arrangement; False (errors on the form) if invalid."""
    if not form.is_valid():
        return False
    year = form.cleaned_data["year"]
    try:
        services.official_year_enter(
            actor=request.user,
            year=year,
            holidays=form.arrangement.holidays,
            workdays=form.arrangement.workdays,
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        form.add_error("text", exc)
        return False
    messages.success(request, _("已保存 %(year)s 年的放假与调休安排。") % {"year": year})
    return True


def _set_local(request: HttpRequest, form: LocalDayForm, district: District) -> bool:
    """Save one district day (本区日期); False (errors on the form) if invalid."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.local_day_set(
            actor=request.user,
            district=district,
            day=data["day"],
            kind=data["kind"],
            name=data["name"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, _("已保存本区日期 %(date)s。") % {"date": data["day"].isoformat()})
    return True


def _delete_local(request: HttpRequest, district: District) -> None:
    try:
        day: date | None = date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        day = None
    if day is not None and services.local_day_delete(
        actor=request.user, district=district, day=day
    ):
        messages.success(request, _("已删除本区日期 %(date)s。") % {"date": day.isoformat()})
