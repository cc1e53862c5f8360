"""Catalogue pages: the browser (three lists) and the desk's item search."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from doorstep.core.parsing import search_text
from doorstep.core.types import request_actor
from doorstep.places.choices import Role
from doorstep.places.selectors import communities_for, staff_profile

from .choices import Scope
from .forms import ItemForm
from .models import Resource, ServiceItem
from .selectors import categories_with_items, demand_counts, item_code_next, item_search
from .services import item_save
from .translations import localise


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    profile = staff_profile(request.user)
    community = profile.community if profile else None
    query = request.GET.get("q", "").strip()[:50]
    found = item_search(query, community, limit=50) if query else None
    groups = categories_with_items(community)
    localise([c for c, _items in groups])
    localise([i for _c, items in groups for i in items] + (found or []))
    return render(
        request,
        "catalog/catalog.html",
        {
            "q": query,
            "found": found,
            "groups": groups,
            "resources": Resource.objects.select_related("department", "category"),
            "demands": demand_counts(communities_for(request.user)),
        },
    )


@login_required
def catalog_search(request: HttpRequest) -> HttpResponse:
    profile = staff_profile(request.user)
    query = search_text(request.GET.get("item_q", ""))
    items = item_search(query, profile.community if profile else None)
    return render(request, "catalog/_search_results.html", {"items": items})


@login_required
def item_edit(request: HttpRequest, item_id: int | None = None) -> HttpResponse:
    """District admins edit standard items (规定动作); a secretary adds and edits her
    community's local items (自选动作)."""
    profile = staff_profile(request.user)
    if profile is None or profile.role not in (Role.DISTRICT, Role.SECRETARY):
        raise PermissionDenied(_("只有区级管理员和社区书记可以维护服务清单。"))
    if item_id is None:
        item = ServiceItem()
        if profile.role == Role.SECRETARY:
            item.scope, item.community = Scope.LOCAL, profile.community
    else:
        found = ServiceItem.objects.filter(pk=item_id).first()
        if found is None or (
            found.scope == Scope.LOCAL and found.community_id != profile.community_id
        ):
            raise Http404
        item = found
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            item_save(actor=request_actor(request), item=form.save(commit=False))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("服务事项已保存。"))
            return redirect("catalog")
    # The code is given when the item is saved (`item_save`); this shows which one it will be.
    code = item.code or item_code_next(item.scope, item.community_id)
    return render(request, "catalog/item_form.html", {"form": form, "item": item, "code": code})
