"""Open311 GeoReport v2: every JSON answer is validated against the official schemas."""

from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from doorstep.cases import services as case_services
from doorstep.cases.models import Case
from doorstep.conftest import World
from doorstep.interop.models import Open311Request

from .schema import DISCOVERY, ERRORS, swagger_array, validate

BASE = "/open311/v2"


def get(client: Client, path: str, schema: Any, expect: int = 200, **params: Any) -> Any:
    response = client.get(BASE + path, params)
    assert response.status_code == expect, response.content
    data = response.json()
    validate(data, schema)
    return data


def post(client: Client, data: dict[str, Any], status: int = 200, fmt: str = "json") -> Any:
    response = client.post(f"{BASE}/requests.{fmt}", data)
    assert response.status_code == status, response.content
    if fmt == "xml":
        return ET.fromstring(response.content)
    body = response.json()
    validate(body, swagger_array("RequestResponse") if status == 200 else ERRORS)
    return body


def xml(client: Client, path: str, status: int = 200, **params: Any) -> ET.Element:
    response = client.get(BASE + path, params)
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def new_request(client: Client, key: str, **extra: Any) -> str:
    data = {
        "api_key": key,
        "service_code": "GOV-RESIDENCE-CERT",
        "lat": "31.2101",
        "long": "121.6001",
        "description": "我要开个居住证明办医保用",
        **extra,
    }
    return str(post(client, data)[0]["service_request_id"])


def test_discovery_lists_the_endpoint_in_both_formats(db: None, client: Client) -> None:
    data = get(client, "/discovery.json", DISCOVERY)
    assert data["endpoints"][0]["url"].endswith("/open311/v2")
    root = xml(client, "/discovery.xml")
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert [f.text for f in endpoint.iter("format")] == ["text/xml", "application/json"]


def test_services_come_from_the_active_catalogue(world: World, client: Client) -> None:
    world.on_the_spot.active = False
    world.on_the_spot.save()
    data = get(client, "/services.json", "services.json")
    codes = {s["service_code"] for s in data}
    assert "GOV-RESIDENCE-CERT" in codes and "LEGAL-ANTI-FRAUD" not in codes
    cert = next(s for s in data if s["service_code"] == "GOV-RESIDENCE-CERT")
    assert cert["service_name"] == world.residence_cert.name
    assert cert["group"] == world.residence_cert.category.name
    assert cert["type"] == "realtime" and cert["metadata"] is True
    root = xml(client, "/services.xml")
    assert root.tag == "services"
    assert "GOV-RESIDENCE-CERT" in [e.text for e in root.iter("service_code")]


def test_service_definition_lists_materials_as_informational_attributes(
    world: World, client: Client
) -> None:
    data = get(client, "/services/GOV-RESIDENCE-CERT.json", "service-definition.json")
    materials = [a for a in data["attributes"] if a["code"].startswith("material_")]
    assert len(materials) == len(world.residence_cert.materials) > 0
    assert all(a["variable"] is False for a in data["attributes"])
    promise = next(a for a in data["attributes"] if a["code"] == "promise_days")
    assert str(world.residence_cert.promise_days) in promise["description"]
    assert xml(client, "/services/GOV-RESIDENCE-CERT.xml").tag == "service_definition"


def test_unknown_service_definition_is_404(db: None, client: Client) -> None:
    data = get(client, "/services/NO-SUCH.json", ERRORS, expect=404)
    assert data[0]["code"] == 404
    assert xml(client, "/services/NO-SUCH.xml", status=404).find("error/code").text == "404"  # type: ignore[union-attr]


def test_post_without_valid_api_key_is_403_and_writes_nothing(world: World, client: Client) -> None:
    body = post(client, {"api_key": "wrong", "service_code": "GOV-RESIDENCE-CERT"}, status=403)
    assert body[0]["code"] == 403
    assert Case.objects.count() == 0


def test_post_by_lat_long_files_an_app_case_at_the_nearest_compound(
    places: dict[str, Any], world: World, community_app: Any, client: Client
) -> None:
    code = new_request(
        client, community_app[1], first_name="秀英", last_name="王", phone="13812345678"
    )
    case = Case.objects.get(tracking_code=code)
    assert case.channel == "app" and case.first_responder is None
    assert case.community == world.a and case.compound == places["wusi76"]
    assert case.contact_name == "王秀英"
    assert case.item == world.residence_cert


