from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("workforce/", views.index, name="index"),
    path("workforce/workers/<int:worker_id>/", views.worker_detail, name="worker"),
    path(
        "workforce/workers/<int:worker_id>/<str:action>/", views.worker_action, name="worker_action"
    ),
    path(
        "workforce/external/<int:entry_id>/decide/", views.external_decide, name="external_decide"
    ),
    path("workforce/training/", views.training, name="training"),
    path("workforce/training/<str:action>/", views.training_action, name="training_action"),
    path("workforce/leave/", views.leave, name="leave"),
    path("workforce/leave/<str:action>/", views.leave_action, name="leave_action"),
    path("workforce/onsite/", views.onsite, name="onsite"),
    path("workforce/onsite/<str:action>/", views.onsite_action, name="onsite_action"),
    path("workforce/video/", views.video, name="video"),
    path("workforce/video/book/", views.video_book, name="video_book"),
    path("workforce/fees/", views.fee_counter, name="fees"),
    path("workforce/fees/<str:action>/", views.fee_action, name="fee_action"),
    path("stations/onsite/", views.public_onsite, name="public_onsite"),
]
