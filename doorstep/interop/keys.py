"""The district admin's key page (接口密钥): issue API tokens and Open311 keys, each shown
once; the district's tokens in keyset pages (`?format=xlsx` for all of them, never the key).
Thin: the writes are `api_token_issue` and `open311_client_issue`."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from doorstep.api.models import ApiToken
from doorstep.api.services import api_token_issue, staff_in_district
from doorstep.core.exports import Column, export_queryset, page_or_refuse, refusals, wants_xlsx
from doorstep.core.keyset import NEWEST_FIRST, query_digest
from doorstep.core.parsing import bounded_int
from doorstep.core.types import request_actor
from doorstep.places import access
from doorstep.places.models import Street
from doorstep.places.selectors import communities_for

from .models import Open311Client
from .services import open311_client_issue


def token_columns() -> list[Column[ApiToken]]:
    return [
        Column(_("工作人员"), lambda t: t.user.staff.display_name),
        Column(_("账号"), lambda t: t.user.username),
        Column(_("用途"), lambda t: t.name),
        Column(_("开具时间"), lambda t: t.created_at),
        Column(_("最近使用"), lambda t: t.last_used_at),
    ]


@login_required
@refusals
def keys(request: HttpRequest) -> HttpResponseBase:
    profile = access.require(
        request.user, "interop.keys", _("只有区级管理员可以开具接口令牌和 Open311 密钥。")
    )
    actor = request_actor(request)
    new_key, error = "", ""
    if request.method == "POST":
        try:
            if request.POST.get("kind") == "open311":
                scope = request.POST.get("scope", "")
                kind, _sep, pk = scope.partition(":")
                _client, new_key = open311_client_issue(
                    actor=actor,
                    name=request.POST.get("name", ""),
                    community_id=bounded_int(pk) if kind == "c" else None,
                    street_id=bounded_int(pk) if kind == "s" else None,
                )
            else:
                _token, new_key = api_token_issue(
                    actor=actor,
                    user_id=bounded_int(request.POST.get("user")) or 0,
                    name=request.POST.get("name", ""),
                )
        except ValidationError as problem:
            error = "；".join(problem.messages)
    users = staff_in_district(actor)
    tokens = ApiToken.objects.filter(user__in=users).select_related("user__staff")
    if wants_xlsx(request) and request.method == "GET":
        return export_queryset(request, tokens, token_columns(), _("接口令牌"))
    digest = query_digest("api-tokens", request.user.pk)
    return render(
        request,
        "api/keys.html",
        {
            "new_key": new_key,
            "error": error,
            "users": users.select_related("staff"),
            "tokens": page_or_refuse(request, tokens, digest, NEWEST_FIRST, request.path),
            "clients": Open311Client.objects.filter(
                Q(street__district_id=profile.district_id)
                | Q(community__street__district_id=profile.district_id)
            ).select_related("street", "community"),
            "streets": Street.objects.filter(district_id=profile.district_id).order_by("pk"),
            "communities": communities_for(request.user).order_by("pk"),
        },
    )
