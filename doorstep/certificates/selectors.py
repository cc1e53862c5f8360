"""Reads for 证明 (certificates), always scoped to the user's area (辖区范围)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.places import access
from doorstep.places.access import User
from doorstep.places.models import Resident

from .choices import CertificateKind
from .models import Certificate, CertificateTemplate, VolunteerRecord

# ---------------------------------------------------------------- certificates

PLACEHOLDERS: dict[str, Any] = {
    "name": gettext_lazy("姓名"),
    "gender": gettext_lazy("性别"),
    "id_number": gettext_lazy("身份证号"),
    "address": gettext_lazy("住址（区、街道、社区、门牌）"),
    "community": gettext_lazy("社区名称"),
    "street": gettext_lazy("街道名称"),
    "district": gettext_lazy("区名称"),
    "hours": gettext_lazy("志愿服务累计时长"),
    "count": gettext_lazy("志愿服务次数"),
    "first_date": gettext_lazy("首次服务日期"),
    "last_date": gettext_lazy("最近服务日期"),
    "activities": gettext_lazy("参加的活动"),
    "category": gettext_lazy("家庭类别（低保/低收入）"),
    "purpose": gettext_lazy("用途"),
    "date": gettext_lazy("开具日期"),
}

DEFAULT_TEMPLATES: dict[str, tuple[str, str, int]] = {
    CertificateKind.RESIDENCE: (
        "居住证明",
        "兹证明{name}（{gender}，身份证号：{id_number}）现居住于{address}，"
        "系本社区居民。\n\n此证明用于{purpose}。\n\n特此证明。",
        90,
    ),
    CertificateKind.VOLUNTEER: (
        "志愿服务证明",
        "兹证明{name}（身份证号：{id_number}）于{first_date}至{last_date}期间，"
        "在{community}参加志愿服务{count}次，累计服务时长{hours}小时，"
        "主要参加：{activities}。\n\n特此证明。",
        365,
    ),
    CertificateKind.HARDSHIP: (
        "学生家庭经济困难证明",
        "兹证明{name}（身份证号：{id_number}），家住{address}，其家庭为{category}，"
        "家庭经济困难，情况属实。\n\n此证明用于{purpose}。\n\n特此证明。",
        180,
    ),
}


def certificate_placeholders() -> dict[str, str]:
    return {key: str(label) for key, label in PLACEHOLDERS.items()}


def certificate_template(district_id: int, kind: str) -> CertificateTemplate:
    """The district's template for `kind`, or the built-in default (unsaved)."""
    saved = CertificateTemplate.objects.filter(district_id=district_id, kind=kind).first()
    if saved is not None:
        return saved
    title, body, days = DEFAULT_TEMPLATES[kind]
    return CertificateTemplate(
        district_id=district_id, kind=kind, title=title, body=body, validity_days=days
    )


def certificate_missing(resident: Resident, kind: str) -> str:
    """What is not on file for this certificate ('' when it can be issued at once)."""
    if (
        kind in (CertificateKind.RESIDENCE, CertificateKind.HARDSHIP)
        and resident.household_id is None
    ):
        return _("居民未登记户籍住址")
    if (
        kind == CertificateKind.VOLUNTEER
        and not VolunteerRecord.objects.filter(resident=resident).exists()
    ):
        return _("没有志愿服务时长记录")
    if kind == CertificateKind.HARDSHIP and not (
        resident.subsistence_allowance or resident.low_income
    ):
        return _("居民家庭未登记为低保或低收入家庭")
    return ""


def certificates_visible_to(user: User) -> QuerySet[Certificate]:
    return access.visible_to(user, Certificate).select_related(
        "resident", "community", "issued_by__staff"
    )


def certificates_list(
    user: User, kind: str = "", community_id: int | None = None
) -> QuerySet[Certificate]:
    """The certificates list as the page and its export show it: the user's area, optionally
    one type and one community of it."""
    qs = certificates_visible_to(user)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(community_id=community_id) if community_id else qs
