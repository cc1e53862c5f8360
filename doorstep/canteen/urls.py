"""canteen URLs — the paths are those of the former `programs` app (unchanged)."""

from django.urls import path

from . import views

app_name = "canteen"

urlpatterns = [
    path("programs/canteen/", views.canteen, name="index"),
    path("programs/canteen/meal/", views.canteen_meal, name="meal"),
    path("programs/canteen/claim/", views.canteen_claim, name="claim"),
    path("programs/canteen/claim.xlsx", views.canteen_claim_xlsx, name="claim_xlsx"),
]
