"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): turning our catalogue and
cases into the standard's JSON and XML shapes. Ids are strings: a request's id is its
tracking code (查询码), which the resident already knows."""

import re
from datetime import datetime, time
from typing import Any
from xml.etree import ElementTree as ET

from django.utils import timezone

from doorstep.cases.choices import OPEN_STATUSES, Queue
from doorstep.cases.models import Case
from doorstep.catalog.choices import Mode
from doorstep.catalog.models import ServiceItem
from doorstep.core.redact import redact

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2025-10-01T00:00:00+08:00"
FORMATS = ["text/xml", "application/json"]

# Characters XML 1.0 cannot carry at all, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The element name of one entry in a list, by the list's name.
_LIST_ITEM = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_INVALID.sub("", str(value))


def _fill(element: ET.Element, value: object, tag: str) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child, key)
    elif isinstance(value, list):
        item_tag = _LIST_ITEM.get(tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item_tag), child, item_tag)
    else:
        element.text = _text(value)


def to_xml(root: str, value: object) -> bytes:
    """`[{"a": 1}]` under `services` → `<services><service><a>1</a></service></services>`;
    ElementTree escapes &, < and > itself."""
    element = ET.Element(root)
    _fill(element, value, root)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode()


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service_dict(item: ServiceItem) -> dict[str, Any]:
    return {
        "service_code": item.code,
        "service_name": item.name,
        "description": item.resident_guidance or item.name,
        "metadata": bool(service_attributes(item)),
        "type": "realtime",
        "keywords": ",".join(item.keywords.split()),
        "group": item.category.name,
    }


def service_attributes(item: ServiceItem) -> list[dict[str, Any]]:
    """Attributes from the item's fields: what to bring (informational) and the promise."""
    attributes: list[dict[str, Any]] = []
    for n, material in enumerate(item.materials or [], start=1):
        attributes.append(
            {
                "variable": False,
                "code": f"material_{n}",
                "datatype": "string",
                "required": False,
                "datatype_description": None,
                "order": n,
                "description": f"所需材料：{material}",
            }
        )
    if item.mode == Mode.PROMISE:
        attributes.append(
            {
                "variable": False,
                "code": "promise_days",
                "datatype": "number",
                "required": False,
                "datatype_description": None,
                "order": len(attributes) + 1,
                "description": f"承诺 {item.promise_days} 个工作日内办结",
            }
        )
    return attributes


def service_definition(item: ServiceItem) -> dict[str, Any]:
    return {"service_code": item.code, "attributes": service_attributes(item)}


def agency_responsible(case: Case) -> str:
    """Who handles it: the named worker, else the queue it waits in."""
    owner = case.owner if case.owner_id is not None else None
    if owner is not None:
        staff = getattr(owner, "staff", None)
        name = staff.display_name if staff else owner.get_username()
        return f"{case.community.name} {name}"
    if case.queue == Queue.DEPARTMENT and case.department is not None:
        return case.department.name
    if case.queue == Queue.STREET:
        return case.community.street.name
    return case.community.name


def expected_datetime(case: Case) -> str | None:
    """Our working-day promise: the due date, at the community's closing time."""
    if case.due_date is None:
        return None
    closes = case.community.closes_at or time(20, 0)
    at = timezone.make_aware(datetime.combine(case.due_date, closes))
    return _iso(at)


def request_dict(case: Case, updated_at: datetime | None = None) -> dict[str, Any]:
    compound = case.compound
    lat = lon = None
    if compound is not None and compound.latitude is not None:
        lat, lon = compound.latitude, compound.longitude
    address = None
    if compound is not None:
        address = compound.address or compound.name
        if case.building is not None:
            address += case.building.name
    return {
        "service_request_id": case.tracking_code,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_notes": case.reply or None,
        "service_name": case.item.name if case.item else None,
        "service_code": case.item.code if case.item else "",
        "description": case.description[:4000],
        "agency_responsible": agency_responsible(case),
        "service_notice": (f"承诺于 {case.due_date:%Y-%m-%d} 前办结" if case.due_date else None),
        "requested_datetime": _iso(case.created_at),
        "updated_datetime": _iso(updated_at or case.resolved_at or case.created_at),
        "expected_datetime": expected_datetime(case),
        "address": address,
        "address_id": str(compound.pk) if compound is not None else None,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": None,
    }


def public_request_dict(case: Case, updated_at: datetime | None = None) -> dict[str, Any]:
    """The public subset of a request (no api_key): description and reply with phones and ID
    numbers masked, no worker named, the place generalised to the compound."""
    data = request_dict(case, updated_at)
    compound = case.compound
    data |= {
        "description": redact(case.description)[:4000],
        "status_notes": redact(case.reply) or None,
        "agency_responsible": _public_agency(case),
        "address": compound.name if compound is not None else case.community.name,
    }
    return data


def _public_agency(case: Case) -> str:
    if case.queue == Queue.DEPARTMENT and case.department is not None:
        return case.department.name
    if case.queue == Queue.STREET:
        return case.community.street.name
    return case.community.name


def error_list(code: int, description: str) -> list[dict[str, Any]]:
    return [{"code": code, "description": description}]
