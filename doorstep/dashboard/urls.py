from django.urls import path

from . import views

urlpatterns = [
    path("community/", views.community_overview, name="community_overview"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/cases/", views.case_list, name="dashboard_cases"),
    path("dashboard/kpi/", views.glossary, name="dashboard_glossary"),
    path("dashboard/demands/", views.demands, name="dashboard_demands"),
    path("dashboard/tv/", views.tv, name="dashboard_tv"),
    path("dashboard/workers/", views.workers, name="dashboard_workers"),
    path("dashboard/weights/", views.weights, name="dashboard_weights"),
    path(
        "dashboard/workers/<int:worker_id>/scorecard.pdf",
        views.scorecard_pdf,
        name="dashboard_scorecard_pdf",
    ),
    path("dashboard/briefing.pdf", views.briefing_pdf, name="dashboard_briefing"),
]
