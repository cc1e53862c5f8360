"""Fixtures of the interop tests (the shared `world` comes from doorstep/conftest.py)."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from doorstep.conftest import World
from doorstep.interop.models import Open311Client
from doorstep.interop.services import open311_client_create
from doorstep.places.models import Building, Compound


@pytest.fixture
def places(world: World) -> dict[str, Any]:
    """Compounds with addresses and coordinates, as the address matcher sees them."""
    world.compound_a.address = "张江镇玉兰香苑一期"
    world.compound_a.latitude, world.compound_a.longitude = 31.2040, 121.5900
    world.compound_a.save()
    wusi76 = Compound.objects.create(
        community=world.a, name="五四大街76号院", latitude=31.2100, longitude=121.6000
    )
    wusi78 = Compound.objects.create(
        community=world.b, name="五四大街78号院", latitude=31.2300, longitude=121.6200
    )
    return {
        "wusi76": wusi76,
        "wusi78": wusi78,
        "wusi76_b3": Building.objects.create(compound=wusi76, name="3号楼"),
        "wusi78_b3": Building.objects.create(compound=wusi78, name="3号楼"),
    }


@pytest.fixture
def community_app(world: World) -> tuple[Open311Client, str]:
    return open311_client_create("玉兰香苑App", community=world.a, key="test-key-a")


@pytest.fixture
def street_app(world: World) -> tuple[Open311Client, str]:
    return open311_client_create("张江镇App", street=world.street, key="test-key-street")


class Gateway:
    """A fake SMS/WeChat gateway: records each POST; answers `status` (or hangs)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 200
        self.hang = threading.Event()
        self.release = threading.Event()
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/send"

    @property
    def delivered(self) -> list[dict[str, Any]]:
        return [r for r in self.received if r["answered"] == 200]


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    import json

    gw = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            record = {
                "body": body,
                "key": self.headers.get("Idempotency-Key"),
                "answered": None,
            }
            gw.received.append(record)
            if gw.hang.is_set():
                gw.release.wait(30)
                return
            record["answered"] = gw.status
            self.send_response(gw.status)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    gw.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gw.server.daemon_threads = True
    thread = threading.Thread(target=gw.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield gw
    gw.release.set()
    gw.server.shutdown()
    gw.server.server_close()
