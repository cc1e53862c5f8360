from django.urls import path

from . import views

app_name = "participation"

urlpatterns = [
    # desk: projects through the three meetings (三会)
    path("participation/", views.index, name="index"),
    path("participation/projects/new/", views.project_new, name="project_new"),
    path("participation/projects/<int:project_id>/", views.project_detail, name="project"),
    path(
        "participation/projects/<int:project_id>/meetings/",
        views.meeting_schedule,
        name="meeting_schedule",
    ),
    path("participation/projects/<int:project_id>/start/", views.project_start, name="start"),
    path(
        "participation/projects/<int:project_id>/complete/", views.project_complete, name="complete"
    ),
    path("participation/projects/<int:project_id>/spend/", views.project_spend, name="spend"),
    path("participation/meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("participation/meetings/<int:meeting_id>/sign-in/", views.meeting_sign_in, name="sign_in"),
    path(
        "participation/meetings/<int:meeting_id>/register/",
        views.meeting_register_on_behalf,
        name="register_on_behalf",
    ),
    path(
        "participation/meetings/<int:meeting_id>/cancel/",
        views.meeting_cancel_registration,
        name="cancel_registration",
    ),
    path("participation/meetings/<int:meeting_id>/votes/", views.vote_tally, name="vote_tally"),
    path(
        "participation/meetings/<int:meeting_id>/votes/<int:vote_id>/confirm/",
        views.vote_confirm,
        name="vote_confirm",
    ),
    path("participation/meetings/<int:meeting_id>/scores/", views.score_add, name="score_add"),
    path("participation/meetings/<int:meeting_id>/close/", views.meeting_close, name="close"),
    # desk: ten practical things (十件实事)
    path("participation/things/", views.things, name="things"),
    path("participation/things/adopt/", views.plan_adopt, name="plan_adopt"),
    path("participation/things/add/", views.thing_add, name="thing_add"),
    path("participation/things/street/", views.street_view, name="street"),
    path("participation/things/<int:thing_id>/", views.thing_detail, name="thing"),
    path("participation/things/<int:thing_id>/evidence/", views.evidence_add, name="evidence_add"),
    path(
        "participation/milestones/<int:milestone_id>/progress/",
        views.milestone_progress,
        name="milestone_progress",
    ),
    path(
        "participation/milestones/<int:milestone_id>/cases/",
        views.milestone_cases,
        name="milestone_cases",
    ),
    # portal (public)
    path("p/<int:project_id>/", views.public_project, name="public_project"),
    path("p/<int:project_id>/comment/", views.public_comment, name="public_comment"),
    path("p/community/<int:community_id>/", views.public_projects, name="public_projects"),
    path("p/meetings/<int:meeting_id>/register/", views.public_register, name="public_register"),
    path("p/meetings/<int:meeting_id>/cancel/", views.public_cancel, name="public_cancel"),
    path("p/photos/<int:photo_id>/", views.public_photo, name="photo"),
    path("p/evidence/<int:evidence_id>/", views.public_evidence, name="evidence"),
    path("things/<int:community_id>/<int:year>/", views.public_things, name="public_things"),
]