def test_post_by_address_string_matches_a_compound_of_the_street(
    places: dict[str, Any], world: World, street_app: Any, client: Client
) -> None:
    body = post(
        client,
        {
            "api_key": street_app[1],
            "service_code": "GOV-RESIDENCE-CERT",
            "address_string": "浦东新区张江镇五四大街７８号院３号楼",
            "description": "开居住证明",
        },
    )
    case = Case.objects.get(tracking_code=body[0]["service_request_id"])
    assert case.community == world.b
    assert case.compound == places["wusi78"] and case.building == places["wusi78_b3"]


def test_street_app_without_a_location_is_400(
    world: World, street_app: Any, client: Client
) -> None:
    body = post(
        client,
        {"api_key": street_app[1], "service_code": "GOV-RESIDENCE-CERT", "description": "x"},
        status=400,
    )
    assert "位置" in body[0]["description"]
    assert Case.objects.count() == 0


def test_post_with_an_unknown_service_code_is_400(
    world: World, community_app: Any, client: Client
) -> None:
    body = post(client, {"api_key": community_app[1], "service_code": "NOPE"}, status=400)
    assert body[0]["code"] == 400


@pytest.mark.parametrize(
    "extra",
    [
        {"lat": "abc", "long": "121"},
        {"lat": "31.2"},
        {"email": "not-an-email"},
        {"service_code": ""},
    ],
)
def test_bad_post_parameters_are_400(
    world: World, community_app: Any, client: Client, extra: dict[str, str]
) -> None:
    data = {"api_key": community_app[1], "service_code": "GOV-RESIDENCE-CERT", **extra}
    post(client, data, status=400)
    assert Case.objects.count() == 0


def test_post_keeps_attributes_email_and_returns_a_token(
    world: World, community_app: Any, client: Client
) -> None:
    code = new_request(
        client, community_app[1], **{"attribute[room]": "3-201", "email": "wang@example.cn"}
    )
    stored = Open311Request.objects.get(case__tracking_code=code)
    assert stored.attributes == {"room": "3-201"}
    data = get(
        client, f"/tokens/{stored.token}.json", swagger_array("TokenResponse"), api_key="test-key-a"
    )
    assert data == [{"service_request_id": code, "token": stored.token}]
    root = xml(client, f"/tokens/{stored.token}.xml", api_key="test-key-a")
    assert root.find("request/service_request_id").text == code  # type: ignore[union-attr]
    get(client, "/tokens/nope.json", ERRORS, expect=404, api_key="test-key-a")


def test_post_answers_in_xml_too(world: World, community_app: Any, client: Client) -> None:
    root = post(
        client,
        {"api_key": community_app[1], "service_code": "GOV-RESIDENCE-CERT", "description": "证明"},
        fmt="xml",
    )
    assert root.tag == "service_requests"
    assert len(root.find("request/service_request_id").text or "") == 9


def test_request_shows_our_promise_handler_and_reply(
    world: World, community_app: Any, client: Client
) -> None:
    code = new_request(client, community_app[1])
    case = Case.objects.get(tracking_code=code)
    [data] = get(client, f"/requests/{code}.json", "requests.json", api_key="test-key-a")
    assert data["status"] == "open" and data["status_notes"] is None
    assert data["expected_datetime"].startswith(case.due_date.isoformat())  # type: ignore[union-attr]
    assert data["agency_responsible"] == world.a.name
    case_services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="证明已开好，请来取")
    [data] = get(client, f"/requests/{code}.json", "requests.json", api_key="test-key-a")
    assert data["status"] == "closed"
    assert data["status_notes"] == "证明已开好，请来取"
    assert data["agency_responsible"] == f"{world.a.name} 李前台"


def test_request_of_another_area_is_404(world: World, community_app: Any, client: Client) -> None:
    other = world.intake(world.desk_b, community=world.b, item=world.residence_cert)
    get(client, f"/requests/{other.tracking_code}.json", ERRORS, expect=404, api_key="test-key-a")
    get(client, f"/requests/{other.tracking_code}.json", ERRORS, expect=403, api_key="wrong")


