"""`doorstep rollup verify` (exit 1 naming the first mismatch) and `doorstep rollup rebuild`."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doorstep.rollups.services import rollup_rebuild
from doorstep.rollups.verify import rollup_verify


class Command(BaseCommand):
    help = "汇总表：verify 与事项表重新计数核对；rebuild 按事项表重建"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["action"] == "rebuild":
            flows, stock, topics = rollup_rebuild()
            self.stdout.write(
                f"汇总表已重建：流量 {flows} 行，在办存量 {stock} 行，需求话题 {topics} 行，"
                f"用时 {time.perf_counter() - started:.1f} 秒。"
            )
            return
        mismatch = rollup_verify()
        if mismatch is not None:
            raise CommandError(f"汇总表与重新计数不一致：{mismatch}")
        self.stdout.write(f"汇总表与重新计数一致（用时 {time.perf_counter() - started:.1f} 秒）。")
