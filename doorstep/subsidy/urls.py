"""subsidy URLs — the paths are those of the former `programs` app (unchanged)."""

from django.urls import path

from . import views

app_name = "subsidy"

urlpatterns = [
    path("programs/subsidy/", views.subsidy, name="index"),
    path("programs/subsidy/propose/", views.subsidy_propose, name="propose"),
    path("programs/subsidy/confirm/", views.subsidy_confirm, name="confirm"),
    path("programs/subsidy/remind/", views.subsidy_remind, name="remind"),
    path("programs/subsidy/<int:enrolment_id>/certify/", views.subsidy_certify, name="certify"),
    path("programs/subsidy/report/", views.subsidy_report, name="report"),
]
