"""`doorstep worker`: run the django-tasks database worker (notifications and other tasks)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "后台任务进程：发送通知等（django-tasks 数据库队列）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="处理完队列中的任务后退出")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒）"
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="最多处理的任务数")
        parser.add_argument("--queue-name", default="default", help="队列名，多个用逗号分隔")
        parser.add_argument("--reload", action="store_true", help="代码变动时自动重启（开发用）")

    def handle(self, *args: Any, **options: Any) -> None:
        from doorstep.interop.services import notifications_retry

        # Notices a killed worker left half-sent (lease expired) or whose back-off passed.
        queued = notifications_retry()
        if queued:
            self.stdout.write(f"重新排队通知 {queued} 条。")
        kwargs: dict[str, Any] = {
            "batch": options["batch"],
            "interval": options["interval"],
            "queue_name": options["queue_name"],
            "reload": options["reload"],
            "startup_delay": False,
            "verbosity": options["verbosity"],
        }
        if options["max_tasks"] is not None:
            kwargs["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **kwargs)
