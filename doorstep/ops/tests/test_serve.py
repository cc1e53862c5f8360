"""`doorstep serve`: gunicorn answers, WhiteNoise serves static files with DEBUG off, the access
log holds no query string, HUP reloads without dropping the service, TERM stops it cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return response.status, response.read()


def _wait_until_up(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, "serve exited"
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("serve never answered")


def test_serve_answers_serves_static_logs_no_query_and_reloads_gracefully(tmp_path: Path) -> None:
    port = _free_port()
    pidfile = tmp_path / "serve.pid"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DOORSTEP_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": "test-serve-secret-key-" + "x" * 40,
        "FIELD_ENCRYPTION_KEY": "test-serve-field-key-" + "y" * 40,
    }
    args = ["serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"]
    server = subprocess.Popen(
        [sys.executable, "-m", "doorstep.manage", *args, "--pid", str(pidfile)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/healthz", server)
        assert _get(base + "/healthz?phone=13812345678")[0] == 200
        status, css = _get(base + "/static/doorstep/app.css")
        assert status == 200 and len(css) > 100
        _status, metrics = _get(base + "/metrics")  # summed over the processes
        assert 'route="healthz",status="200"} 2.0' in metrics.decode()
        master = int(pidfile.read_text().strip())
        os.kill(master, signal.SIGHUP)
        time.sleep(2)
        assert _get(base + "/healthz")[0] == 200  # still serving after the reload
        server.send_signal(signal.SIGTERM)
        output, _err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
    assert server.returncode == 0, output
    assert '"GET /healthz" 200' in output and "13812345678" not in output
    assert "handling signal: hup" in output.lower()
