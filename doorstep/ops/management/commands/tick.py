"""`doorstep tick`: run periodically (e.g. every 10 minutes from cron); idempotent. Safe to start
from several machines at once: one runs, the others skip (`doorstep/core/locks.py`)."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser, OutputWrapper

from doorstep.bookings.services import bookings_tick
from doorstep.cases.services import cases_tick
from doorstep.core.locks import exclusive
from doorstep.core.services import exports_tick
from doorstep.participation.services import practical_refresh
from doorstep.rollups.services import rollup_prune
from doorstep.subsidy.services import subsidy_tick
from doorstep.workforce.services import alerts_tick


class Command(BaseCommand):
    help = "定时任务：逾期事项转兜底、办结 7 天未评价自动归档、按需重训分派模型"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-train", action="store_true", help="不检查分派模型")

    def execute(self, *args: Any, **options: Any) -> str | None:
        with exclusive("tick") as held:
            if held:
                return super().execute(*args, **options)
        out = OutputWrapper(options.get("stdout") or sys.stdout)
        out.write("另一个 tick 正在运行（可能在另一台机器上），本次跳过。")
        return None

    def handle(self, *args: Any, **options: Any) -> None:
        result = cases_tick()
        self.stdout.write(f"逾期转兜底 {result.escalated} 件，自动归档 {result.closed} 件。")
        self.stdout.write(f"高龄补贴暂停发放 {subsidy_tick()} 人。")
        self.stdout.write(f"清理空汇总行 {rollup_prune()} 行。")
        self.stdout.write(f"场地预约爽约释放 {bookings_tick()} 次。")
        self.stdout.write(f"持证到期提醒 {alerts_tick()} 条。")
        self.stdout.write(f"十件实事进度与状态更新 {practical_refresh()} 件。")
        self.stdout.write(f"后台导出过期或中断 {exports_tick()} 个。")
        if not options["no_train"]:
            from doorstep.routing.services import retrain_if_due

            model = retrain_if_due()
            if model is not None:
                self.stdout.write(f"分派模型已重新训练（{model.n_samples} 条样本）。")
