from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="portal_home"),
    path("track/", views.track, name="portal_track"),
    path("track/<str:code>/", views.track, name="portal_track_code"),
]
