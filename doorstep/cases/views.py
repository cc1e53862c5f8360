"""Desk pages: home, intake, case list and detail with actions, secretary overview, batch."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.catalog.selectors import categories_with_items, items_for
from doorstep.core.keyset import CursorError, in_list_order, paginate
from doorstep.core.parsing import bounded_int
from doorstep.core.personal_search import (
    TOKEN_FIELD,
    posted_search,
    search_from_token,
    search_token_issue,
    url_search,
)
from doorstep.core.types import request_actor
from doorstep.core.widgets import choose_from
from doorstep.places import access
from doorstep.places.models import Building, Community, Resident, StaffProfile
from doorstep.places.selectors import communities_for, resident_search, staff_profile
from doorstep.places.services import resident_reveal
from doorstep.workdays.selectors import missing_years

from . import commands, selectors, services
from .choices import Status
from .exports import cases_xlsx
from .filters import CaseFilter
from .forms import (
    AssignForm,
    ClassifyForm,
    EscalateForm,
    IntakeForm,
    NoteForm,
    ReplyForm,
    RevealForm,
    TransferForm,
)
from .models import Case
from .search import MAX_QUERY
from .submissions import case_create_once, intake_token_new


def _profile_or_403(request: HttpRequest) -> StaffProfile:
    profile = staff_profile(request.user)
    if profile is None:
        raise PermissionDenied(_("该账号不是工作人员账号。"))
    return profile


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, aliases: dict[str, str]
) -> None:
    """Put a service's ValidationError on the form fields it names (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            name = aliases.get(field, field)
            form.add_error(name if name in form.fields else None, errs)
    else:
        form.add_error(None, error)


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    """A whole-number query parameter; anything else (typed by hand, truncated, beyond 64 bits)
    is the default."""
    return bounded_int(request.GET.get(name), default) or default


