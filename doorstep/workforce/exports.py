"""The columns of the workforce lists' spreadsheets (`core/exports.py` writes them, escaping
every text cell): workers' certificates and hours, the compliance view, leave, departments on
site, the video line, and the fee counter's monthly ledger (代收台账)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from doorstep.core.exports import Column

from .choices import Compliance
from .models import (
    Attendance,
    ExternalTraining,
    FeePayment,
    Leave,
    OnSiteSession,
    VideoAppointment,
    WorkerRecord,
)
from .selectors import CommunityCompliance, Rule


def _staff(user: object) -> str:
    staff = getattr(user, "staff", None)
    return staff.display_name if staff is not None else ""


def worker_columns(rule: Rule) -> list[Column[WorkerRecord]]:
    return [
        Column(_("姓名"), lambda w: w.name),
        Column(_("岗位"), lambda w: w.post_label),
        Column(_("入职日期"), lambda w: w.hire_date),
        Column(_("取证截止日"), lambda w: w.certificate_deadline),
        Column(_("证书有效期至"), lambda w: w.certified_until),
        Column(_("状态"), lambda w: str(Compliance(w.status).label)),  # type: ignore[attr-defined]
        Column(_("本年学时"), lambda w: w.hours_this_year),  # type: ignore[attr-defined]
        Column(_("应修学时"), lambda w: rule.required_hours(w.post)),
    ]


def attendance_columns() -> list[Column[Attendance]]:
    """A worker's sessions attended (the worker page's training record)."""
    return [
        Column(_("培训日期"), lambda a: a.session.day),
        Column(_("课程"), lambda a: a.session.course.title),
        Column(_("主办单位"), lambda a: a.session.course.organiser),
        Column(_("认定学时"), lambda a: a.hours),
    ]


def external_columns() -> list[Column[ExternalTraining]]:
    return [
        Column(_("日期"), lambda e: e.day),
        Column(_("培训名称"), lambda e: e.title),
        Column(_("证明材料"), lambda e: e.evidence),
        Column(_("学时"), lambda e: e.hours),
        Column(_("状态"), lambda e: e.get_status_display()),
    ]


def compliance_columns() -> list[Column[CommunityCompliance]]:
    return [
        Column(_("街道"), lambda r: r.street),
        Column(_("社区"), lambda r: r.community),
        Column(_("人数"), lambda r: r.workers),
        Column(_("合规"), lambda r: r.compliant),
        Column(_("90天内到期"), lambda r: r.due),
        Column(_("已逾期"), lambda r: r.overdue),
        Column(_("学时不足"), lambda r: r.short_hours),
    ]


def leave_columns() -> list[Column[Leave]]:
    return [
        Column(_("工作人员"), lambda row: _staff(row.worker)),
        Column(_("类型"), lambda row: row.get_kind_display()),
        Column(_("开始日期"), lambda row: row.starts_on),
        Column(_("结束日期"), lambda row: row.ends_on),
        Column(_("备注"), lambda row: row.note),
    ]


def onsite_columns() -> list[Column[OnSiteSession]]:
    return [
        Column(_("社区"), lambda s: s.community.name),
        Column(_("职能部门"), lambda s: s.department.name),
        Column(_("议题"), lambda s: s.topic),
        Column(_("状态"), lambda s: s.get_status_display()),
        Column(_("约请时间"), lambda s: s.requested_at),
        Column(_("确认时段"), lambda s: s.accepted_slot.starts_at if s.accepted_slot else None),
    ]


def video_columns() -> list[Column[VideoAppointment]]:
    return [
        Column(_("开始"), lambda b: b.starts_at),
        Column(_("结束"), lambda b: b.ends_at),
        Column(_("事项"), lambda b: b.topic),
        Column(_("事项查询码"), lambda b: b.case.tracking_code),
        Column(_("社区"), lambda b: b.community.name),
        Column(_("状态"), lambda b: b.get_status_display()),
    ]


def ledger_columns() -> list[Column[FeePayment]]:
    return [
        Column(_("序号"), lambda e: e.seq),
        Column(_("收据号"), lambda e: e.receipt_number),
        Column(_("日期"), lambda e: e.day),
        Column(_("类型"), lambda e: e.get_kind_display()),
        Column(_("缴费人"), lambda e: e.payer_name),
        Column(_("费用类别"), lambda e: e.get_utility_display()),
        Column(_("户号"), lambda e: e.account_number),
        Column(_("所属期"), lambda e: e.period),
        Column(_("方式"), lambda e: e.get_method_display()),
        Column(_("金额（元）"), lambda e: e.signed_amount),
        Column(_("经办人"), lambda e: _staff(e.taken_by)),
        Column(_("确认人"), lambda e: _staff(e.second_person)),
        Column(_("冲正原因"), lambda e: e.reason),
    ]
