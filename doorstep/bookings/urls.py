from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    # desk (工作人员)
    path("desk/bookings/", views.desk, name="desk"),
    path("desk/bookings/facilities/new/", views.facility_create, name="facility_create"),
    path("desk/bookings/facilities/<int:facility_id>/", views.facility, name="facility"),
    path(
        "desk/bookings/facilities/<int:facility_id>/rules/",
        views.facility_update,
        name="facility_update",
    ),
    path(
        "desk/bookings/facilities/<int:facility_id>/book/",
        views.book_on_behalf,
        name="book_on_behalf",
    ),
    path(
        "desk/bookings/facilities/<int:facility_id>/series/",
        views.series_create,
        name="series_create",
    ),
    path("desk/bookings/series/<int:series_id>/cancel/", views.series_cancel, name="series_cancel"),
    path("desk/bookings/<int:booking_id>/cancel/", views.booking_cancel, name="cancel"),
    path("desk/bookings/<int:booking_id>/decide/", views.booking_decide, name="decide"),
    path("desk/bookings/<int:booking_id>/check-in/", views.booking_check_in, name="check_in"),
    path("desk/bookings/pass/", views.pass_issue, name="pass_issue"),
    # portal (居民端)
    path("book/", views.portal_index, name="portal"),
    path("book/pass/", views.portal_pass, name="portal_pass"),
    path("book/<int:facility_id>/", views.portal_facility, name="portal_facility"),
    path("book/<int:facility_id>/calendar.ics", views.facility_ical, name="facility_ical"),
    path("book/bookings/<int:booking_id>/cancel/", views.portal_cancel, name="portal_cancel"),
    path("book/bookings/<int:booking_id>/check-in/", views.portal_check_in, name="portal_check_in"),
    path("book/waitlist/<int:entry_id>/accept/", views.portal_accept, name="portal_accept"),
]
