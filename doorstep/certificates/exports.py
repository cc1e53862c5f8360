"""Issued certificates as a spreadsheet (证明台账导出): the columns of
`/programs/certificates/?format=xlsx`; ID numbers masked."""

from __future__ import annotations

from django.utils.translation import gettext as _

from doorstep.core.exports import Column
from doorstep.core.keyset import Ordering

from .models import Certificate

BY_ISSUED = Ordering("issued_on")  # newest first, ties on id (the model's own ordering)


def certificate_columns() -> list[Column[Certificate]]:
    return [
        Column(_("编号"), lambda c: c.serial),
        Column(_("类型"), lambda c: c.get_kind_display()),
        Column(_("居民"), lambda c: c.resident.name),
        Column(_("身份证号（脱敏）"), lambda c: c.resident.id_number_masked),
        Column(_("社区"), lambda c: c.community.name),
        Column(_("开具日期"), lambda c: c.issued_on),
        Column(_("有效期至"), lambda c: c.valid_until),
        Column(_("开具人"), lambda c: c.issued_by.staff.display_name),
        Column(_("状态"), lambda c: _("已作废") if c.revoked else _("有效")),
        Column(_("作废时间"), lambda c: c.revoked_at),
    ]
