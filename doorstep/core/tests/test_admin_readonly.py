"""The admin cannot add, change or delete anything with a lifecycle or an audit trail."""

import pytest
from django.contrib.admin import site
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from doorstep.api.models import ApiToken
from doorstep.assistance.models import AssistanceApplication
from doorstep.catalog.models import Demand
from doorstep.certificates.models import Certificate
from doorstep.core.models import AuditEntry
from doorstep.fund.models import FundEntry
from doorstep.interop.models import HotlineOrder, Notification, Open311Client
from doorstep.places.models import StaffProfile
from doorstep.subsidy.models import SubsidyEnrolment

pytestmark = pytest.mark.django_db

LIFECYCLE = [
    AuditEntry,
    ApiToken,
    Open311Client,
    HotlineOrder,
    Notification,
    StaffProfile,
    Certificate,
    SubsidyEnrolment,
    AssistanceApplication,
    FundEntry,
    Demand,
]


@pytest.mark.parametrize("model", LIFECYCLE, ids=lambda m: m.__name__)
def test_lifecycle_models_are_read_only_in_the_admin(model: type) -> None:
    admin = get_user_model().objects.create_superuser("root", password="x" * 12)
    request = RequestFactory().get("/")
    request.user = admin
    model_admin = site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_audit_entry_cannot_be_added_through_the_admin(client: Client) -> None:
    admin = get_user_model().objects.create_superuser("root", password="x" * 12)
    client.force_login(admin)
    response = client.post(
        "/admin/core/auditentry/add/",
        {
            "actor": admin.pk,
            "action": "reveal",
            "object_type": "x",
            "object_id": "1",
            "reason": "x",
        },
    )
    assert response.status_code == 403
    assert not AuditEntry.objects.exists()
