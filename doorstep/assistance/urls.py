"""assistance URLs — the paths are those of the former `programs` app (unchanged)."""

from django.urls import path

from . import views

app_name = "assistance"

urlpatterns = [
    path("programs/assistance/", views.assistance, name="index"),
    path("programs/assistance/apply/", views.assistance_apply, name="apply"),
    path("programs/assistance/panel/", views.panel_member_add, name="panel_member_add"),
    path("programs/assistance/summary/", views.assistance_summary, name="summary"),
    path("programs/assistance/<int:application_id>/", views.assistance_detail, name="detail"),
    path("programs/assistance/<int:application_id>/vote/", views.assistance_vote, name="vote"),
    path(
        "programs/assistance/<int:application_id>/decide/", views.assistance_decide, name="decide"
    ),
    path(
        "programs/assistance/<int:application_id>/disburse/",
        views.assistance_disburse,
        name="disburse",
    ),
]
