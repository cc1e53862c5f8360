"""Load on real processes: `doorstep serve` (N app processes) + `doorstep worker` + the database
DATABASE_URL names, driven by C concurrent clients with a realistic mix (80 % reads: case list,
case detail, the resident's tracking page, /healthz; 20 % writes: intakes with an
Idempotency-Key, accept and resolve). Bounded by --requests and --seconds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_ops python bench/load.py \\
        --port 8410 --app-processes 2 --clients 50 --seconds 60 [--kill-one]

It migrates and seeds that database (a small world, idempotent), starts the processes, runs the
load, optionally kills one app process (kill -9) half-way, then checks every acknowledged intake
is in the database exactly once and its notice delivered, and prints throughput, latency
percentiles, errors and (PostgreSQL) the most connections the app held at once.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorstep.settings")


TRANSITIONS = {"accept", "resolve"}


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    acknowledged: list[str] = field(default_factory=list)  # markers of intakes answered 201
    case_ids: list[tuple[int, int]] = field(default_factory=list)  # (id, version)
    codes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if error:
                self.errors[error] = self.errors.get(error, 0) + 1


def seed() -> tuple[str, int]:
    """Migrate, make the bench world once, and issue a fresh token for the bench desk worker."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from doorstep.api.services import api_token_create
    from doorstep.places.models import Community, StaffProfile

    call_command("migrate", verbosity=0, interactive=False)
    community = Community.objects.filter(name="基准社区").first()
    if community is None:
        sys.path.insert(0, str(ROOT / "bench"))
        from common import base_world

        community = base_world()
    user = User.objects.filter(username="bench_desk").first()
    if user is None:
        user = User.objects.create_user(username="bench_desk")
        StaffProfile.objects.create(
            user=user,
            role="desk",
            display_name="基准前台",
            district=community.street.district,
            street=community.street,
            community=community,
        )
    _token, key = api_token_create(user, "bench/load.py")
    return key, community.pk


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0


class Client:
    def __init__(self, base: str, token: str, tally: Tally, run: str) -> None:
        self.base, self.token, self.tally, self.run = base, token, tally, run

    def call(
        self, kind: str, method: str, path: str, body: dict[str, object] | None = None, **h: str
    ) -> dict[str, object] | None:
        headers = {"Authorization": f"Bearer {self.token}", **h}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            self.base + path, data=data, headers=headers, method=method
        )
        started = time.perf_counter()
        error = None
        answer: dict[str, object] | None = None
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                raw = response.read()
                if response.headers.get_content_type() == "application/json" and raw:
                    loaded = json.loads(raw)
                    answer = loaded if isinstance(loaded, dict) else {"items": loaded}
                else:
                    answer = {}
        except urllib.error.HTTPError as failure:
            # 409: someone moved the case first; 400 on a transition: the case's state forbids
            # it (another client resolved it). Both are right answers under this mix.
            refused = failure.code == 409 or (failure.code == 400 and kind in TRANSITIONS)
            error = None if refused else f"HTTP {failure.code}"
        except (OSError, ValueError) as failure:
            error = type(failure).__name__
        self.tally.record(kind, time.perf_counter() - started, error)
        return answer

    def intake(self, n: int) -> None:
        marker = f"{self.run}-{n}"
        answer = self.call(
            "intake",
            "POST",
            "/api/v1/cases",
            {"description": f"楼道灯坏了 #{marker}", "item_code": "GOV-RESIDENCE-CERT"},
            **{"Idempotency-Key": marker},
        )
        if answer and "tracking_code" in answer:
            with self.tally.lock:
                self.tally.acknowledged.append(marker)
                self.tally.codes.append(str(answer["tracking_code"]))
                self.tally.case_ids.append((int(str(answer["id"])), int(str(answer["version"]))))

    def transition(self) -> None:
        with self.tally.lock:
            if not self.tally.case_ids:
                return
            case_id, version = self.tally.case_ids.pop(random.randrange(len(self.tally.case_ids)))
        action = "resolve" if random.random() < 0.5 else "accept"
        body: dict[str, object] = {"version": version}
        if action == "resolve":
            body["reply"] = "已办好"
        self.call(action, "POST", f"/api/v1/cases/{case_id}/{action}", body)

    def read(self) -> None:
        roll = random.random()
        with self.tally.lock:
            ids = [c for c, _v in self.tally.case_ids[-50:]]
            codes = self.tally.codes[-50:]
        if roll < 0.4:
            self.call("list", "GET", "/api/v1/cases?limit=20")
        elif roll < 0.7 and ids:
            self.call("detail", "GET", f"/api/v1/cases/{random.choice(ids)}")
        elif roll < 0.9 and codes:
            self.call("track", "GET", f"/track/{random.choice(codes)}/")
        else:
            self.call("healthz", "GET", "/healthz")


def drive(client: Client, deadline: float, budget: list[int], lock: threading.Lock) -> None:
    n = 0
    while time.monotonic() < deadline:
        with lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        n += 1
        roll = random.random()
        if roll < 0.12:
            client.intake(n)
        elif roll < 0.20:
            client.transition()
        else:
            client.read()