def _error_text(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


# The desk home's panels: each shows the first rows of one case-list view, in that list's
# order, says how many there are in all and links to the whole list (`?view=`).
PANEL_ROWS = {"mine": 20, "today": 15, "overdue": 20, "due_soon": 20, "queue": 20}
# 我在办 and 今日受理 show full rows (without the community); the others compact ones.
PANEL_RELATED = {
    "mine": ("item", "owner__staff"),
    "today": ("item", "owner__staff"),
    "overdue": selectors.COMPACT_ROW_RELATED,
    "due_soon": selectors.COMPACT_ROW_RELATED,
    "queue": selectors.COMPACT_ROW_RELATED,
}


def _panel(user: selectors.User, view: str) -> list[Case]:
    case_filter = CaseFilter(view=view)
    rows = in_list_order(case_filter.apply(user), case_filter.ordering)
    return list(selectors.joined_for_rows(rows, PANEL_RELATED[view])[: PANEL_ROWS[view]])


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """工作台: the figures from the read model (`selectors.desk_counts`, never a count of the
    case table), and five panels, each the first rows of its list with a link to the rest."""
    profile = _profile_or_403(request)
    user = request.user
    counts = selectors.desk_counts(user)
    context = {
        "today_cases": _panel(user, "today"),
        "today_count": counts.today,
        "mine": _panel(user, "mine"),
        "queue": _panel(user, "queue"),
        "due_soon": _panel(user, "due_soon"),
        "overdue": _panel(user, "overdue"),
        "overdue_count": counts.overdue,
        "mine_count": counts.mine,
        "queue_count": counts.queue,
        "needs_person_count": counts.needs_person,
        "missing_years": missing_years() if access.may(user, "case.see_missing_years") else [],
        "due_soon_count": counts.due_soon,
        "today": selectors.today(),
        "profile": profile,
    }
    return render(request, "cases/desk.html", context)


def _intake_community(request: HttpRequest) -> Community:
    profile = _profile_or_403(request)
    own = access.own_community(profile)
    if own is not None:
        return own
    community_id = request.GET.get("community") or request.POST.get("community")
    community = communities_for(request.user).filter(pk=community_id or 0).first()
    if community is None:
        community = communities_for(request.user).order_by("pk").first()
    if community is None or not access.may(request.user, "case.intake"):
        raise PermissionDenied(_("您无权登记社区事项。"))
    return community


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """受理登记: the desk's intake form. A valid form registers one case per form token and
    lands on the case's page; an invalid one comes back with every error and the choices kept."""
    community = _intake_community(request)
    form = IntakeForm(
        request.POST or None, community=community, initial={"form_token": intake_token_new()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            case, created = case_create_once(
                actor=request_actor(request),
                token=form.cleaned_data["form_token"],
                data=_intake_from(form.cleaned_data, community),
            )
        except ValidationError as error:
            add_service_errors(form, error, INTAKE_FIELD_ALIASES)
        else:
            _intake_done_message(request, case, created)
            return redirect("case_detail", case_id=case.pk)
    return render(request, "cases/intake.html", _intake_page(form, community))


# The service names a new resident's fields as the resident register does; the form prefixes them.
INTAKE_FIELD_ALIASES = {"name": "new_name", "phone": "new_phone", "id_number": "new_id_number"}


def _intake_from(data: dict[str, Any], community: Community) -> services.Intake:
    """The service's intake from the form's cleaned data."""
    return services.Intake(
        community=community,
        channel=data["channel"],
        description=data["description"],
        item=data["item"],
        resident=data["resident"],
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        new_resident={
            "name": data["new_name"],
            "phone": data["new_phone"],
            "id_number": data["new_id_number"],
        },
        compound=data["compound"],
        building=data["building"],
        settle_now=data["settle_now"],
        reply=data["reply"],
        suggested_item=data["suggested_item"],
        routing_confidence=data["routing_confidence"],
    )


def _intake_done_message(request: HttpRequest, case: Case, created: bool) -> None:
    """The confirmation line on the case page: the tracking code and the promise, or that this
    form had been sent already."""
    if not created:
        messages.info(request, _("这张登记表已提交过，没有重复登记。"))
    elif case.settled_on_spot:
        messages.success(request, _("已当场办结，查询码 %(code)s。") % {"code": case.tracking_code})
    else:
        messages.success(
            request,
            _("已登记，查询码 %(code)s，承诺 %(due)s 前办结。")
            % {"code": case.tracking_code, "due": case.due_date},
        )


def _intake_page(form: IntakeForm, community: Community) -> dict[str, Any]:
    """The intake page's context. After an error the chosen item, resident and building are
    shown again, read within the community so a tampered id shows nothing."""
    chosen_item = form["item"].value()
    chosen_resident = form["resident"].value()
    compound_id = form["compound"].value()
    return {
        "form": form,
        "fresh_token": intake_token_new(),
        "error_count": sum(len(errors) for errors in form.errors.values()),
        "community": community,
        "compounds": community.compounds.order_by("name"),
        # the chosen compound's buildings, so a building choice survives an error
        "buildings": Building.objects.filter(
            compound__community=community, compound_id=compound_id
        ).order_by("pk")
        if str(compound_id or "").isdigit()
        else [],
        "chosen_item": items_for(community).filter(pk=chosen_item).first() if chosen_item else None,
        "chosen_resident": Resident.objects.filter(pk=chosen_resident, community=community).first()
        if chosen_resident
        else None,
    }


@login_required
@require_POST
def resident_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: residents matching name / pinyin / phone / last 4 of ID, masked. A POST, so a
    full phone or ID number never lands in a URL or an access log."""
    _profile_or_403(request)
    residents = resident_search(request.user, posted_search(request))
    return render(request, "cases/_resident_results.html", {"residents": residents})


@login_required
def buildings_for_compound(request: HttpRequest) -> HttpResponse:
    community = _intake_community(request)
    buildings = Building.objects.filter(
        compound__community=community, compound_id=_int_param(request, "compound", 0)
    ).order_by("pk")
    return render(request, "cases/_building_options.html", {"buildings": buildings})


@login_required
def case_list(request: HttpRequest) -> HttpResponseBase:
    """Every case in the user's area, 50 a page, by cursor (next / previous); `format=xlsx`
    exports the filtered list. The search box is POSTed and comes back as an opaque `s` token
    (it may hold a phone or ID tail); `?q=` in a link carries words and tracking codes only."""
    _profile_or_403(request)
    if request.method == "POST":
        return _case_search_redirect(request)
    q, refused = url_search(request.GET.get("q"), limit=MAX_QUERY + 1)
    q = _capped(request, q)
    if refused:
        messages.warning(request, _("电话和身份证号不能放在网址里，请在搜索框中输入。"))
    kept = search_from_token(request)
    case_filter = CaseFilter.from_params({**request.GET.dict(), "q": kept or q})
    if request.GET.get("format") == "xlsx":
        return cases_xlsx(
            request, case_filter.apply(request.user), _("事项台账"), case_filter.ordering
        )
    links = QueryDict(mutable=True)
    links.update({"status": case_filter.status, "view": case_filter.view})
    links.update({TOKEN_FIELD: request.GET[TOKEN_FIELD]} if kept else {"q": case_filter.q})
    context: dict[str, Any] = {
        "filter": case_filter,
        "statuses": Status.choices,
        "today": selectors.today(),  # the rows colour overdue and due-today promises
        "links": links.urlencode(),
        "standing_in_shown": case_filter.view == "mine",  # only 我在办's rows are marked 代岗
    }
    try:
        context["page"] = paginate(
            selectors.joined_for_rows(case_filter.apply(request.user)),
            cursor=request.GET.get("cursor"),
            digest=case_filter.digest(request.user, "desk"),
            ordering=case_filter.ordering,
        )
    except CursorError as error:
        context["error"] = _error_text(error)
        return render(request, "cases/case_list.html", context, status=400)
    return render(request, "cases/case_list.html", context)


def _capped(request: HttpRequest, text: str) -> str:
    if len(text) > MAX_QUERY:
        messages.warning(request, _("搜索内容过长，只按前 %(n)s 个字搜索。") % {"n": MAX_QUERY})
    return text[:MAX_QUERY]


def _case_search_redirect(request: HttpRequest) -> HttpResponse:
    """The list with the POSTed search kept in the session, an opaque token in the URL."""
    text = _capped(request, posted_search(request, limit=MAX_QUERY + 1))
    params = QueryDict(mutable=True)
    for name in ("status", "view"):
        if request.POST.get(name):
            params[name] = request.POST[name][:20]
    token = search_token_issue(request, text)
    if token:
        params[TOKEN_FIELD] = token
    return redirect(f"{request.path}?{params.urlencode()}")


def _case_or_404(request: HttpRequest, case_id: int) -> Case:
    try:
        return selectors.case_get(request.user, case_id)
    except Case.DoesNotExist:
        raise Http404(_("事项不存在")) from None


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case, its timeline and the actions open to it. The actions' long lists (catalogue,
    assignees, departments, communities) are not built here: each is fetched from
    `case_choices` when its panel opens, so the page costs the same for every worker."""
    profile = _profile_or_403(request)
    try:
        case = selectors.case_detail(request.user, case_id)
    except Case.DoesNotExist:
        raise Http404(_("事项不存在")) from None
    _header_places_from(case, profile)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "events": case.events.all(),
            "rating": getattr(case, "rating", None),
            # Each action form carries `case.version` (the stale-form guard) as a plain field.
            "escalation_targets": EscalateForm.base_fields["target"].choices,  # type: ignore[attr-defined]
            "today": selectors.today(),
        },
    )


def _header_places_from(case: Case, profile: StaffProfile) -> None:
    """The page header names the worker's community (or street). Most often it is the case's,
    loaded with it already: hand that over instead of reading it again."""
    if profile.community_id is not None:
        if profile.community_id == case.community_id:
            profile.community = case.community
    elif profile.street_id is not None and profile.street_id == case.community.street_id:
        profile.street = case.community.street


# The actions whose list the case page fetches when their panel opens, and that list's field.
CHOICE_FIELDS: dict[str, str] = {
    "classify": "item",
    "assign": "assignee",
    "escalate": "department",
    "transfer": "community",
}


@login_required
def case_choices(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """htmx: one action's list for the case page (the `<select>`), from the command layer's
    choices — the same rows the action's POST accepts."""
    _profile_or_403(request)
    if action not in CHOICE_FIELDS:
        raise Http404
    case = _case_or_404(request, case_id)
    context: dict[str, Any] = {"action": action, "case": case}
    if action == "classify":
        context["item_groups"] = categories_with_items(case.community)
    else:
        form = _with_choices(ACTION_FORMS[action](), case)
        context["field"] = form[CHOICE_FIELDS[action]]
    return render(request, "cases/_case_choices.html", context)


# Which form reads each command's fields on the desk (the commands themselves: cases/commands.py).
ACTION_FORMS: dict[str, type[forms.Form]] = {
    "accept": NoteForm,
    "classify": ClassifyForm,
    "assign": AssignForm,
    "escalate": EscalateForm,
    "transfer": TransferForm,
    "reply": ReplyForm,
    "resolve": ReplyForm,
    "reject": NoteForm,
    "reopen": NoteForm,
}


def _with_choices(form: forms.Form, case: Case) -> forms.Form:
    """The desk's lists are the command layer's choices, so desk and API pick from the same rows."""
    if "item" in form.fields:
        choose_from(form, "item", commands.item_choices(case))
    if "assignee" in form.fields:
        choose_from(form, "assignee", commands.assignee_choices(case))
    if "community" in form.fields:
        choose_from(form, "community", commands.transfer_targets(case))
    return form


@login_required
@require_POST
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    _profile_or_403(request)
    case = _case_or_404(request, case_id)
    if action not in ACTION_FORMS:
        raise Http404
    form = _with_choices(ACTION_FORMS[action](request.POST), case)
    if not form.is_valid():
        messages.error(request, _("提交的内容有误：%(errors)s") % {"errors": form.errors.as_text()})
        return redirect("case_detail", case_id=case.pk)
    data = form.cleaned_data
    names = ("note", "reply", "item", "assignee", "target", "department", "community")
    try:
        commands.run(
            request_actor(request),
            case,
            action,
            commands.Arguments(version=data["version"], **{n: data[n] for n in names if n in data}),
        )
    except Case.DoesNotExist:
        raise Http404(_("事项不存在")) from None
    except (ValidationError, PermissionDenied) as error:
        text = _error_text(error) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return redirect("case_detail", case_id=case.pk)
    messages.success(request, commands.DONE[action])
    if not selectors.cases_visible_to(request.user).filter(pk=case.pk).exists():
        return redirect("desk")
    return redirect("case_detail", case_id=case.pk)


@login_required
@require_POST
def reveal(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Show a resident's phone or ID number in full, with a reason; audited (htmx fragment)."""
    _profile_or_403(request)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("请填写查看理由。"), status=400)
    try:
        value = resident_reveal(
            actor=request_actor(request),
            resident_id=resident_id,
            field=form.cleaned_data["field"],
            reason=form.cleaned_data["reason"],
        )
    except Resident.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        return HttpResponse(_error_text(error), status=400)
    return HttpResponse(f'<span class="code">{value}</span>')


@login_required
@require_POST
def description_reveal(request: HttpRequest, case_id: int) -> HttpResponse:
    """The description as typed, phones and ID numbers included; audited (htmx fragment)."""
    _profile_or_403(request)
    try:
        text = services.case_description_reveal(
            actor=request_actor(request), case_id=case_id, reason=request.POST.get("reason", "")
        )
    except Case.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        return HttpResponse(_error_text(error), status=400)
    return HttpResponse(escape(text))


@login_required
def batch(request: HttpRequest) -> HttpResponse:
    """周五集中报送: open cases needing upper approval, for this week's Friday; printable."""
    _profile_or_403(request)
    today = selectors.today()
    friday = today + timedelta(days=(4 - today.weekday()) % 7)
    cases = selectors.batch_for_week(request.user, friday)
    return render(request, "cases/batch.html", {"cases": cases, "friday": friday})
