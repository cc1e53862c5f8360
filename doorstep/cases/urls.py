from django.urls import path

from . import views

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/intake/", views.intake, name="intake"),
    path("desk/residents/", views.resident_lookup, name="resident_lookup"),
    path("desk/residents/<int:resident_id>/reveal/", views.reveal, name="resident_reveal"),
    path("desk/buildings/", views.buildings_for_compound, name="buildings_for_compound"),
    path("desk/cases/", views.case_list, name="case_list"),
    path("desk/cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path(
        "desk/cases/<int:case_id>/reveal/",
        views.description_reveal,
        name="case_description_reveal",
    ),
    path(
        "desk/cases/<int:case_id>/choices/<slug:action>/",
        views.case_choices,
        name="case_choices",
    ),
    path("desk/cases/<int:case_id>/<slug:action>/", views.case_action, name="case_action"),
    path("desk/batch/", views.batch, name="batch"),
]
