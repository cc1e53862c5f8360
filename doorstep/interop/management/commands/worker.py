"""`doorstep worker`: deliver the notification outbox, and run what is queued on the task queue
(django-tasks: a retraining the district admin asked for). Run as many as you like, on as many
machines as you like: each claims one due notice at a time (SKIP LOCKED on PostgreSQL), and a
notice a killed worker held is reclaimed once its lease runs out. Nothing is re-queued at start.
A queued task is taken when no notice is due, one at a time."""

import os
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker


def run_one_task() -> bool:
    """Run one ready task of the task queue, if any; True when one ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id=f"doorstep-worker-{os.getpid()}",
    )
    worker.run()
    return worker._run_tasks > 0


class Command(BaseCommand):
    help = "后台任务进程：发送通知（可多进程、多机器同时运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="发完当前到期的通知后退出")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="没有到期通知时的轮询间隔（秒）"
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="最多处理的通知数")

    def handle(self, *args: Any, **options: Any) -> None:
        from doorstep.interop.services import notification_deliver_next

        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True  # finish the notice in hand, then leave

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        done = 0
        while not stopping:
            close_old_connections()  # honour CONN_MAX_AGE / health checks between notices
            outcome = notification_deliver_next()
            if outcome is None and run_one_task():
                outcome = "task"
            if outcome is None:
                if options["batch"]:
                    break
                time.sleep(options["interval"])
                continue
            done += 1
            if options["verbosity"] > 1:
                self.stdout.write(outcome)
            if options["max_tasks"] is not None and done >= options["max_tasks"]:
                break
        if options["verbosity"] > 0:
            self.stdout.write(f"处理通知 {done} 条。")
