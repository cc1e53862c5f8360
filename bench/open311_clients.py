"""Run independent Open311 clients against a running Doorstep and print what they got.

    PYTHONPATH=<georeport, civicbot, xmltodict> python bench/open311_clients.py http://127.0.0.1:8300

georeport and civicbot (PyPI) are used as published, unmodified and without an api_key, as
they read. The SeeClickFix validator's and FixMyStreet Open311.pm's quirks are checked the way
they read our answers: discovery XML parsed into a dict, `text/xml` compared with ==, a lone
list element. Nothing here is part of the test suite (the clients are not dependencies).
"""

import sys
import urllib.request
from typing import Any


def show(label: str, value: Any) -> None:
    print(f"{label}: {value}")


def run_georeport(base: str) -> None:
    from georeport import GeoReport

    for fmt in ("json", "xml"):
        client = GeoReport(base, output_format=fmt)
        services = client.get_service_list()
        show(f"georeport {fmt} services", len(services))
        requests = client.get_service_requests()
        show(f"georeport {fmt} requests", len(requests))
        first = requests[0]["service_request_id"]
        show(f"georeport {fmt} request", client.get_service_request(first)["status"])


def run_civicbot(base: str) -> None:
    from civicbot import Open311Client
    from civicbot.registry import Endpoint

    endpoint = Endpoint(id="doorstep", name="Doorstep", base_url=base)
    client = Open311Client(endpoint, jurisdiction_id="1")
    services = client.list_services()
    show("civicbot services", len(services))
    requests = client.list_requests(status="open", page_size=50)
    show("civicbot open requests", len(requests))
    one = client.get_request(requests[0]["service_request_id"])
    show("civicbot request", (one or {}).get("status"))
    prepared = client.build_request(
        services[0]["service_code"],
        lat=39.93,
        lng=116.40,
        description="路灯不亮",
        phone="+1 415 555 0123",
    )
    show("civicbot dry-run POST form", sorted(prepared.form))


def run_quirks(base: str) -> None:
    import xmltodict

    with urllib.request.urlopen(f"{base}/discovery.xml") as response:  # noqa: S310
        content_type = response.headers["Content-Type"]
        body = response.read()
    show("validator: discovery Content-Type == 'text/xml'", content_type == "text/xml")
    endpoints = xmltodict.parse(body)["discovery"]["endpoints"]["endpoint"]
    show("validator/Open311.pm: discovery endpoints parse as a list", isinstance(endpoints, list))
    with urllib.request.urlopen(f"{base}/requests.xml") as response:  # noqa: S310
        show("Open311.pm: requests.xml without api_key", response.status)
        requests = xmltodict.parse(response.read())["service_requests"]["request"]
    show("Open311.pm: requests parsed", len(requests) if isinstance(requests, list) else 1)


def main() -> None:
    base = sys.argv[1].rstrip("/") + "/open311/v2"
    clients = (("georeport", run_georeport), ("civicbot", run_civicbot), ("quirks", run_quirks))
    for name, run in clients:
        try:
            run(base)
        except Exception as error:  # report every client, even when one fails
            show(f"{name} FAILED", repr(error))


if __name__ == "__main__":
    main()
