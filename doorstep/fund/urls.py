"""fund URLs — the paths are those of the former `programs` app (unchanged)."""

from django.urls import path

from . import views

app_name = "fund"

urlpatterns = [
    path("programs/fund/", views.fund, name="index"),
    path("programs/fund/donate/", views.fund_donate, name="donate"),
    path("programs/fund/request/", views.fund_request, name="request"),
    path("programs/fund/requests/<int:request_id>/approve/", views.fund_approve, name="approve"),
    path("programs/fund/requests/<int:request_id>/reject/", views.fund_reject, name="reject"),
    path("fund/<int:community_id>/", views.fund_public, name="public"),
]
