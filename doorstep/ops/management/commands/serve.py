"""`doorstep serve [--bind HOST:PORT]`: the production web server (gunicorn, threaded workers).

Workers and threads come from settings (`DOORSTEP_SERVE_WORKERS`, `DOORSTEP_SERVE_THREADS`); each
thread holds at most one persistent database connection, so one `serve` opens at most
workers × threads connections. `kill -HUP <pid>` reloads gracefully (new workers start, old ones
finish their requests); `kill -TERM` stops gracefully. Static files are served by WhiteNoise from
`STATIC_ROOT` (collected at start). The access log carries no query strings, addresses or
user agents: nothing personal.
"""

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# Method, path without the query string, status, bytes, milliseconds.
ACCESS_LOG_FORMAT = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def gunicorn_options(
    bind: str, workers: int, threads: int, pidfile: str | None
) -> dict[str, object]:
    return {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": settings.DOORSTEP_SERVE_TIMEOUT,
        "graceful_timeout": 30,
        "keepalive": 5,
        # A worker is replaced after this many requests (with jitter): memory never creeps.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "pidfile": pidfile,
        "proc_name": "doorstep",
        "forwarded_allow_ips": settings.DOORSTEP_FORWARDED_ALLOW_IPS,
        "child_exit": _child_exit,
    }


def metrics_dir() -> Path:
    """A fresh shared directory for the processes' `/metrics` counters (multiprocess mode); set
    before any worker imports prometheus_client."""
    path = Path(settings.VAR_DIR) / "prometheus"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


# gunicorn ships no types: its arbiter and worker objects are untyped here.
def _child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def run_gunicorn(options: dict[str, object], load: Callable[[], WSGIHandler]) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self) -> WSGIHandler:
            return load()

    Server().run()


def _application() -> WSGIHandler:
    """The WSGI application, warmed (`ops.warm`) before the worker takes its first request."""
    from doorstep.ops.warm import warm_up
    from doorstep.wsgi import application

    warm_up()
    return application


class Command(BaseCommand):
    help = "生产环境 Web 服务（gunicorn）：doorstep serve --bind 0.0.0.0:8000"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=None, help="监听地址 HOST:PORT")
        parser.add_argument("--workers", type=int, default=None, help="进程数")
        parser.add_argument("--threads", type=int, default=None, help="每个进程的线程数")
        parser.add_argument("--pid", default=None, help="写入主进程号的文件（用于 kill -HUP）")
        parser.add_argument("--no-collectstatic", action="store_true", help="启动前不收集静态文件")

    def execute(self, *args: Any, **options: Any) -> str | None:
        metrics_dir()  # before the system checks import the URLconf (and prometheus_client)
        return super().execute(*args, **options)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        run_gunicorn(
            gunicorn_options(
                options["bind"] or settings.DOORSTEP_SERVE_BIND,
                options["workers"] or settings.DOORSTEP_SERVE_WORKERS,
                options["threads"] or settings.DOORSTEP_SERVE_THREADS,
                options["pid"],
            ),
            _application,
        )
