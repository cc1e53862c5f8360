from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("programs/", views.index, name="index"),
    # 一元爱心基金
    path("programs/fund/", views.fund, name="fund"),
    path("programs/fund/donate/", views.fund_donate, name="fund_donate"),
    path("programs/fund/request/", views.fund_request, name="fund_request"),
    path(
        "programs/fund/requests/<int:request_id>/approve/", views.fund_approve, name="fund_approve"
    ),
    path("programs/fund/requests/<int:request_id>/reject/", views.fund_reject, name="fund_reject"),
    path("fund/<int:community_id>/", views.fund_public, name="fund_public"),
    # 证明
    path("programs/certificates/", views.certificates, name="certificates"),
    path("programs/certificates/issue/", views.certificate_issue, name="certificate_issue"),
    path("programs/certificates/case/", views.certificate_for_case, name="certificate_for_case"),
    path(
        "programs/certificates/<int:certificate_id>/pdf/",
        views.certificate_pdf_view,
        name="certificate_pdf",
    ),
    path(
        "programs/certificates/<int:certificate_id>/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
    path(
        "programs/certificates/templates/",
        views.certificate_templates,
        name="certificate_templates",
    ),
    path(
        "programs/certificates/templates/<slug:kind>/",
        views.certificate_templates,
        name="certificate_template",
    ),
    path("verify/<str:serial>/", views.verify, name="verify"),
    # 高龄补贴
    path("programs/subsidy/", views.subsidy, name="subsidy"),
    path("programs/subsidy/propose/", views.subsidy_propose, name="subsidy_propose"),
    path("programs/subsidy/confirm/", views.subsidy_confirm, name="subsidy_confirm"),
    path("programs/subsidy/remind/", views.subsidy_remind, name="subsidy_remind"),
    path(
        "programs/subsidy/<int:enrolment_id>/certify/",
        views.subsidy_certify,
        name="subsidy_certify",
    ),
    path("programs/subsidy/report/", views.subsidy_report, name="subsidy_report"),
    # 综合帮扶
    path("programs/assistance/", views.assistance, name="assistance"),
    path("programs/assistance/apply/", views.assistance_apply, name="assistance_apply"),
    path("programs/assistance/panel/", views.panel_member_add, name="panel_member_add"),
    path("programs/assistance/summary/", views.assistance_summary, name="assistance_summary"),
    path(
        "programs/assistance/<int:application_id>/",
        views.assistance_detail,
        name="assistance_detail",
    ),
    path(
        "programs/assistance/<int:application_id>/vote/",
        views.assistance_vote,
        name="assistance_vote",
    ),
    path(
        "programs/assistance/<int:application_id>/decide/",
        views.assistance_decide,
        name="assistance_decide",
    ),
    path(
        "programs/assistance/<int:application_id>/disburse/",
        views.assistance_disburse,
        name="assistance_disburse",
    ),
    # 社区食堂
    path("programs/canteen/", views.canteen, name="canteen"),
    path("programs/canteen/meal/", views.canteen_meal, name="canteen_meal"),
    path("programs/canteen/claim/", views.canteen_claim, name="canteen_claim"),
    path("programs/canteen/claim.xlsx", views.canteen_claim_xlsx, name="canteen_claim_xlsx"),
]
