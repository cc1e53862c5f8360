"""The resident register (居民台账): the residents of the viewer's area, filtered, keyset pages,
`?format=xlsx` for the same rows."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.exports import export_queryset, list_refused, wants_xlsx
from doorstep.core.keyset import CursorError, paginate
from doorstep.core.types import request_actor

from .exports import resident_columns
from .filters import FLAGS, ResidentFilter
from .selectors import communities_for, residents_visible_to, staff_profile


@login_required
def resident_list(request: HttpRequest) -> HttpResponseBase:
    actor = request_actor(request)
    if staff_profile(actor) is None:
        raise PermissionDenied(_("只有工作人员可以查看居民台账。"))
    resident_filter = ResidentFilter.from_params(request.GET)
    qs = resident_filter.apply(residents_visible_to(actor), timezone.localdate())
    if wants_xlsx(request):
        return export_queryset(request, qs, resident_columns(), _("居民台账"))
    try:
        page = paginate(
            qs, cursor=request.GET.get("cursor"), digest=resident_filter.digest(actor.pk)
        )
    except CursorError as error:
        return list_refused(request, _("翻页参数有误"), " ".join(error.messages), request.path)
    context = {
        "page": page,
        "filter": resident_filter,
        "flags": FLAGS,
        "communities": communities_for(actor).order_by("pk"),
        "here": urlencode(resident_filter.query()),
    }
    return render(request, "places/resident_list.html", context)
