from django.urls import path

from . import views

urlpatterns = [
    path("desk/routing/suggest/", views.routing_suggest, name="routing_suggest"),
    path("desk/routing/", views.routing_admin, name="routing_admin"),
]
