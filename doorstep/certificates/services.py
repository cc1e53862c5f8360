"""Writes for 证明 (certificates). Each function checks the actor's permission
first, runs in one transaction and either completes or leaves nothing behind."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.cases.models import Case
from doorstep.core.money import parse_amount
from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.models import Resident
from doorstep.programmes.common import audit, required_text, today_or
from doorstep.workdays.selectors import add_working_days

from .choices import CertificateKind
from .models import Certificate, CertificateTemplate, PendingCertificate, VolunteerRecord
from .selectors import certificate_missing, certificate_placeholders, certificate_template

CERTIFICATE_PROMISE_DAYS = 10  # 证明 10 个工作日内办结 (domain §3)
SERIAL_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


# ---------------------------------------------------------------- certificates (证明)


ID_NUMBER_PLACEHOLDER = "{id_number}"


def certificate_text(certificate: Certificate, *, full: bool) -> tuple[str, str]:
    """Title and body as printed: the resident's ID number masked, or in full for a print
    the caller has audited (`certificate_print`)."""
    resident = certificate.resident
    number = resident.id_number if full else resident.id_number_masked
    return (
        certificate.title.replace(ID_NUMBER_PLACEHOLDER, number),
        certificate.body.replace(ID_NUMBER_PLACEHOLDER, number),
    )


@transaction.atomic
def certificate_print(
    *, actor: Actor, certificate_id: int, reason: str = ""
) -> tuple[Certificate, str, str]:
    """Print a certificate (打印证明): only roles that issue certificates, in their area. With
    a typed reason the ID number is printed in full and an audit entry is written; without
    one it is masked."""
    from doorstep.core.services import personal_data_shown

    access.require(actor, "certificates.issue", _("只有社区前台或书记可以打印证明。"))
    certificate = access.access_object(
        actor, Certificate.objects.select_related("resident", "community"), certificate_id
    )
    reason = (reason or "").strip()
    full = bool(reason)
    if full:
        if len(reason) < 2:
            raise ValidationError({"reason": _("打印完整身份证号须填写理由。")})
        personal_data_shown(
            actor=actor,
            action="certificate_print",
            object_type="certificate",
            object_id=certificate.serial,
            field="id_number",
            reason=reason,
        )
    title, body = certificate_text(certificate, full=full)
    return certificate, title, body


def serial_new(today: date) -> str:
    """`ZM2026-K7QM4XPD`: 8 symbols from 31 (≈ 8.5 × 10¹¹ per year) — unguessable."""
    raw = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(8))
    return f"ZM{today.year}-{raw}"


class _Placeholders(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise ValidationError({"body": _("模板中有未知的占位符：{%(key)s}") % {"key": key}})


def render_template_text(text: str, values: dict[str, str]) -> str:
    try:
        return text.format_map(_Placeholders(values))
    except (ValueError, IndexError, AttributeError):
        raise ValidationError(
            {"body": _("模板格式不正确：花括号须成对使用，如 {name}。")}
        ) from None


@transaction.atomic
def certificate_template_save(
    *, actor: Actor, kind: str, title: str, body: str, validity_days: int
) -> CertificateTemplate:
    """The district edits a certificate template (区级统一制定证明模板)."""
    profile = access.require(actor, "certificates.templates", _("只有区级管理员可以修改证明模板。"))
    if kind not in CertificateKind.values:
        raise ValidationError({"kind": _("未知的证明类型。")})
    title = required_text(title, "title", _("请填写标题。"), 100)
    body = required_text(body, "body", _("请填写正文。"), 3000)
    if not 1 <= validity_days <= 3650:
        raise ValidationError({"validity_days": _("有效期须在 1 到 3650 天之间。")})
    sample = {key: "x" for key in certificate_placeholders()}
    render_template_text(title, sample)
    render_template_text(body, sample)
    template, _created = CertificateTemplate.objects.update_or_create(
        district_id=profile.district_id,
        kind=kind,
        defaults={
            "title": title,
            "body": body,
            "validity_days": validity_days,
            "updated_by": actor,
        },
    )
    # The row keeps only the latest edit: the audit entry keeps each one.
    audit(actor, "certificate_template_save", "certificate_template", template.pk, title)
    return template


def _issue(
    actor: Actor, resident: Resident, kind: str, purpose: str, today: date, case: Case | None
) -> Certificate:
    missing = certificate_missing(resident, kind)
    if missing:
        raise ValidationError(_("无法开具：%(missing)s") % {"missing": missing})
    community = resident.community
    template = certificate_template(community.street.district_id, kind)
    values = certificate_values(resident, purpose, today)
    for _attempt in range(5):
        serial = serial_new(today)
        if not Certificate.objects.filter(serial=serial).exists():
            break
    return Certificate.objects.create(
        serial=serial,
        kind=kind,
        community=community,
        resident=resident,
        case=case,
        title=render_template_text(template.title, values),
        body=render_template_text(template.body, values),
        issued_on=today,
        valid_until=today + timedelta(days=template.validity_days),
        issued_by=actor,
    )


def certificate_values(resident: Resident, purpose: str, today: date) -> dict[str, str]:
    """What the placeholders stand for, for one resident."""
    from django.db.models import Count, Max, Min, Sum

    community = resident.community
    household = resident.household
    address = ""
    if household is not None:
        address = (
            f"{community.street.district.name}{community.street.name}{community.name}{household}"
        )
    volunteering = VolunteerRecord.objects.filter(resident=resident).aggregate(
        hours=Sum("hours"), n=Count("id"), first=Min("day"), last=Max("day")
    )
    activities = list(
        VolunteerRecord.objects.filter(resident=resident)
        .values_list("activity", flat=True)
        .distinct()[:5]
    )
    category = (
        _("低保家庭")
        if resident.subsistence_allowance
        else (_("低收入家庭") if resident.low_income else "")
    )
    return {
        "name": resident.name,
        "gender": resident.get_gender_display() or "",
        # Kept as a placeholder in the stored text; filled in only when printed.
        "id_number": ID_NUMBER_PLACEHOLDER,
        "address": address,
        "community": community.name,
        "street": community.street.name,
        "district": community.street.district.name,
        "hours": str(volunteering["hours"] or 0),
        "count": str(volunteering["n"]),
        "first_date": (volunteering["first"] or today).strftime("%Y年%m月%d日"),
        "last_date": (volunteering["last"] or today).strftime("%Y年%m月%d日"),
        "activities": "、".join(activities),
        "category": category,
        "purpose": purpose or _("办理相关事务"),
        "date": today.strftime("%Y年%m月%d日"),
    }


@transaction.atomic
def certificate_issue(
    *, actor: Actor, resident_id: int, kind: str, purpose: str = "", today: date | None = None
) -> Certificate:
    """Issue a certificate at the desk when the data is on file."""
    access.require(actor, "certificates.issue", _("只有社区前台或书记可以开具证明。"))
    resident = access.access_object(
        actor,
        Resident.objects.select_related("community__street__district", "household"),
        resident_id,
    )
    if kind not in CertificateKind.values:
        raise ValidationError({"kind": _("未知的证明类型。")})
    return _issue(actor, resident, kind, purpose.strip()[:100], today_or(today), None)


@transaction.atomic
def certificate_issue_for_case(
    *, actor: Actor, case_id: int, kind: str, now: datetime | None = None
) -> Certificate | PendingCertificate:
    """Issue the certificate a case asks for. Immediate when the data is on file (the case is
    then resolved with the serial); otherwise the 10-working-day promise is registered, the
    resident is told what is missing and by when, and the case stays open. Calling it again
    once the data is on file issues the certificate and marks the promise kept."""
    from doorstep.cases import services as case_services

    access.require(actor, "certificates.issue", _("只有社区前台或书记可以开具证明。"))
    at = now or timezone.now()
    today = timezone.localdate(at)
    # Locked: two desks answering the same case at once would issue two certificates.
    case = access.access_object(
        actor, Case.objects.select_related("community__street"), case_id, lock=True
    )
    if kind not in CertificateKind.values:
        raise ValidationError({"kind": _("未知的证明类型。")})
    label = CertificateKind(kind).label
    resident = None
    if case.resident_id is not None:
        resident = Resident.objects.select_related("community__street__district", "household").get(
            pk=case.resident_id
        )
    missing = certificate_missing(resident, kind) if resident else _("事项未关联居民档案")
    if not missing and resident is not None:
        certificate = _issue(actor, resident, kind, "", today, case)
        # A promise made earlier on this case is now kept.
        PendingCertificate.objects.filter(case=case, kind=kind, certificate__isnull=True).update(
            certificate=certificate
        )
        case_services.case_resolve(
            actor=actor,
            case_id=case.pk,
            reply=_("您的%(label)s已开具，编号 %(serial)s，可扫描证明上的二维码核验。")
            % {"label": label, "serial": certificate.serial},
            now=at,
        )
        return certificate
    due = add_working_days(today, CERTIFICATE_PROMISE_DAYS, case.community.street.district_id)
    pending = PendingCertificate.objects.create(
        case=case, kind=kind, due_on=due, missing=str(missing)[:200], created_at=at
    )
    case_services.case_reply(
        actor=actor,
        case_id=case.pk,
        text=_("您申请的%(label)s需核实资料（%(missing)s），我们将在 %(due)s 前办结并通知您。")
        % {"label": label, "missing": missing, "due": due.strftime("%Y年%m月%d日")},
        now=at,
    )
    return pending


@transaction.atomic
def certificate_revoke(
    *, actor: Actor, certificate_id: int, reason: str, now: datetime | None = None
) -> Certificate:
    """作废. The verify page then shows the certificate as revoked, with the date."""
    access.require(actor, "certificates.revoke", _("只有书记、街道或区级人员可以作废证明。"))
    certificate = access.access_object(actor, Certificate, certificate_id, lock=True)
    if certificate.revoked_at is not None:
        raise ValidationError(
            _("该证明已于 %(d)s 作废。") % {"d": f"{certificate.revoked_at:%Y-%m-%d}"}
        )
    certificate.revocation_reason = required_text(reason, "reason", _("请填写作废理由。"))
    certificate.revoked_at, certificate.revoked_by = now or timezone.now(), actor
    certificate.save(update_fields=["revocation_reason", "revoked_at", "revoked_by"])
    return certificate


@transaction.atomic
def volunteer_record_add(
    *,
    actor: Actor,
    resident_id: int,
    day: date,
    activity: str,
    hours: object,
    today: date | None = None,
) -> VolunteerRecord:
    access.require(
        actor, "certificates.volunteer_hours", _("只有社区工作人员可以登记志愿服务时长。")
    )
    resident = access.access_object(actor, Resident, resident_id)
    record = _volunteer_record(resident, day, activity, hours, today_or(today))
    record.save()
    audit(actor, "volunteer_record_add", "volunteer_record", record.pk, record.activity)
    return record


def _volunteer_record(
    resident: Resident, day: date, activity: str, hours: object, today: date
) -> VolunteerRecord:
    """One volunteer record checked (unsaved): a day no later than today, whole tenths of an
    hour up to 24, an activity named."""
    if day > today:
        raise ValidationError({"day": _("服务日期不能晚于今天。")})
    value = parse_amount(hours, "hours")
    if value > 24 or value != value.quantize(Decimal("0.1")):
        raise ValidationError({"hours": _("单次服务时长须在 0.1 到 24 小时之间。")})
    return VolunteerRecord(
        resident=resident,
        day=day,
        activity=required_text(activity, "activity", _("请填写活动名称。"), 100),
        hours=value,
    )


@dataclass(frozen=True)
class PastVolunteerRecord:
    """Volunteer service recorded before (an earlier sign-in book moved in)."""

    resident_id: int
    day: date
    activity: str
    hours: Decimal


@transaction.atomic
def volunteer_history_load(
    *, actor: Actor, records: list[PastVolunteerRecord], today: date | None = None
) -> int:
    """Bulk-insert earlier volunteer service (历史志愿服务记录导入), each record checked as
    `volunteer_record_add` checks one: a resident in the actor's area, a day no later than
    today, whole tenths of an hour up to 24, an activity named. One bulk insert, one audit
    entry; a wrong line names its number and nothing is written. Community staff only."""
    access.require(
        actor, "certificates.volunteer_hours", _("只有社区工作人员可以登记志愿服务时长。")
    )
    day = today_or(today)
    ids = {r.resident_id for r in records}
    residents = access.visible_to(actor, Resident).filter(pk__in=ids).in_bulk()
    rows: list[VolunteerRecord] = []
    for n, past in enumerate(records, start=1):
        try:
            resident = residents.get(past.resident_id)
            if resident is None:
                raise ValidationError({"resident_id": _("该居民不在您的辖区。")})
            rows.append(_volunteer_record(resident, past.day, past.activity, past.hours, day))
        except ValidationError as error:
            raise ValidationError(
                _("第 %(n)s 件：%(e)s") % {"n": n, "e": "；".join(error.messages)}
            ) from None
    VolunteerRecord.objects.bulk_create(rows, batch_size=2000)
    note = _("导入志愿服务记录 %(n)s 条") % {"n": len(rows)}
    loaded = f"{rows[0].pk}-{rows[-1].pk}" if rows else "-"
    audit(actor, "volunteer_history_load", "volunteer_record", loaded, note)
    return len(rows)
