"""certificates URLs — the paths are those of the former `programs` app (unchanged)."""

from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("programs/certificates/", views.certificates, name="index"),
    path("programs/certificates/issue/", views.certificate_issue, name="issue"),
    path("programs/certificates/case/", views.certificate_for_case, name="for_case"),
    path("programs/certificates/<int:certificate_id>/pdf/", views.certificate_pdf_view, name="pdf"),
    path(
        "programs/certificates/<int:certificate_id>/revoke/",
        views.certificate_revoke,
        name="revoke",
    ),
    path("programs/certificates/templates/", views.certificate_templates, name="templates"),
    path(
        "programs/certificates/templates/<slug:kind>/", views.certificate_templates, name="template"
    ),
    path("verify/<str:serial>/", views.verify, name="verify"),
]
