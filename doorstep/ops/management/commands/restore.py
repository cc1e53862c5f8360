"""`doorstep restore FILE`: replace the database's content with a backup's."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doorstep.core import backup


class Command(BaseCommand):
    help = "从备份恢复数据库（覆盖当前数据；先停掉 serve 与 worker）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="doorstep backup 生成的文件")
        parser.add_argument("--yes", action="store_true", help="不再询问")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        if not source.exists():
            raise CommandError(f"找不到备份文件 {source}")
        if not options["yes"] and input("当前数据库的内容将被覆盖，输入 yes 继续：") != "yes":
            raise CommandError("已取消。")
        backup.restore(source)
        self.stdout.write(f"已从 {source} 恢复。")
