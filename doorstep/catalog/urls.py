from django.urls import path

from . import views

urlpatterns = [
    path("desk/catalog/", views.catalog, name="catalog"),
    path("desk/catalog/search/", views.catalog_search, name="catalog_search"),
    path("desk/catalog/new/", views.item_edit, name="catalog_item_new"),
    path("desk/catalog/<int:item_id>/edit/", views.item_edit, name="catalog_item_edit"),
]
