"""Writes for the standing programmes. Each function checks the actor's permission first, runs
in one transaction and either completes or leaves nothing behind.

Views, the demo loader and management commands call these; none of them writes a model here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.cases.models import Case
from doorstep.core import crypto
from doorstep.core.chain import (
    GENESIS_HASH,
    Canonical,
    canonical_day,
    canonical_money,
    canonical_time,
    chain_hash,
)
from doorstep.core.types import Actor
from doorstep.places.choices import COMMUNITY_ROLES, Role
from doorstep.places.models import Community, Resident, StaffProfile
from doorstep.places.selectors import communities_for, staff_profile
from doorstep.workdays.selectors import add_working_days

from .choices import (
    ApplicationStatus,
    AssistanceKind,
    CertificateKind,
    CertificationMethod,
    CertificationResult,
    DisbursementStatus,
    DonationChannel,
    EnrolmentStatus,
    FundEntryKind,
    HouseholdCategory,
    Vote,
)
from .models import (
    AssistanceApplication,
    AssistanceDisbursement,
    Certificate,
    CertificateTemplate,
    FundDisbursementRequest,
    FundEntry,
    LoveFund,
    Meal,
    PanelMember,
    PanelVote,
    PendingCertificate,
    SubsidyCertification,
    SubsidyEnrolment,
    VolunteerRecord,
)
from .selectors import (
    bands_for,
    canteen_rule,
    certificate_missing,
    certificate_placeholders,
    certificate_template,
    meal_price,
    quarter_start,
    subsidy_grace_days,
)

MAX_AMOUNT = Decimal("9999999999.99")
CERTIFICATE_PROMISE_DAYS = 10  # 证明 10 个工作日内办结 (domain §3)
SERIAL_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

# Who may do what (岗位权限).
FUND_RECORD_ROLES = {Role.DESK, Role.SECRETARY}
FUND_APPROVE_ROLES = {Role.SECRETARY, Role.STREET, Role.DISTRICT}
CERTIFICATE_ISSUE_ROLES = {Role.DESK, Role.SECRETARY}
CERTIFICATE_REVOKE_ROLES = {Role.SECRETARY, Role.STREET, Role.DISTRICT}
SUBSIDY_WORK_ROLES = {Role.DESK, Role.GRID, Role.SECRETARY}
ASSISTANCE_ROLES = {Role.SECRETARY, Role.STREET, Role.DISTRICT}
CANTEEN_ROLES = {Role.DESK, Role.SECRETARY}


# ---------------------------------------------------------------- shared helpers


def _profile(actor: Actor) -> StaffProfile:
    profile = staff_profile(actor)
    if profile is None:
        raise PermissionDenied(_("该账号不是工作人员账号。"))
    return profile


def _check_role(actor: Actor, roles: set[Role], message: str) -> StaffProfile:
    profile = _profile(actor)
    if profile.role not in roles:
        raise PermissionDenied(message)
    return profile


def _community(actor: Actor, community_id: int) -> Community:
    """The community, if it lies in the actor's area; otherwise it does not exist for them."""
    return communities_for(actor).select_related("street").get(pk=community_id)


def _visible(actor: Actor, community_id: int) -> None:
    if not communities_for(actor).filter(pk=community_id).exists():
        raise Community.DoesNotExist


def parse_amount(value: Any, field: str = "amount", *, allow_zero: bool = False) -> Decimal:
    """A money amount as Decimal with at most two decimals; floats are refused outright."""
    if isinstance(value, float):
        raise TypeError("money must be Decimal or str, never float")
    try:
        amount = Decimal(str(value).strip().replace("¥", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("金额格式不正确。")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("金额格式不正确。")})
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({field: _("金额最多保留两位小数（精确到分）。")})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("金额必须大于零。")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("金额过大。")})
    return amount.quantize(Decimal("0.01"))


