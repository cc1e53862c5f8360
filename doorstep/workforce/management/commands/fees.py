"""`doorstep fees verify`: recompute the fee counters' hash chains (代收台账校验).

Exit 0 when every chain is intact; exit 1 naming the first bad entry otherwise."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doorstep.workforce.fees import fee_verify


class Command(BaseCommand):
    help = "代收水电费台账：verify 校验哈希链"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验所有社区代收台账的哈希链")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "verify":  # pragma: no cover - argparse refuses others
            raise CommandError("未知的子命令")
        checked, problem = fee_verify()
        if problem is not None:
            self.stderr.write(f"台账校验失败：{problem}")
            raise SystemExit(1)
        self.stdout.write(f"台账完整：已校验 {checked} 条记录。")