def test_requests_filters_by_status_code_and_ids(
    world: World, community_app: Any, client: Client
) -> None:
    first = new_request(client, community_app[1])
    second = new_request(client, community_app[1], service_code="LEGAL-ANTI-FRAUD")
    case_services.case_resolve(
        actor=world.desk_a, case_id=Case.objects.get(tracking_code=second).pk, reply="已提醒"
    )
    key: dict[str, Any] = {"api_key": "test-key-a"}
    ids = lambda data: {r["service_request_id"] for r in data}  # noqa: E731
    assert ids(get(client, "/requests.json", "requests.json", **key)) == {first, second}
    assert ids(get(client, "/requests.json", "requests.json", status="open", **key)) == {first}
    assert ids(get(client, "/requests.json", "requests.json", status="closed", **key)) == {second}
    found = get(client, "/requests.json", "requests.json", service_code="LEGAL-ANTI-FRAUD", **key)
    assert ids(found) == {second}
    found = get(client, "/requests.json", "requests.json", service_request_id=f"{first},x", **key)
    assert ids(found) == {first}
    assert (
        get(client, "/requests.json", "requests.json", end_date="2000-01-01T00:00:00Z", **key) == []
    )
    get(client, "/requests.json", ERRORS, expect=400, start_date="yesterday", **key)


def test_requests_with_a_bad_status_filter_is_400(
    world: World, community_app: Any, client: Client
) -> None:
    response = client.get(f"{BASE}/requests.json", {"api_key": "test-key-a", "status": "pending"})
    assert response.status_code == 400
    validate(response.json(), ERRORS)


def test_xml_escapes_what_the_resident_typed(
    world: World, community_app: Any, client: Client
) -> None:
    text = '水管 <漏水> & 墙面\x07 发霉 "严重"'
    code = new_request(client, community_app[1], description=text)
    root = xml(client, f"/requests/{code}.xml", api_key="test-key-a")
    assert root.find("request/description").text == text.replace("\x07", "")  # type: ignore[union-attr]
    data = get(client, "/requests.json", "requests.json", api_key="test-key-a")
    assert data[0]["description"] == text


PHONE = "13911112222"


def test_public_reads_need_no_key_and_show_the_public_subset(
    places: dict[str, Any], world: World, community_app: Any, client: Client
) -> None:
    code = new_request(
        client,
        community_app[1],
        description=f"楼道灯坏了，电话{PHONE}",
        first_name="秀英",
        last_name="王",
        phone="13812345678",
    )
    case = Case.objects.get(tracking_code=code)
    case_services.case_resolve(actor=world.desk_a, case_id=case.pk, reply=f"已修好，回电{PHONE}")
    [listed] = [
        r for r in get(client, "/requests.json", "requests.json") if r["service_request_id"] == code
    ]
    [detail] = get(client, f"/requests/{code}.json", "requests.json")
    for data in (listed, detail):
        text = str(data)
        assert PHONE not in text and "13812345678" not in text and "王" not in text
        assert "139****2222" in data["description"]
        assert data["agency_responsible"] == world.a.name  # no worker named
        assert case.compound is not None and data["address"] == case.compound.name
    root = xml(client, f"/requests/{code}.xml")
    assert PHONE not in ET.tostring(root, encoding="unicode")


def test_public_token_lookup_needs_no_key(world: World, community_app: Any, client: Client) -> None:
    new_request(client, community_app[1])
    stored = Open311Request.objects.get()
    [data] = get(client, f"/tokens/{stored.token}.json", swagger_array("TokenResponse"))
    assert data["service_request_id"] == stored.case.tracking_code


def test_a_wrong_key_on_a_read_is_still_403(db: None, client: Client) -> None:
    get(client, "/requests.json", ERRORS, expect=403, api_key="nope")


def test_discovery_has_two_endpoints_and_xml_is_plain_text_xml(db: None, client: Client) -> None:
    data = get(client, "/discovery.json", DISCOVERY)
    assert [e["type"] for e in data["endpoints"]] == ["production", "test"]
    response = client.get(BASE + "/discovery.xml")
    assert response["Content-Type"] == "text/xml"
    assert len(ET.fromstring(response.content).findall("endpoints/endpoint")) == 2


def test_a_non_chinese_phone_is_kept_as_flagged_text_not_refused(
    world: World, community_app: Any, client: Client
) -> None:
    code = new_request(client, community_app[1], phone="+1 415-555-0123")
    case = Case.objects.get(tracking_code=code)
    assert "未核验的联系电话" in case.description and "415-555" not in case.description
    assert case.description_sealed and case.contact_phone_encrypted == ""


def test_client_extras_are_ignored(world: World, community_app: Any, client: Client) -> None:
    """civicbot sends jurisdiction_id and page_size; georeport sends jurisdiction_id."""
    params = {"jurisdiction_id": "99999999999999999999999", "page_size": "50"}
    assert client.get(BASE + "/requests.json", params).status_code == 200
    assert client.get(BASE + "/services.json", params).status_code == 200
