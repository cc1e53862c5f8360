"""A real streaming replica on loopback, and the app's flows against primary + replica.

    python bench/replica.py [--primary-port 5440] [--replica-port 5441] [--port 8420]

Makes two PostgreSQL clusters in a temporary directory as the `postgres` user (initdb; the
replica with `pg_basebackup -R`, i.e. streaming replication), migrates and seeds the primary,
starts `doorstep serve` with DATABASE_URL (primary) and DATABASE_REPLICA_URL (replica), then:
pauses the replica's replay to make lag, writes a case and reads it back as the writer (pinned
to the primary) and as another worker (replica: stale until the lag passes
DOORSTEP_REPLICA_MAX_LAG, then the primary), resumes replay, and finally stops the replica to
show pages still load. Prints one line per step and removes everything it made.
"""

import argparse
import contextlib
import http.cookies
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LAG = 2


def as_postgres(*args: str) -> subprocess.CompletedProcess[str]:
    command = list(args) if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=300)


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else name


def sql(port: int, query: str, db: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-Atc", query],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return out.stdout.strip()


def make_clusters(tmp: Path, primary: int, replica: int) -> tuple[Path, Path]:
    pdata, rdata = tmp / "primary", tmp / "replica"
    as_postgres(pg_bin("initdb"), "-D", str(pdata), "-A", "trust", "-U", "postgres")
    with open(pdata / "postgresql.conf", "a") as conf:
        conf.write(f"port = {primary}\nlisten_addresses = '127.0.0.1'\n")
        conf.write(f"unix_socket_directories = '{tmp}'\n")
    as_postgres(pg_bin("pg_ctl"), "-D", str(pdata), "-l", str(tmp / "primary.log"), "-w", "start")
    as_postgres(
        pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary), "-U", "postgres",
        "-D", str(rdata), "-R", "-X", "stream",
    )  # fmt: skip
    with open(rdata / "postgresql.conf", "a") as conf:
        conf.write(f"port = {replica}\n")
    as_postgres(pg_bin("pg_ctl"), "-D", str(rdata), "-l", str(tmp / "replica.log"), "-w", "start")
    return pdata, rdata


