"""The love fund's ledger as a spreadsheet (基金台账导出): the columns of
`/programs/fund/?format=xlsx` (`core/exports.export_queryset` writes them). Recipients' names
are never exported: the page shows them to approvers only, a file travels further."""

from __future__ import annotations

from django.utils.translation import gettext as _

from doorstep.core.exports import Column
from doorstep.core.keyset import Ordering

from .choices import FundEntryKind
from .models import FundEntry

BY_SEQ = Ordering("seq")  # the ledger reads newest first; one community's `seq` is unique


def _donor(entry: FundEntry) -> str:
    if entry.kind != FundEntryKind.DONATION:
        return ""
    return _("匿名") if entry.anonymous else entry.donor_name


def _donor_count(entry: FundEntry) -> int | None:
    return entry.donor_count if entry.kind == FundEntryKind.DONATION else None


def _approvers(entry: FundEntry) -> str:
    people = [entry.first_approver, entry.second_approver]
    return " / ".join(u.staff.display_name for u in people if u is not None)


def ledger_columns() -> list[Column[FundEntry]]:
    return [
        Column(_("序号"), lambda e: e.seq),
        Column(_("日期"), lambda e: e.day),
        Column(_("类型"), lambda e: e.get_kind_display()),
        Column(_("金额"), lambda e: e.amount),
        Column(_("渠道"), lambda e: e.get_channel_display()),
        Column(_("捐款人"), _donor),
        Column(_("捐款人次"), _donor_count),
        Column(_("用途"), lambda e: e.purpose),
        Column(_("受助人数"), lambda e: e.people_helped or None),
        Column(_("审批"), _approvers),
        Column(_("哈希"), lambda e: e.hash),
    ]
