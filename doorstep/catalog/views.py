"""Catalogue pages: the browser (three lists) and the desk's item search."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from doorstep.places.selectors import communities_for, staff_profile

from .models import Resource
from .selectors import categories_with_items, demand_counts, item_search


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    profile = staff_profile(request.user)
    community = profile.community if profile else None
    return render(
        request,
        "catalog/catalog.html",
        {
            "groups": categories_with_items(community),
            "resources": Resource.objects.select_related("department", "category"),
            "demands": demand_counts(communities_for(request.user)),
        },
    )


@login_required
def catalog_search(request: HttpRequest) -> HttpResponse:
    profile = staff_profile(request.user)
    items = item_search(request.GET.get("item_q", ""), profile.community if profile else None)
    return render(request, "catalog/_search_results.html", {"items": items})