def _text(value: str, field: str, message: str, max_length: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > max_length:
        raise ValidationError({field: _("内容过长，请控制在 %(n)s 字以内。") % {"n": max_length}})
    return text


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# ---------------------------------------------------------------- love fund (一元爱心基金)


def entry_hash(entry: FundEntry) -> str:
    """sha256 over the entry's canonical fields and the previous entry's hash."""
    canonical: Canonical = {
        "community": entry.fund.community_id,
        "seq": entry.seq,
        "kind": entry.kind,
        "amount": canonical_money(entry.amount),
        "day": canonical_day(entry.day),
        "channel": entry.channel,
        "donor_name": entry.donor_name,
        "anonymous": entry.anonymous,
        "donor_count": entry.donor_count,
        "purpose": entry.purpose,
        "recipient": entry.recipient_encrypted,
        "people_helped": entry.people_helped,
        "requested_by": entry.requested_by_id,
        "first_approver": entry.first_approver_id,
        "second_approver": entry.second_approver_id,
        "recorded_by": entry.recorded_by_id,
        "recorded_at": canonical_time(entry.recorded_at),
    }
    return chain_hash(canonical, entry.prev_hash)


def _fund_locked(community: Community) -> LoveFund:
    """The community's fund row, locked for this transaction (every ledger write takes it)."""
    try:
        with transaction.atomic():
            LoveFund.objects.get_or_create(community=community)
    except IntegrityError:  # created concurrently: fine, it exists now
        pass
    return LoveFund.objects.select_for_update().select_related("community").get(community=community)


def _append(fund: LoveFund, kind: FundEntryKind, amount: Decimal, **fields: Any) -> FundEntry:
    """Append one ledger entry; the caller holds the fund's row lock."""
    if kind == FundEntryKind.DISBURSEMENT and fund.balance - amount < 0:
        raise ValidationError(
            {
                "amount": _("基金余额不足：当前余额 ¥%(balance)s，支出 ¥%(amount)s。")
                % {"balance": fund.balance, "amount": amount}
            }
        )
    entry = FundEntry(
        fund=fund,
        seq=fund.entry_count + 1,
        kind=kind,
        amount=amount,
        prev_hash=fund.head_hash,
        recorded_at=fields.pop("recorded_at", None) or timezone.now(),
        **fields,
    )
    entry.hash = entry_hash(entry)
    entry.save()
    fund.entry_count = entry.seq
    fund.head_hash = entry.hash
    fund.balance += amount if kind == FundEntryKind.DONATION else -amount
    fund.save(update_fields=["entry_count", "head_hash", "balance"])
    return entry


@transaction.atomic
def fund_donation_record(
    *,
    actor: Actor,
    community_id: int,
    amount: Any,
    day: date,
    channel: str,
    donor_name: str = "",
    anonymous: bool = False,
    donor_count: int = 1,
    today: date | None = None,
) -> FundEntry:
    """Record a donation (捐款). Future dates and non-positive amounts are refused."""
    _check_role(actor, FUND_RECORD_ROLES, _("只有社区前台或书记可以登记捐款。"))
    community = _community(actor, community_id)
    value = parse_amount(amount)
    if day > _today(today):
        raise ValidationError({"day": _("捐款日期不能晚于今天。")})
    if channel not in DonationChannel.values:
        raise ValidationError({"channel": _("未知的捐款渠道。")})
    if donor_count < 1:
        raise ValidationError({"donor_count": _("捐款人次至少为 1。")})
    name = (
        "" if anonymous else _text(donor_name, "donor_name", _("请填写捐款人，或勾选匿名。"), 100)
    )
    fund = _fund_locked(community)
    return _append(
        fund,
        FundEntryKind.DONATION,
        value,
        day=day,
        channel=channel,
        donor_name=name,
        anonymous=anonymous,
        donor_count=donor_count,
        recorded_by=actor,
    )


@transaction.atomic
def fund_disbursement_request(
    *,
    actor: Actor,
    community_id: int,
    amount: Any,
    purpose: str,
    recipient: str,
    people_helped: int = 1,
    day: date | None = None,
    now: datetime | None = None,
) -> FundDisbursementRequest:
    """Ask to pay out of the fund; two other people must approve it (双人审批)."""
    _check_role(actor, FUND_RECORD_ROLES, _("只有社区前台或书记可以提出支出申请。"))
    community = _community(actor, community_id)
    value = parse_amount(amount)
    purpose = _text(purpose, "purpose", _("请填写支出用途。"))
    recipient = _text(recipient, "recipient", _("请填写受助人（仅授权人员可见）。"), 100)
    if people_helped < 1:
        raise ValidationError({"people_helped": _("受助人数至少为 1。")})
    at = now or timezone.now()
    fund = _fund_locked(community)
    if value > fund.balance:
        raise ValidationError(
            {"amount": _("基金余额不足：当前余额 ¥%(b)s。") % {"b": fund.balance}}
        )
    return FundDisbursementRequest.objects.create(
        fund=fund,
        amount=value,
        purpose=purpose,
        recipient_encrypted=crypto.encrypt(recipient),
        people_helped=people_helped,
        day=day or timezone.localdate(at),
        requested_by=actor,
        requested_at=at,
    )


def _request_locked(actor: Actor, request_id: int) -> FundDisbursementRequest:
    request = (
        FundDisbursementRequest.objects.select_for_update()
        .select_related("fund__community")
        .get(pk=request_id)
    )
    _visible(actor, request.fund.community_id)
    return request


@transaction.atomic
def fund_disbursement_approve(
    *, actor: Actor, request_id: int, now: datetime | None = None
) -> FundDisbursementRequest:
    """First or second approval. The second approver must differ from the first and from the
    requester; the second approval writes the ledger entry under the fund's row lock."""
    _check_role(actor, FUND_APPROVE_ROLES, _("只有书记、街道或区级人员可以审批基金支出。"))
    request = _request_locked(actor, request_id)
    at = now or timezone.now()
    if actor.pk == request.requested_by_id:
        raise ValidationError(_("申请人不能审批自己的支出申请。"))
    if request.status == DisbursementStatus.REQUESTED:
        request.first_approver, request.first_approved_at = actor, at
        request.status = DisbursementStatus.FIRST_APPROVED
        request.save(update_fields=["first_approver", "first_approved_at", "status"])
        return request
    if request.status != DisbursementStatus.FIRST_APPROVED:
        raise ValidationError(
            _("该申请已%(s)s，不能再审批。") % {"s": request.get_status_display()}
        )
    if actor.pk == request.first_approver_id:
        raise ValidationError(_("第二审批人必须与第一审批人不是同一人。"))
    fund = LoveFund.objects.select_for_update().get(pk=request.fund_id)
    entry = _append(
        fund,
        FundEntryKind.DISBURSEMENT,
        request.amount,
        day=request.day,
        purpose=request.purpose,
        recipient_encrypted=request.recipient_encrypted,
        people_helped=request.people_helped,
        requested_by_id=request.requested_by_id,
        first_approver_id=request.first_approver_id,
        second_approver=actor,
        recorded_by=actor,
        recorded_at=at,
    )
    request.second_approver, request.second_approved_at = actor, at
    request.status, request.entry = DisbursementStatus.PAID, entry
    request.save(update_fields=["second_approver", "second_approved_at", "status", "entry"])
    return request


@transaction.atomic
def fund_disbursement_reject(
    *, actor: Actor, request_id: int, reason: str
) -> FundDisbursementRequest:
    _check_role(actor, FUND_APPROVE_ROLES, _("只有书记、街道或区级人员可以审批基金支出。"))
    request = _request_locked(actor, request_id)
    if request.status not in (DisbursementStatus.REQUESTED, DisbursementStatus.FIRST_APPROVED):
        raise ValidationError(_("该申请已%(s)s，不能驳回。") % {"s": request.get_status_display()})
    request.rejection_reason = _text(reason, "reason", _("请填写驳回理由。"))
    request.status = DisbursementStatus.REJECTED
    request.save(update_fields=["rejection_reason", "status"])
    return request


@dataclass(frozen=True)
class ChainProblem:
    community: str
    seq: int
    entry_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.community} 第 {self.seq} 条"
        if self.entry_id is not None:
            where += f"（id={self.entry_id}）"
        return f"{where}：{self.message}"


