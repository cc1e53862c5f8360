"""社区食堂 (community canteen) pages: thin views over `services` (writes) and `selectors`
(reads)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.exports import export_queryset, wants_xlsx
from doorstep.core.personal_search import posted_search
from doorstep.core.types import request_actor
from doorstep.places import access
from doorstep.places.selectors import communities_for, resident_search
from doorstep.programmes.web import (
    action,
    date_param,
    here,
    int_param,
    keyset_list,
    list_page,
    page_community,
    xlsx_url,
)

from . import selectors, services
from .exports import BY_RECORDED, claim_xlsx, meal_columns

# ---------------------------------------------------------------- canteen


@login_required
@keyset_list
def canteen(request: HttpRequest) -> HttpResponseBase:
    """One community's canteen on one day: recording, the delivery round and the day's meals
    (50 a page by cursor); `?format=xlsx` downloads the day's meals."""
    community = page_community(request)
    day = date_param(request.GET.get("day")) or timezone.localdate()
    meals = selectors.meals_on(request.user, community, day)
    if wants_xlsx(request):
        name = _("%(c)s社区食堂%(d)s用餐名单") % {"c": community.name, "d": f"{day:%Y-%m-%d}"}
        return export_queryset(request, meals, meal_columns(), name, ordering=BY_RECORDED)
    params = {"community": str(community.pk), "day": day.isoformat()}
    q = posted_search(request)
    rule = selectors.canteen_rule(community.street.district_id)
    residents = resident_search(request.user, q) if q else []
    return render(
        request,
        "canteen/index.html",
        {
            "community": community,
            "communities": communities_for(request.user).order_by("pk"),
            "day": day,
            "page": list_page(request, meals, name="canteen", params=params, ordering=BY_RECORDED),
            "here": here(params),
            "xlsx_url": xlsx_url(request),
            "deliveries": selectors.delivery_list(request.user, community, day),
            "rule": rule,
            "q": q,
            "candidates": [(r, selectors.meal_price(rule, r, day, False)) for r in residents],
            "can_record": access.may(request.user, "canteen.record"),
            "month": day.replace(day=1),
        },
    )


@action(lambda request, kwargs: reverse("canteen:index") + f"?day={request.POST.get('day', '')}")
def canteen_meal(request: HttpRequest) -> str:
    meal = services.meal_record(
        actor=request_actor(request),
        resident_id=int_param(request.POST.get("resident")),
        day=date_param(request.POST.get("day")) or timezone.localdate(),
        delivered=bool(request.POST.get("delivered")),
    )
    return _("已登记 %(name)s 的用餐，个人支付 ¥%(p)s。") % {
        "name": meal.resident.name,
        "p": meal.paid,
    }


def _claim(request: HttpRequest) -> selectors.CanteenClaim:
    community = page_community(request)
    month = date_param(request.GET.get("month")) or timezone.localdate().replace(day=1)
    return selectors.canteen_claim(request.user, community, month)


@login_required
def canteen_claim(request: HttpRequest) -> HttpResponse:
    """月度补贴申领表: the month's subsidised meals per resident; `?format=xlsx` downloads the
    same table with its totals."""
    claim = _claim(request)
    if wants_xlsx(request):
        response = HttpResponse(
            claim_xlsx(claim),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"canteen-claim-{claim.community.pk}-{claim.month:%Y-%m}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "canteen/claim.html", {"claim": claim})


def canteen_claim_xlsx(request: HttpRequest) -> HttpResponse:
    """The former download address (`claim.xlsx`): links and bookmarks to it still work."""
    params = request.GET.copy()
    params["format"] = "xlsx"
    return redirect(f"{reverse('canteen:claim')}?{params.urlencode()}", permanent=True)
