from django.urls import path

from . import views

urlpatterns = [path("", views.keys, name="api_keys")]