def fund_verify() -> tuple[int, ChainProblem | None]:
    """Recompute every fund's hash chain. Returns (entries checked, first problem or None).

    A changed row breaks its own hash; a deleted row leaves a gap in `seq` and breaks the next
    entry's `prev_hash`; a deleted newest row no longer matches the fund's `head_hash`."""
    checked = 0
    for fund in LoveFund.objects.select_related("community").order_by("pk"):
        name = fund.community.name
        expected_seq, prev, balance = 1, GENESIS_HASH, Decimal("0.00")
        entries = FundEntry.objects.filter(fund=fund).order_by("seq")
        for entry in entries.iterator(chunk_size=2000):
            entry.fund = fund
            checked += 1
            if entry.seq != expected_seq:
                return checked, ChainProblem(name, expected_seq, None, _("记录缺失（已被删除）"))
            if entry.prev_hash != prev:
                return checked, ChainProblem(
                    name, entry.seq, entry.pk, _("前序哈希不符，前一条记录被改动或删除")
                )
            if entry_hash(entry) != entry.hash:
                return checked, ChainProblem(name, entry.seq, entry.pk, _("记录内容被改动"))
            balance += entry.amount if entry.kind == FundEntryKind.DONATION else -entry.amount
            prev, expected_seq = entry.hash, expected_seq + 1
        if expected_seq - 1 != fund.entry_count or prev != fund.head_hash:
            return checked, ChainProblem(
                name, fund.entry_count, None, _("最新记录缺失（已被删除）")
            )
        if balance != fund.balance:
            return checked, ChainProblem(name, fund.entry_count, None, _("余额与台账合计不符"))
    return checked, None


