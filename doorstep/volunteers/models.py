"""Self-organisations, volunteers, activities, shifts, sign-ups and hours (自组织与志愿服务).

Hours are kept to the minute on the sign-up, with the fields the national volunteer record
needs (服务内容、服务地点、服务时长（不含往返）、组织单位), and posted to the volunteer-record
table of `certificates` that the 志愿服务证明 is made from.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.bookings.models import Facility
from doorstep.certificates.models import VolunteerRecord
from doorstep.places.models import Community, Resident

from .choices import EventKind, MemberRole, SignUpStatus, TeamKind


class Volunteer(models.Model):
    """志愿者 — a resident who volunteers; phone and ID number stay on the Resident (encrypted,
    masked in lists)."""

    resident = models.OneToOneField(Resident, on_delete=models.PROTECT, related_name="volunteer")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    skills = models.CharField(_("特长"), max_length=200, blank=True)
    joined_on = models.DateField(_("登记日期"))

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")

    def __str__(self) -> str:
        return self.resident.name

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split("、") if s]


class Team(models.Model):
    """自组织 / 志愿服务队 — e.g. 萤火虫志愿者服务队, 邻里互助帮帮团, a dance team, a club; may look
    after a facility (the table-tennis club and its tables)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=TeamKind.choices)
    description = models.CharField(_("简介"), max_length=300, blank=True)
    facility = models.ForeignKey(
        Facility,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("负责维护的场地"),
    )
    founded_on = models.DateField(_("成立日期"))

    class Meta:
        verbose_name = _("自组织")
        verbose_name_plural = _("自组织")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_team")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=8, choices=MemberRole.choices)
    joined_on = models.DateField(_("加入日期"))

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        constraints = [
            models.UniqueConstraint(fields=["team", "volunteer"], name="uniq_membership"),
            models.UniqueConstraint(
                fields=["team"], condition=models.Q(role="leader"), name="one_leader_per_team"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.volunteer}"


class MarketSeries(models.Model):
    """公益市集 — a recurring activity (monthly, on the n-th weekday) with its services."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True)
    title = models.CharField(_("名称"), max_length=100)
    place = models.CharField(_("地点"), max_length=200)
    week_of_month = models.PositiveSmallIntegerField(
        _("第几周"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    weekday = models.PositiveSmallIntegerField(_("星期"), validators=[MaxValueValidator(6)])
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))

    class Meta:
        verbose_name = _("公益市集")
        verbose_name_plural = _("公益市集")

    def __str__(self) -> str:
        return self.title


class MarketService(models.Model):
    """A service at the market (免费修鞋、理发、针灸), with who it is for (e.g. 70 岁以上)."""

    series = models.ForeignKey(MarketSeries, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("服务"), max_length=50)
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), null=True, blank=True)
    spots = models.PositiveIntegerField(_("志愿者岗位数"), default=2)

    class Meta:
        verbose_name = _("市集服务")
        verbose_name_plural = _("市集服务")

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """志愿活动 — what the national record calls 服务内容, 服务地点 and 组织单位; volunteers check
    in at the venue by scanning the activity's QR code (tied to this activity and its time)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="activities")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    market = models.ForeignKey(
        MarketSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    title = models.CharField(_("活动名称"), max_length=100)
    content = models.CharField(_("服务内容"), max_length=300)
    place = models.CharField(_("服务地点"), max_length=200)
    organiser = models.CharField(_("组织单位"), max_length=100)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    checkin_token = models.CharField(max_length=32, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    hours_posted_at = models.DateTimeField(_("时长确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("志愿活动")
        verbose_name_plural = _("志愿活动")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["community", "starts_at"], name="activity_comm_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Shift(models.Model):
    """班次 — one role (岗位) of an activity with its own times and number of spots."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="shifts")
    role = models.CharField(_("岗位"), max_length=50)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    spots = models.PositiveIntegerField(_("名额"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.activity} {self.role}"


class SignUp(models.Model):
    """报名 — a volunteer on a shift: confirmed or waiting, then checked in and out; minutes are
    the time served (不含往返), corrected only by the organiser with a reason."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups")
    status = models.CharField(_("状态"), max_length=12, choices=SignUpStatus.choices)
    created_at = models.DateTimeField()
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("服务时长（分钟）"), default=0)
    claimed_minutes = models.PositiveIntegerField(_("自报时长（分钟）"), null=True, blank=True)
    claim_note = models.CharField(_("自报说明"), max_length=200, blank=True)
    record = models.ForeignKey(
        VolunteerRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "volunteer"], name="uniq_signup"),
        ]

    def __str__(self) -> str:
        return f"{self.shift} {self.volunteer}"


class HourCorrection(models.Model):
    """更正记录 — every change of a sign-up's minutes, by whom and why (the trail)."""

    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="corrections")
    minutes_before = models.PositiveIntegerField()
    minutes_after = models.PositiveIntegerField()
    reason = models.CharField(_("理由"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("时长更正")
        verbose_name_plural = _("时长更正")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.signup} {self.minutes_before}→{self.minutes_after}"


class VolunteerEvent(models.Model):
    """The timeline of every change in this area (志愿服务记录轨迹)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, related_name="events"
    )
    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, null=True, related_name="events")
    note = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("志愿服务轨迹")
        verbose_name_plural = _("志愿服务轨迹")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
