"""API tokens and Open311 keys are issued by a service on the district admin's page, once."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from doorstep.api.models import ApiToken, token_hash
from doorstep.api.services import api_token_issue
from doorstep.conftest import World
from doorstep.core.models import AuditEntry
from doorstep.interop.models import Open311Client, api_key_hash

pytestmark = pytest.mark.django_db


def test_district_admin_issues_a_token_shown_once(world: World, client: Client) -> None:
    client.force_login(world.district_user)
    response = client.post("/keys/", {"kind": "api", "user": world.desk_a.pk, "name": "街道大屏"})
    key = response.context["new_key"]
    assert key.startswith("ds_") and key in response.content.decode()
    token = ApiToken.objects.get(name="街道大屏")
    assert token.user == world.desk_a and token.key_hash == token_hash(key)
    assert key not in client.get("/keys/").content.decode()
    assert AuditEntry.objects.filter(action="api_token_issue", actor=world.district_user).exists()


def test_district_admin_issues_an_open311_key(world: World, client: Client) -> None:
    client.force_login(world.district_user)
    response = client.post(
        "/keys/", {"kind": "open311", "name": "市民App", "scope": f"c:{world.a.pk}"}
    )
    key = response.context["new_key"]
    client_app = Open311Client.objects.get(name="市民App")
    assert client_app.community == world.a and client_app.api_key_hash == api_key_hash(key)
    assert AuditEntry.objects.filter(action="open311_key_issue").exists()


def test_bad_scope_or_user_is_a_message_not_a_500(world: World, client: Client) -> None:
    client.force_login(world.district_user)
    for data in (
        {"kind": "open311", "name": "x", "scope": "c:99999999999999999999999"},
        {"kind": "api", "user": "abc", "name": "x"},
    ):
        response = client.post("/keys/", data)
        assert response.status_code == 200 and response.context["error"]
    assert not ApiToken.objects.exists() and not Open311Client.objects.exists()


def test_only_the_district_admin_issues_keys(world: World, client: Client) -> None:
    client.force_login(world.secretary_a)
    assert client.get("/keys/").status_code == 403
    with pytest.raises(PermissionDenied):
        api_token_issue(actor=world.street_user, user_id=world.desk_a.pk, name="x")


def test_post_with_a_bad_or_missing_token_is_401_not_csrf_403(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    for headers in ({"Authorization": "Bearer ds_wrong"}, {}):
        response = client.post(
            "/api/v1/cases", {"description": "x"}, content_type="application/json", headers=headers
        )
        assert response.status_code == 401, response.content
        assert response.json()["code"] == "unauthenticated"
