from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/cases/", views.case_list, name="dashboard_cases"),
    path("dashboard/kpi/", views.glossary, name="dashboard_glossary"),
    path("dashboard/tv/", views.tv, name="dashboard_tv"),
    path("dashboard/workers/", views.workers, name="dashboard_workers"),
]
