"""`doorstep backup --output FILE` | `doorstep backup --verify FILE`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doorstep.core import backup


class Command(BaseCommand):
    help = "备份数据库（不含密钥）：--output 文件；--verify 文件 在临时库中恢复并校验"

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--output", type=Path, help="备份文件（PostgreSQL: pg_dump -Fc）")
        group.add_argument("--verify", type=Path, help="校验一个备份文件")
        group.add_argument(
            "--count-rows", action="store_true", help="打印各表行数（校验时内部使用）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["output"] is not None:
            counts = backup.backup(options["output"])
            self.stdout.write(
                f"已备份到 {options['output']}：{len(counts)} 张表，{sum(counts.values())} 行。"
                "密钥不在备份中，请另行保管。"
            )
            return
        source: Path = options["verify"]
        if not source.exists():
            raise CommandError(f"找不到备份文件 {source}")
        problems = backup.backup_verify(source)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError("备份校验失败。")
        self.stdout.write(f"备份 {source} 校验通过：已在临时库中恢复，行数一致，基金台账完整。")
