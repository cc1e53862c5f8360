"""`doorstep scale-data --cases N [--streets S --communities C]`: history at district scale."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doorstep.ops.scale_data import ScaleDataRefused, scale_data


class Command(BaseCommand):
    help = "在演示数据之上生成区级规模的历史事项（PostgreSQL；只运行一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="事项件数")
        parser.add_argument("--streets", type=int, default=36, help="街道数（含演示街道）")
        parser.add_argument("--communities", type=int, default=36, help="每个街道的社区数")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            written = scale_data(
                options["cases"],
                options["streets"],
                options["communities"],
                log=self.stdout.write,
            )
        except ScaleDataRefused as refused:
            raise CommandError(str(refused)) from None
        steps = "，".join(f"{k} {v:.0f} 秒" for k, v in written.seconds.items())
        self.stdout.write(
            f"已写入 {written.cases:,} 件事项、{written.events:,} 条办理记录、"
            f"{written.ratings:,} 条评价、{written.demands:,} 条需求；"
            f"共用时 {time.perf_counter() - started:.0f} 秒（{steps}）。"
        )
