from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="portal_home"),
    path("track/", views.track, name="portal_track"),
    path("mine/", views.mine, name="portal_mine"),
    path("track/<str:code>/", views.track, name="portal_track_code"),
]