# ---------------------------------------------------------------- certificates (证明)


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
    profile = _check_role(actor, {Role.DISTRICT}, _("只有区级管理员可以修改证明模板。"))
    if kind not in CertificateKind.values:
        raise ValidationError({"kind": _("未知的证明类型。")})
    title = _text(title, "title", _("请填写标题。"), 100)
    body = _text(body, "body", _("请填写正文。"), 3000)
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
        "id_number": resident.id_number,
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
    _check_role(actor, CERTIFICATE_ISSUE_ROLES, _("只有社区前台或书记可以开具证明。"))
    resident = Resident.objects.select_related("community__street__district", "household").get(
        pk=resident_id
    )
    _visible(actor, resident.community_id)
    if kind not in CertificateKind.values:
        raise ValidationError({"kind": _("未知的证明类型。")})
    return _issue(actor, resident, kind, purpose.strip()[:100], _today(today), None)


@transaction.atomic
def certificate_issue_for_case(
    *, actor: Actor, case_id: int, kind: str, now: datetime | None = None
) -> Certificate | PendingCertificate:
    """Issue the certificate a case asks for. Immediate when the data is on file (the case is
    then resolved with the serial); otherwise the 10-working-day promise is registered, the
    resident is told what is missing and by when, and the case stays open. Calling it again
    once the data is on file issues the certificate and marks the promise kept."""
    from doorstep.cases import services as case_services

    _check_role(actor, CERTIFICATE_ISSUE_ROLES, _("只有社区前台或书记可以开具证明。"))
    at = now or timezone.now()
    today = timezone.localdate(at)
    case = Case.objects.select_related("community__street", "resident").get(pk=case_id)
    _visible(actor, case.community_id)
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
    _check_role(actor, CERTIFICATE_REVOKE_ROLES, _("只有书记、街道或区级人员可以作废证明。"))
    certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
    _visible(actor, certificate.community_id)
    if certificate.revoked_at is not None:
        raise ValidationError(
            _("该证明已于 %(d)s 作废。") % {"d": f"{certificate.revoked_at:%Y-%m-%d}"}
        )
    certificate.revocation_reason = _text(reason, "reason", _("请填写作废理由。"))
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
    hours: Any,
    today: date | None = None,
) -> VolunteerRecord:
    _check_role(actor, COMMUNITY_ROLES, _("只有社区工作人员可以登记志愿服务时长。"))
    resident = Resident.objects.get(pk=resident_id)
    _visible(actor, resident.community_id)
    if day > _today(today):
        raise ValidationError({"day": _("服务日期不能晚于今天。")})
    value = parse_amount(hours, "hours")
    if value > 24 or value != value.quantize(Decimal("0.1")):
        raise ValidationError({"hours": _("单次服务时长须在 0.1 到 24 小时之间。")})
    return VolunteerRecord.objects.create(
        resident=resident,
        day=day,
        activity=_text(activity, "activity", _("请填写活动名称。"), 100),
        hours=value,
    )


