from django.contrib import admin
from django.urls import include, path

from doorstep.core import views as core_views
from doorstep.ops import metrics

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("login/", core_views.LoginView.as_view(), name="login"),
    path("logout/", core_views.logout_view, name="logout"),
    path("exports/", core_views.exports, name="exports"),
    path("exports/<int:job_id>/download/", core_views.export_download, name="export_download"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("workdays/", include("doorstep.workdays.urls")),
    path("", include("doorstep.places.urls")),
    path("", include("doorstep.cases.urls")),
    path("", include("doorstep.catalog.urls")),
    path("", include("doorstep.routing.urls")),
    path("", include("doorstep.portal.urls")),
    path("api/v1/", include("doorstep.api.urls")),
    path("", include("doorstep.field.urls")),
    path("", include("doorstep.programmes.urls")),
    path("", include("doorstep.fund.urls")),
    path("", include("doorstep.certificates.urls")),
    path("", include("doorstep.subsidy.urls")),
    path("", include("doorstep.assistance.urls")),
    path("", include("doorstep.canteen.urls")),
    path("", include("doorstep.interop.urls")),
    path("keys/", include("doorstep.interop.key_urls")),
    path("", include("doorstep.dashboard.urls")),
    path("", include("doorstep.bookings.urls")),
    path("", include("doorstep.volunteers.urls")),
    path("", include("doorstep.workforce.urls")),
    path("", include("doorstep.participation.urls")),
]

handler400 = "doorstep.core.views.bad_request"
handler403 = "doorstep.core.views.permission_denied"
handler404 = "doorstep.core.views.page_not_found"
handler500 = "doorstep.core.views.server_error"
