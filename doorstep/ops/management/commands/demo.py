"""`doorstep demo`: load the demo data once (a second run changes nothing)."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test.utils import override_settings

from doorstep.ops.demo import PASSWORD, DemoBuilder, demo_loaded
from doorstep.ops.progress import Progress


def area_demos() -> list[tuple[str, Callable[[Callable[[str], Any]], None]]]:
    """Each area adds its own demo data on top of the base; each is idempotent."""
    from doorstep.assistance.demo import load_demo as assistance
    from doorstep.bookings.demo import load_demo as bookings
    from doorstep.canteen.demo import load_demo as canteen
    from doorstep.certificates.demo import load_demo as certificates
    from doorstep.core.demo import load_demo as exports
    from doorstep.field.demo import load_demo as field
    from doorstep.fund.demo import load_demo as fund
    from doorstep.interop.demo import load_demo as interop
    from doorstep.participation.demo import load_demo as participation
    from doorstep.rollups.demo import load_demo as rollups
    from doorstep.subsidy.demo import load_demo as subsidy
    from doorstep.volunteers.demo import load_demo as volunteers
    from doorstep.workforce.demo import load_demo as workforce

    def programmes(log: Callable[[str], Any]) -> None:
        for load in (fund, subsidy, assistance, canteen, certificates):
            load(log)

    return [
        ("走出去：楼院长、服务站、走访", field),
        ("12345 与 Open311 对接", interop),
        ("民生项目：爱心基金、补贴、帮扶、食堂、证明", programmes),
        ("队伍建设", workforce),
        ("场地预约", bookings),
        ("志愿服务", volunteers),
        ("三会与为民服务实事", participation),
        ("汇总表", rollups),
        ("后台导出示例", exports),
    ]


class Command(BaseCommand):
    help = "载入演示数据（可重复运行，不会重复写入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=365, help="历史天数")
        parser.add_argument("--per-day", type=int, default=30, help="每社区每天事项数")
        parser.add_argument("--no-train", action="store_true", help="不训练分派模型")
        parser.add_argument(
            "--progress", action="store_true", help="显示每一步的进度（输出到终端时默认显示）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        areas = area_demos()
        loaded = demo_loaded()
        steps = (0 if loaded else 2) + (0 if options["no_train"] else 1) + len(areas)
        progress = Progress(
            self.stdout.write, steps, enabled=options["progress"] or self.stdout.isatty()
        )
        with quiet_query_log():
            if loaded:
                self.stdout.write("演示数据已存在，跳过载入。")
            else:
                self.stdout.write("正在载入演示数据…")
                builder = DemoBuilder(days=options["days"], per_day=options["per_day"])
                with transaction.atomic():
                    with progress.step("地区、人员、事项目录与居民"):
                        builder.build_places(log=self.stdout.write)
                    with progress.step("一年的历史事项"):
                        builder.build_history(log=self.stdout.write, progress=progress)
                self.stdout.write(f"演示数据载入完成，用时 {progress.elapsed():.1f} 秒。")
            # Train first, so the 12345 orders the interop demo imports are routed like real ones.
            if not options["no_train"]:
                with progress.step("训练分派模型"):
                    self._train()
            for name, load_demo in areas:
                with progress.step(name):
                    load_demo(self.stdout.write)
        site = f"http://127.0.0.1:{os.environ.get('PORT') or 8000}"
        self.stdout.write(
            f"\n演示账号（密码均为 {PASSWORD}）：\n"
            "  desk       全岗社工（首问），张骞社区\n"
            "  grid       网格员，张骞社区\n"
            "  secretary  书记（兜底），张骞社区\n"
            "  street     街道工作人员，胜利路街道\n"
            "  district   区级管理员，和平区\n"
            f"工作人员登录：{site}/login/    居民端：{site}/\n"
        )
        if progress.enabled:
            self.stdout.write(f"全部完成，共 {progress.elapsed():.1f} 秒。")

    def _train(self) -> None:
        from doorstep.routing.services import retrain_if_due

        model = retrain_if_due()
        if model is not None:
            self.stdout.write(
                f"分派模型已训练：{model.n_samples} 条样本，{model.seconds} 秒，"
                f"macro-F1 {model.metrics.get('macro_f1', '—')}"
            )


@contextmanager
def quiet_query_log() -> Iterator[None]:
    """DEBUG=1 (the demo) keeps every query's SQL text for the debug toolbar; the loader's
    tens of thousands of queries would only spend time formatting it."""
    with override_settings(DEBUG=False):
        yield