# ---------------------------------------------------------------- elderly subsidy (高龄补贴)


@transaction.atomic
def subsidy_propose(*, actor: Actor, community_id: int, today: date | None = None) -> int:
    """Propose enrolment for every resident old enough for the lowest band (by birth date)."""
    _check_role(actor, {Role.DESK, Role.SECRETARY}, _("只有社区前台或书记可以生成建议名单。"))
    community = _community(actor, community_id)
    day = _today(today)
    bands = bands_for(community.street.district_id)
    if not bands:
        return 0
    min_age = bands[0].min_age
    try:
        born_by = day.replace(year=day.year - min_age)
    except ValueError:  # 29 February
        born_by = day.replace(year=day.year - min_age, day=28)
    candidates = (
        Resident.objects.filter(community=community, birth_date__lte=born_by)
        .exclude(subsidy__isnull=False)
        .values_list("pk", flat=True)
    )
    rows = [
        SubsidyEnrolment(resident_id=pk, community=community, proposed_on=day) for pk in candidates
    ]
    SubsidyEnrolment.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def subsidy_confirm(*, actor: Actor, enrolment_ids: list[int], today: date | None = None) -> int:
    """The secretary confirms proposed enrolments (书记确认); payment starts."""
    _check_role(actor, {Role.SECRETARY}, _("只有书记可以确认高龄补贴名单。"))
    day = _today(today)
    qs = SubsidyEnrolment.objects.select_for_update().filter(
        pk__in=enrolment_ids,
        status=EnrolmentStatus.PROPOSED,
        community__in=communities_for(actor),
    )
    return qs.update(status=EnrolmentStatus.ACTIVE, confirmed_on=day, confirmed_by=actor)


@transaction.atomic
def subsidy_certify(
    *,
    actor: Actor,
    enrolment_id: int,
    method: str,
    result: str = CertificationResult.PASSED,
    note: str = "",
    now: datetime | None = None,
) -> SubsidyCertification:
    """Record this quarter's certification (季度认证). A pass reinstates a suspended payment.
    Only the result, method, who and when are kept — never a photo or face data."""
    _check_role(actor, SUBSIDY_WORK_ROLES, _("只有社区工作人员可以登记认证。"))
    enrolment = SubsidyEnrolment.objects.select_for_update().get(pk=enrolment_id)
    _visible(actor, enrolment.community_id)
    if method not in CertificationMethod.values:
        raise ValidationError({"method": _("未知的认证方式。")})
    if result not in CertificationResult.values:
        raise ValidationError({"result": _("未知的认证结果。")})
    if enrolment.status not in (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED):
        raise ValidationError(
            _("该对象状态为%(s)s，不能认证。") % {"s": enrolment.get_status_display()}
        )
    at = now or timezone.now()
    quarter = quarter_start(timezone.localdate(at))
    if (
        result == CertificationResult.PASSED
        and SubsidyCertification.objects.filter(
            enrolment=enrolment, quarter_start=quarter, result=CertificationResult.PASSED
        ).exists()
    ):
        raise ValidationError(_("本季度已认证通过，无需重复认证。"))
    certification = SubsidyCertification.objects.create(
        enrolment=enrolment,
        quarter_start=quarter,
        method=method,
        result=result,
        certified_by=actor,
        certified_at=at,
        note=note.strip()[:200],
    )
    if result == CertificationResult.PASSED and enrolment.status == EnrolmentStatus.SUSPENDED:
        enrolment.status, enrolment.suspended_on = EnrolmentStatus.ACTIVE, None
        enrolment.save(update_fields=["status", "suspended_on"])
    return certification