def session_cookie(username: str) -> str:
    """A logged-in session for the bench worker (as if they had signed in)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 302 to the login page must show as 302, not as the login page's 200


class Browser:
    """A browser's cookies (session, and the short-lived primary pin with its max-age)."""

    def __init__(self, base: str, session: str) -> None:
        self.base = base
        self.cookies: dict[str, tuple[str, float]] = {"sessionid": (session, float("inf"))}
        self.opener = urllib.request.build_opener(NoRedirect())

    def _send(self, request: urllib.request.Request) -> tuple[int, bytes]:
        now = time.monotonic()
        live = {k: v for k, (v, until) in self.cookies.items() if until > now}
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in live.items()))
        try:
            with self.opener.open(request, timeout=20) as response:
                self._keep(response.headers.get_all("Set-Cookie") or [])
                return int(response.status), response.read()
        except urllib.error.HTTPError as failure:
            return int(failure.code), b""
        except OSError:
            return 0, b""

    def _keep(self, headers: list[str]) -> None:
        for header in headers:
            cookie = http.cookies.SimpleCookie(header)
            for name, morsel in cookie.items():
                age = morsel["max-age"]
                until = time.monotonic() + int(age) if age else float("inf")
                self.cookies[name] = (morsel.value, until)

    def get(self, path: str) -> int:
        return self._send(urllib.request.Request(self.base + path))[0]

    def pinned(self) -> bool:
        return self.cookies.get("ds_primary", ("", 0.0))[1] > time.monotonic()

    def post_case(self, token: str, text: str) -> dict[str, object]:
        status, body = self._send(
            urllib.request.Request(
                self.base + "/api/v1/cases",
                data=json.dumps({"description": text, "item_code": "GOV-RESIDENCE-CERT"}).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                method="POST",
            )
        )
        assert status == 201, status
        answer: dict[str, object] = json.loads(body)
        return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--primary-port", type=int, default=5440)
    parser.add_argument("--replica-port", type=int, default=5441)
    parser.add_argument("--port", type=int, default=8420)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="doorstep-replica-"))
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    pdata = rdata = None
    server = None
    try:
        pdata, rdata = make_clusters(tmp, args.primary_port, args.replica_port)
        print(f"primary :{args.primary_port}, replica :{args.replica_port} (pg_basebackup -R)")
        print("replica in recovery:", sql(args.replica_port, "SELECT pg_is_in_recovery()"))
        sql(args.primary_port, "CREATE DATABASE ds_replica")
        primary_url = f"postgres://postgres@127.0.0.1:{args.primary_port}/ds_replica"
        replica_url = f"postgres://postgres@127.0.0.1:{args.replica_port}/ds_replica"
        os.environ.update(
            DATABASE_URL=primary_url,
            DATABASE_REPLICA_URL=replica_url,
            DOORSTEP_VAR_DIR=str(tmp / "var"),
            DJANGO_SETTINGS_MODULE="doorstep.settings",
            DEBUG="0",
            SECRET_KEY="replica-demo-" + "k" * 40,
            FIELD_ENCRYPTION_KEY="replica-demo-field-" + "f" * 40,
        )
        sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
        from load import seed

        token, _community = seed()
        cookie = session_cookie("bench_desk")
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DOORSTEP_REPLICA_MAX_LAG": str(MAX_LAG),
            "DOORSTEP_REPLICA_PIN_SECONDS": "10",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "doorstep.manage", "serve", "--bind",
             f"127.0.0.1:{args.port}", "--workers", "2", "--threads", "2"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{args.port}"
        writer, reader = Browser(base, cookie), Browser(base, cookie)
        for _try in range(300):
            if reader.get("/healthz") == 200:
                break
            time.sleep(0.3)
        replica_port = args.replica_port
        commits = "SELECT xact_commit FROM pg_stat_database WHERE datname = 'ds_replica'"
        case = writer.post_case(token, "楼道灯坏了（副本演示 1）")
        path = f"/desk/cases/{case['id']}/"
        time.sleep(0.5)
        print(
            f"1. replay on: new case {case['id']}; writer sees it {writer.get(path)}, "
            f"another worker sees it {reader.get(path)}"
        )
        before = int(sql(replica_port, commits))
        pages = [reader.get("/desk/cases/") for _n in range(20)]
        after = int(sql(replica_port, commits))
        print(
            f"2. 20 case-list pages by the other worker ({pages.count(200)} × 200): "
            f"{after - before} transactions on the replica"
        )
        writer.post_case(token, "楼道灯坏了（副本演示 暂停前）")  # replayed just before the pause
        sql(replica_port, "SELECT pg_wal_replay_pause()")
        case = writer.post_case(token, "楼道灯坏了（副本演示 2）")
        path = f"/desk/cases/{case['id']}/"
        print(
            f"3. replay paused, new case {case['id']}: the writer (pinned: {writer.pinned()}) gets "
            f"{writer.get(path)}; the other worker (replica, stale) gets {reader.get(path)}"
        )
        waited = 0.0
        status = reader.get(path)
        while status != 200 and waited < 20:
            time.sleep(0.5)
            waited += 0.5
            status = reader.get(path)
        lag = sql(
            replica_port,
            "SELECT round(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::numeric, 1)",
        )
        print(
            f"4. replica lag {lag} s > DOORSTEP_REPLICA_MAX_LAG={MAX_LAG} s: the other worker is "
            f"sent to the primary and gets {status} after {waited:.1f} s"
        )
        sql(replica_port, "SELECT pg_wal_replay_resume()")
        time.sleep(1.5)
        query = f"SELECT count(*) FROM cases_case WHERE id = {case['id']}"
        there = sql(replica_port, query, "ds_replica")
        print(
            f"5. replay resumed: the replica has the case ({there} row); "
            f"other worker: {reader.get(path)}"
        )
        as_postgres(pg_bin("pg_ctl"), "-D", str(rdata), "-m", "immediate", "stop")
        rdata = None
        time.sleep(1.5)
        print(
            f"6. replica stopped: case list {reader.get('/desk/cases/')}, case {reader.get(path)} "
            "(read from the primary)"
        )
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(60)
        for data in (rdata, pdata):
            if data is not None:
                with contextlib.suppress(subprocess.CalledProcessError):
                    as_postgres(pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
