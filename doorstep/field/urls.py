from django.urls import path

from . import views

app_name = "field"

urlpatterns = [
    path("field/grid/", views.my_grid, name="grid"),
    path("field/coverage/", views.coverage, name="coverage"),
    path("field/coverage/heads/", views.head_create, name="head_create"),
    path(
        "field/coverage/buildings/<int:building_id>/contractor/",
        views.contractor_set,
        name="contractor_set",
    ),
    path("field/card/<int:community_id>.pdf", views.card, name="card"),
    path("field/mobile-desk/", views.mobile_desk, name="mobile_desk"),
    path("field/mobile-desk/new/", views.session_new, name="session_new"),
    path("field/mobile-desk/adopt/", views.sessions_adopt, name="sessions_adopt"),
    path("field/mobile-desk/<int:session_id>/", views.session_edit, name="session_edit"),
    path("field/mobile-desk/<int:session_id>/delete/", views.session_remove, name="session_remove"),
    path("field/reception/<int:grid_id>/", views.reception_set, name="reception_set"),
    path("field/capture/", views.capture, name="capture"),
    path("field/capture/sync/", views.capture_sync, name="capture_sync"),
    path("field/manifest.webmanifest", views.manifest, name="manifest"),
    path("field/sw.js", views.service_worker, name="service_worker"),
    path("field/rota/", views.rota, name="rota"),
    path("field/rota/set/", views.rota_set, name="rota_set"),
    path("field/rota/pairs/", views.pair_create, name="pair_create"),
    path("field/visits/", views.visits, name="visits"),
    path("field/visits/plan/", views.visit_plan_new, name="visit_plan_new"),
    path("field/visits/<int:visit_id>/", views.visit_detail, name="visit_detail"),
    path("stations/", views.stations, name="stations"),
]