@transaction.atomic
def subsidy_remind(*, actor: Actor, enrolment_ids: list[int], today: date | None = None) -> int:
    """Mark recipients as reminded (已提醒) — the reminder itself is a call or a visit."""
    _check_role(actor, SUBSIDY_WORK_ROLES, _("只有社区工作人员可以登记提醒。"))
    return SubsidyEnrolment.objects.filter(
        pk__in=enrolment_ids, community__in=communities_for(actor)
    ).update(reminded_on=_today(today))


@transaction.atomic
def subsidy_tick(today: date | None = None) -> int:
    """Suspend the payment of every active recipient not certified this quarter once the grace
    period is over (from quarter start + grace days; for someone confirmed during the quarter,
    from their confirmation + grace days). Idempotent; returns how many were suspended."""
    day = _today(today)
    grace = timedelta(days=subsidy_grace_days())
    quarter = quarter_start(day)
    if day < quarter + grace:
        return 0
    certified = SubsidyCertification.objects.filter(
        quarter_start=quarter, result=CertificationResult.PASSED
    ).values("enrolment_id")
    return (
        SubsidyEnrolment.objects.filter(
            status=EnrolmentStatus.ACTIVE, confirmed_on__lte=day - grace
        )
        .exclude(pk__in=certified)
        .update(status=EnrolmentStatus.SUSPENDED, suspended_on=day)
    )


# ---------------------------------------------------------------- assistance (综合帮扶)

MIN_PANEL_VOTES = 3


@dataclass(frozen=True)
class ApplicationData:
    community_id: int
    applicant_name: str
    kind: str
    household_category: str
    hardship: str
    amount_requested: Any
    documents: str = ""
    resident_id: int | None = None
    applied_on: date | None = None


@transaction.atomic
def assistance_apply(*, actor: Actor, data: ApplicationData) -> AssistanceApplication:
    """Register an application for comprehensive assistance; it goes to the panel."""
    _check_role(actor, ASSISTANCE_ROLES, _("您无权办理综合帮扶。"))
    community = _community(actor, data.community_id)
    if data.kind not in AssistanceKind.values:
        raise ValidationError({"kind": _("请选择帮扶类型。")})
    if data.household_category not in HouseholdCategory.values:
        raise ValidationError({"household_category": _("请选择家庭类别。")})
    resident = None
    if data.resident_id is not None:
        resident = Resident.objects.get(pk=data.resident_id, community=community)
    day = data.applied_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"applied_on": _("申请日期不能晚于今天。")})
    return AssistanceApplication.objects.create(
        community=community,
        resident=resident,
        applicant_name=_text(data.applicant_name, "applicant_name", _("请填写申请人。"), 50),
        kind=data.kind,
        household_category=data.household_category,
        hardship=_text(data.hardship, "hardship", _("请填写困难情况。"), 5000),
        documents=(data.documents or "").strip()[:2000],
        amount_requested=parse_amount(data.amount_requested, "amount_requested"),
        applied_on=day,
        created_by=actor,
    )


