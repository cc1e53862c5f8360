"""`doorstep demo`: load the demo data once (a second run changes nothing)."""

import os
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from doorstep.ops.demo import PASSWORD, DemoBuilder, demo_loaded


def area_demos() -> list[Callable[[Callable[[str], Any]], None]]:
    """Each area adds its own demo data on top of the base; each is idempotent."""
    from doorstep.assistance.demo import load_demo as assistance
    from doorstep.bookings.demo import load_demo as bookings
    from doorstep.canteen.demo import load_demo as canteen
    from doorstep.certificates.demo import load_demo as certificates
    from doorstep.field.demo import load_demo as field
    from doorstep.fund.demo import load_demo as fund
    from doorstep.interop.demo import load_demo as interop
    from doorstep.participation.demo import load_demo as participation
    from doorstep.rollups.demo import load_demo as rollups
    from doorstep.subsidy.demo import load_demo as subsidy
    from doorstep.volunteers.demo import load_demo as volunteers
    from doorstep.workforce.demo import load_demo as workforce

    programmes = [fund, subsidy, assistance, canteen, certificates]
    return [field, interop, *programmes, workforce, bookings, volunteers, participation, rollups]


class Command(BaseCommand):
    help = "载入演示数据（可重复运行，不会重复写入）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=365, help="历史天数")
        parser.add_argument("--per-day", type=int, default=30, help="每社区每天事项数")
        parser.add_argument("--no-train", action="store_true", help="不训练分派模型")

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_loaded():
            self.stdout.write("演示数据已存在，跳过载入。")
        else:
            started = time.perf_counter()
            self.stdout.write("正在载入演示数据…")
            with transaction.atomic():
                DemoBuilder(days=options["days"], per_day=options["per_day"]).build(
                    log=self.stdout.write
                )
            self.stdout.write(f"演示数据载入完成，用时 {time.perf_counter() - started:.1f} 秒。")
        # Train first, so the 12345 orders the interop demo imports are routed like real ones.
        if not options["no_train"]:
            from doorstep.routing.services import retrain_if_due

            model = retrain_if_due()
            if model is not None:
                self.stdout.write(
                    f"分派模型已训练：{model.n_samples} 条样本，{model.seconds} 秒，"
                    f"macro-F1 {model.metrics.get('macro_f1', '—')}"
                )
        for load_demo in area_demos():
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
