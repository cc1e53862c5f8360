"""The columns of the project list's spreadsheet (`core/exports.py` writes it, escaping every
text cell): what the desk list shows, with dates as dates and money as numbers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from doorstep.core.exports import Column

from .models import Project


def project_columns() -> list[Column[Project]]:
    return [
        Column(_("项目"), lambda p: p.title),
        Column(_("社区"), lambda p: p.community.name),
        Column(_("提议方"), lambda p: p.proposer_name),
        Column(_("提议方类型"), lambda p: p.get_proposer_kind_display()),
        Column(_("阶段"), lambda p: p.get_stage_display()),
        Column(_("预算（元）"), lambda p: p.budget),
        Column(_("已支出（元）"), lambda p: p.spent),
        Column(_("提出时间"), lambda p: p.created_at),
    ]