@transaction.atomic
def panel_member_add(*, actor: Actor, community_id: int, name: str, note: str = "") -> PanelMember:
    _check_role(actor, ASSISTANCE_ROLES, _("您无权办理综合帮扶。"))
    community = _community(actor, community_id)
    return PanelMember.objects.create(
        community=community,
        name=_text(name, "name", _("请填写成员姓名。"), 50),
        note=(note or "").strip()[:100],
    )


@transaction.atomic
def assistance_vote(
    *,
    actor: Actor,
    application_id: int,
    member_id: int,
    vote: str,
    amount: Any = None,
    comment: str = "",
    conflict_note: str = "",
    now: datetime | None = None,
) -> PanelVote:
    """A panel member's vote, recorded by staff — once. A member with a conflict of interest
    declares it (vote = conflict) and so does not vote on this application (利益冲突回避)."""
    _check_role(actor, ASSISTANCE_ROLES, _("您无权办理综合帮扶。"))
    application = AssistanceApplication.objects.select_for_update().get(pk=application_id)
    _visible(actor, application.community_id)
    member = PanelMember.objects.get(pk=member_id, community_id=application.community_id)
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ValidationError(_("该申请已作出决定，不能再投票。"))
    if not member.active:
        raise ValidationError(_("该成员已不在评议小组中。"))
    previous = PanelVote.objects.filter(application=application, member=member).first()
    if previous is not None:
        if previous.vote == Vote.ABSTAIN_CONFLICT:
            raise ValidationError(
                _("%(name)s 已申报利益冲突，不能参与本申请的投票。") % {"name": member.name}
            )
        raise ValidationError(
            _("%(name)s 已对本申请投过票，每位成员只能投票一次。") % {"name": member.name}
        )
    if vote not in Vote.values:
        raise ValidationError({"vote": _("请选择同意、不同意或回避。")})
    value: Decimal | None = None
    if vote == Vote.ABSTAIN_CONFLICT:
        conflict_note = _text(conflict_note, "conflict_note", _("请说明利益冲突情况。"))
    elif vote == Vote.APPROVE:
        value = parse_amount(amount, "amount")
        if value > application.amount_requested:
            raise ValidationError({"amount": _("建议金额不能超过申请金额。")})
    comment = (comment or "").strip()[:500]
    if vote == Vote.REJECT and not comment:
        raise ValidationError({"comment": _("不同意时请填写理由。")})
    try:
        with transaction.atomic():
            return PanelVote.objects.create(
                application=application,
                member=member,
                vote=vote,
                amount=value,
                comment=comment,
                conflict_note=conflict_note if vote == Vote.ABSTAIN_CONFLICT else "",
                recorded_by=actor,
                at=now or timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(_("%(name)s 已对本申请投过票。") % {"name": member.name}) from None


def panel_outcome(votes: list[PanelVote]) -> tuple[str | None, Decimal | None, str]:
    """The majority of the valid (non-conflicted) votes decides; the amount is the median of the
    approving members' amounts (rounded down to the fen). Returns (status, amount, summary);
    status None when there are too few valid votes or a tie."""
    valid = [v for v in votes if v.vote != Vote.ABSTAIN_CONFLICT]
    approve = sorted(Decimal(v.amount or 0) for v in valid if v.vote == Vote.APPROVE)
    reject = len(valid) - len(approve)
    conflicted = len(votes) - len(valid)
    summary = _("有效票 %(n)s 张：同意 %(a)s，不同意 %(r)s；回避 %(c)s 人。") % {
        "n": len(valid),
        "a": len(approve),
        "r": reject,
        "c": conflicted,
    }
    if len(valid) < MIN_PANEL_VOTES or len(approve) == reject:
        return None, None, summary
    if len(approve) > reject:
        mid = len(approve) // 2
        median = approve[mid] if len(approve) % 2 else (approve[mid - 1] + approve[mid]) / 2
        return ApplicationStatus.APPROVED, median.quantize(Decimal("0.01")), summary
    return ApplicationStatus.REJECTED, None, summary


@transaction.atomic
def assistance_decide(
    *, actor: Actor, application_id: int, reason: str, today: date | None = None
) -> AssistanceApplication:
    """Record the panel's decision with its reasons (at least 3 valid votes, simple majority)."""
    _check_role(actor, ASSISTANCE_ROLES, _("您无权办理综合帮扶。"))
    application = AssistanceApplication.objects.select_for_update().get(pk=application_id)
    _visible(actor, application.community_id)
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ValidationError(_("该申请已作出决定。"))
    reason = _text(reason, "reason", _("请填写决定理由。"), 2000)
    status, amount, summary = panel_outcome(list(application.votes.all()))
    if status is None:
        raise ValidationError(
            _("尚不能决定：须至少 %(min)s 张有效票且同意与不同意票数不相等。%(summary)s")
            % {"min": MIN_PANEL_VOTES, "summary": summary}
        )
    application.status, application.amount_approved = status, amount
    application.decided_on, application.decided_by = _today(today), actor
    application.decision_reason = f"{summary}\n{reason}"
    application.save(
        update_fields=["status", "amount_approved", "decided_on", "decided_by", "decision_reason"]
    )
    return application


@transaction.atomic
def assistance_disburse(
    *,
    actor: Actor,
    application_id: int,
    amount: Any,
    paid_on: date | None = None,
    note: str = "",
) -> AssistanceDisbursement:
    """Pay an approved application; the actor is recorded as the approver; never more than
    the approved amount in total."""
    _check_role(actor, ASSISTANCE_ROLES, _("您无权办理综合帮扶。"))
    application = AssistanceApplication.objects.select_for_update().get(pk=application_id)
    _visible(actor, application.community_id)
    if application.status != ApplicationStatus.APPROVED or application.amount_approved is None:
        raise ValidationError(_("只有评议通过的申请才能发放。"))
    value = parse_amount(amount)
    day = paid_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"paid_on": _("发放日期不能晚于今天。")})
    paid = sum((d.amount for d in application.disbursements.all()), Decimal("0.00"))
    if paid + value > application.amount_approved:
        raise ValidationError(
            {
                "amount": _("累计发放不能超过核定金额 ¥%(a)s（已发放 ¥%(p)s）。")
                % {"a": application.amount_approved, "p": paid}
            }
        )
    return AssistanceDisbursement.objects.create(
        application=application, amount=value, paid_on=day, approved_by=actor, note=note[:200]
    )


