from django.urls import path

from . import keys

urlpatterns = [path("", keys.keys, name="api_keys")]
