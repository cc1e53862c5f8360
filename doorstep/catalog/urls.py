from django.urls import path

from . import views

urlpatterns = [
    path("desk/catalog/", views.catalog, name="catalog"),
    path("desk/catalog/search/", views.catalog_search, name="catalog_search"),
]