# ---------------------------------------------------------------- canteen (社区食堂)

MEAL_PREORDER_DAYS = 7


@transaction.atomic
def meal_record(
    *,
    actor: Actor,
    resident_id: int,
    day: date,
    delivered: bool = False,
    today: date | None = None,
) -> Meal:
    """Record one resident's meal for one day, priced by the rules in force (用餐登记)."""
    _check_role(actor, CANTEEN_ROLES, _("只有社区前台或书记可以登记用餐。"))
    resident = Resident.objects.select_related("community__street").get(pk=resident_id)
    _visible(actor, resident.community_id)
    if day > _today(today) + timedelta(days=MEAL_PREORDER_DAYS):
        raise ValidationError({"day": _("最多只能提前 7 天订餐。")})
    if Meal.objects.filter(resident=resident, day=day).exists():
        raise ValidationError(_("%(name)s 当天已有用餐记录。") % {"name": resident.name})
    rule = canteen_rule(resident.community.street.district_id)
    price = meal_price(rule, resident, day, delivered)
    return Meal.objects.create(
        community=resident.community,
        resident=resident,
        day=day,
        delivered=delivered,
        price=price.price,
        subsidy=price.subsidy,
        delivery_fee=price.delivery_fee,
        paid=price.paid,
        recorded_by=actor,
    )
