from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    # desk (组织者)
    path("desk/volunteers/", views.desk, name="desk"),
    path("desk/volunteers/<int:volunteer_id>/", views.volunteer, name="volunteer"),
    path("desk/volunteers/register/", views.volunteer_register, name="register"),
    path("desk/volunteers/teams/new/", views.team_create, name="team_create"),
    path("desk/volunteers/teams/<int:team_id>/", views.team, name="team"),
    path("desk/volunteers/teams/<int:team_id>/members/", views.team_member_add, name="member_add"),
    path("desk/volunteers/activities/new/", views.activity_create, name="activity_create"),
    path("desk/volunteers/activities/<int:activity_id>/", views.activity, name="activity"),
    path(
        "desk/volunteers/activities/<int:activity_id>/signup/",
        views.signup_on_behalf,
        name="signup_on_behalf",
    ),
    path("desk/volunteers/activities/<int:activity_id>/post/", views.hours_post, name="hours_post"),
    path("desk/volunteers/signups/<int:signup_id>/correct/", views.signup_correct, name="correct"),
    path("desk/volunteers/signups/<int:signup_id>/no-show/", views.signup_no_show, name="no_show"),
    path("desk/volunteers/signups/<int:signup_id>/cancel/", views.signup_cancel, name="cancel"),
    path("desk/volunteers/roster/", views.roster, name="roster"),
    path("desk/volunteers/hours/", views.hours, name="hours"),
    # portal (志愿者)
    path("volunteer/", views.portal_me, name="portal"),
    path("volunteer/shifts/<int:shift_id>/signup/", views.portal_signup, name="portal_signup"),
    path("volunteer/signups/<int:signup_id>/cancel/", views.portal_cancel, name="portal_cancel"),
    path("volunteer/signups/<int:signup_id>/claim/", views.portal_claim, name="portal_claim"),
    path("volunteer/checkin/<str:token>/", views.checkin, name="checkin"),
    path(
        "volunteer/activities/<int:activity_id>/calendar.ics",
        views.activity_ical,
        name="activity_ical",
    ),
]