def gunicorn_workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def connections_sampler(stop: threading.Event, peak: list[int]) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    while not stop.wait(0.25):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                "pg_backend_pid()",
                [name],
            )
            peak[0] = max(peak[0], int(cursor.fetchone()[0]))
    connection.close()


def verify(tally: Tally, run: str) -> dict[str, int]:
    from django.db.models import Count

    from doorstep.cases.models import Case
    from doorstep.interop.models import Notification

    rows = (
        Case.objects.filter(description__contains=f"#{run}-")
        .values("description")
        .annotate(n=Count("pk"))
    )
    found = {r["description"].rsplit("#", 1)[1]: r["n"] for r in rows}
    lost = sum(1 for m in tally.acknowledged if m not in found)
    doubled = sum(1 for n in found.values() if n > 1)
    deadline = time.monotonic() + 120
    pending = -1
    while time.monotonic() < deadline:
        pending = (
            Notification.objects.filter(case__description__contains=f"#{run}-")
            .exclude(status="sent")
            .count()
        )
        if pending == 0:
            break
        time.sleep(1)
    notices = Notification.objects.filter(case__description__contains=f"#{run}-").count()
    return {
        "acknowledged": len(tally.acknowledged),
        "in_db": len(found),
        "lost": lost,
        "doubled": doubled,
        "notices": notices,
        "notices_unsent": pending,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8410)
    parser.add_argument("--app-processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20000, help="at most this many in all")
    parser.add_argument("--seconds", type=float, default=60, help="at most this long")
    parser.add_argument("--kill-one", action="store_true", help="kill -9 one app process")
    args = parser.parse_args()
    token, _community = seed()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    env.setdefault("SECRET_KEY", "bench-" + uuid.uuid4().hex * 2)
    env.setdefault("FIELD_ENCRYPTION_KEY", "bench-field-key-for-load-runs-only-0123456789")
    manage = [sys.executable, "-m", "doorstep.manage"]
    serve_cmd = [
        *manage,
        "serve",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.app_processes),
        "--threads",
        str(args.threads),
    ]
    log = open(ROOT / "var" / "bench-load-serve.log", "w")  # noqa: SIM115
    server = subprocess.Popen(serve_cmd, env=env, cwd=ROOT, stdout=log, stderr=log)
    worker = subprocess.Popen(
        [*manage, "worker", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{args.port}"
    tally = Tally()
    run = uuid.uuid4().hex[:8]
    peak = [0]
    stop = threading.Event()
    killed = ""
    try:
        up_by = time.monotonic() + 90
        while time.monotonic() < up_by:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()  # noqa: S310
                break
            except OSError:
                time.sleep(0.3)
        sampler = threading.Thread(target=connections_sampler, args=(stop, peak), daemon=True)
        sampler.start()
        started = time.monotonic()
        deadline = started + args.seconds
        budget, budget_lock = [args.requests], threading.Lock()
        threads = [
            threading.Thread(
                target=drive,
                args=(Client(base, token, tally, f"{run}-{c}"), deadline, budget, budget_lock),
            )
            for c in range(args.clients)
        ]
        for t in threads:
            t.start()
        if args.kill_one:
            time.sleep(args.seconds / 2)
            victims = gunicorn_workers(server.pid)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                killed = f"killed app process {victims[0]} (kill -9) at {args.seconds / 2:.0f} s"
        for t in threads:
            t.join(args.seconds + 60)
        elapsed = time.monotonic() - started
        stop.set()
        sampler.join(5)
        checks = verify(tally, run)
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
    total = sum(len(v) for v in tally.latencies.values())
    every = [s for v in tally.latencies.values() for s in v]
    from django.db import connection

    print(
        f"{connection.vendor}: {args.app_processes} app processes × {args.threads} threads, "
        f"1 worker, {args.clients} clients, {elapsed:.1f} s"
    )
    if killed:
        print(killed)
    print(f"requests {total}, throughput {total / elapsed:.1f} req/s")
    print(
        f"latency p50 {percentile(every, 0.5) * 1000:.0f} ms, p95 "
        f"{percentile(every, 0.95) * 1000:.0f} ms, p99 {percentile(every, 0.99) * 1000:.0f} ms"
    )
    for kind, values in sorted(tally.latencies.items()):
        print(
            f"  {kind:8s} {len(values):6d}  p50 {percentile(values, 0.5) * 1000:6.0f} ms  "
            f"p95 {percentile(values, 0.95) * 1000:6.0f} ms"
        )
    print(f"errors {sum(tally.errors.values())}: {tally.errors or '-'}")
    print(
        f"intakes acknowledged {checks['acknowledged']}, in the database {checks['in_db']}, "
        f"lost {checks['lost']}, doubled {checks['doubled']}; notices {checks['notices']}, "
        f"undelivered {checks['notices_unsent']}"
    )
    if connection.vendor == "postgresql":
        print(f"most database connections held at once: {peak[0]}")


if __name__ == "__main__":
    main()
