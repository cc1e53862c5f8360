"""The workforce (队伍建设): qualifications and training, leave, departments on site,
stationed street staff, and the utility-fee counter (代收水电费).

Money is always `Decimal` in `DecimalField(max_digits=12, decimal_places=2)`.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from doorstep.cases.models import Case
from doorstep.catalog.models import ServiceItem
from doorstep.places import access
from doorstep.places.choices import Role
from doorstep.places.models import Community, Department, District, Household, Resident, Street

from .choices import (
    AlertKind,
    CertificateKind,
    ExternalStatus,
    LeaveKind,
    PaymentKind,
    PayMethod,
    SessionStatus,
    Utility,
    VideoStatus,
)

ZERO = Decimal("0.00")
StrOrPromise = str | Promise
USER = settings.AUTH_USER_MODEL


def money(verbose: StrOrPromise, **kw: object) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=12, decimal_places=2, **kw)  # type: ignore[arg-type]


def hours(verbose: StrOrPromise, **kw: object) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=6, decimal_places=1, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------- rules


class WorkforceRule(models.Model):
    """A district's rules (持证与培训规定). Without a row the defaults are Tianjin's: a
    certificate within 2 years of hire for workers under 45; 40 training hours a year for
    secretaries and directors, 20 for everyone else."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("规定名称"), max_length=100)
    certificate_years = models.PositiveSmallIntegerField(_("取证期限（年）"), default=2)
    age_limit = models.PositiveSmallIntegerField(_("须持证年龄上限"), default=45)
    leader_hours = hours(_("书记、主任年度学时"), default=Decimal("40"))
    other_hours = hours(_("其他人员年度学时"), default=Decimal("20"))

    class Meta:
        verbose_name = _("持证与培训规定")
        verbose_name_plural = _("持证与培训规定")

    def __str__(self) -> str:
        return self.label


# ---------------------------------------------------------------- qualifications


class WorkerRecord(models.Model):
    """工作人员档案: one per staff account. `certificate_deadline` (hire + N years, empty when
    the rule does not apply) and `certified_until` (the latest expiry of a qualifying
    certificate; 9999-12-31 for one that never expires) are kept by the services so the
    compliance status is a date comparison the database can group by community."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="worker_record")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey(Street, on_delete=models.PROTECT, null=True, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, null=True, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("岗位"), max_length=20)
    hire_date = models.DateField(_("入职日期"))
    birth_date = models.DateField(_("出生日期"))
    certificate_deadline = models.DateField(_("取证截止日"), null=True, blank=True)
    certified_until = models.DateField(_("证书有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作人员档案")
        verbose_name_plural = _("工作人员档案")
        indexes = [models.Index(fields=["community", "post"]), models.Index(fields=["street"])]

    def __str__(self) -> str:
        return self.name

    @property
    def post_label(self) -> str:
        return str(Role(self.post).label) if self.post in Role.values else self.post


class Certificate(models.Model):
    """A certificate a worker holds (证书): kind, number, issued, expires. Some need
    continuing-education hours per registration period (继续教育学时/登记周期)."""

    worker = models.ForeignKey(WorkerRecord, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("证书类别"), max_length=20, choices=CertificateKind.choices)
    number = models.CharField(_("证书编号"), max_length=50)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    period_years = models.PositiveSmallIntegerField(_("登记周期（年）"), null=True, blank=True)
    period_hours = hours(_("每周期继续教育学时"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="certificate_expires_after_issue",
            ),
            models.UniqueConstraint(fields=["kind", "number"], name="uniq_certificate_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Alert(models.Model):
    """A reminder sent ahead of a deadline (90/30/7 days) to the worker or the secretary.
    Unique per (worker, recipient, kind, target date, lead) so the tick can run again."""

    worker = models.ForeignKey(WorkerRecord, on_delete=models.CASCADE, related_name="alerts")
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=AlertKind.choices)
    target_date = models.DateField(_("到期日"))
    lead_days = models.PositiveSmallIntegerField(_("提前天数"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        ordering = ["target_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "recipient", "kind", "target_date", "lead_days"],
                name="uniq_alert",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.get_kind_display()} {self.target_date}"


# ---------------------------------------------------------------- training


class Course(models.Model):
    """培训课程, run by a community, a street or the district; it may have several sessions."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey(Street, on_delete=models.PROTECT, null=True, blank=True)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, null=True, blank=True)
    title = models.CharField(_("课程名称"), max_length=100)
    organiser = models.CharField(_("主办单位"), max_length=100)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("日期"))
    hours = hours(_("学时"))
    place = models.CharField(_("地点"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("培训场次")
        verbose_name_plural = _("培训场次")
        ordering = ["day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24), name="session_hours_in_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.day}"


class Attendance(models.Model):
    """签到: the hours a worker is credited for one session."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    worker = models.ForeignKey(WorkerRecord, on_delete=models.CASCADE, related_name="attendance")
    hours = hours(_("认定学时"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("培训签到")
        verbose_name_plural = _("培训签到")
        constraints = [
            models.UniqueConstraint(fields=["session", "worker"], name="uniq_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.session}"


class ExternalTraining(models.Model):
    """外部培训学时: entered with evidence, credited once someone else approves it."""

    worker = models.ForeignKey(WorkerRecord, on_delete=models.CASCADE, related_name="external")
    title = models.CharField(_("培训名称"), max_length=100)
    day = models.DateField(_("日期"))
    hours = hours(_("学时"))
    evidence = models.CharField(_("证明材料"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExternalStatus.choices, default=ExternalStatus.PENDING
    )
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("外部培训")
        verbose_name_plural = _("外部培训")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.worker} {self.title}"


class TrainingYear(models.Model):
    """Credited hours per worker per calendar year, kept in the same transaction as the credit
    so the compliance view reads one row per worker."""

    worker = models.ForeignKey(WorkerRecord, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField()
    hours = hours(_("年度学时"), default=Decimal("0"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "year"], name="uniq_training_year")
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.year}"


# ---------------------------------------------------------------- leave and stationed staff


class Leave(models.Model):
    """请假/休假 — while it runs, the worker's B post holds their cases (代岗)."""

    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=LeaveKind.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("请假")
        verbose_name_plural = _("请假")
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["worker", "starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="leave_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.starts_on}~{self.ends_on}"


class StationedStaff(models.Model):
    """下沉: a street service-hall worker sitting at a community's desk; the items listed route
    to them there."""

    worker = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    items = models.ManyToManyField(ServiceItem, related_name="+", verbose_name=_("下沉事项"))
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("下沉人员")
        verbose_name_plural = _("下沉人员")
        constraints = [
            models.UniqueConstraint(fields=["worker", "community"], name="uniq_stationed")
        ]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.community}"


# ---------------------------------------------------------------- departments on site


class OnSiteSession(models.Model):
    """约请职能部门现场办公: a department invited to work at the station on linked cases."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("议题"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.REQUESTED
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    accepted_slot = models.ForeignKey(
        "OnSiteSlot", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    cases = models.ManyToManyField(Case, through="OnSiteCase", related_name="+")

    class Meta:
        verbose_name = _("部门现场办公")
        verbose_name_plural = _("部门现场办公")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.department} {self.topic}"


class OnSiteSlot(models.Model):
    session = models.ForeignKey(OnSiteSession, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="onsite_slot_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class OnSiteCase(models.Model):
    session = models.ForeignKey(OnSiteSession, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    outcome = models.TextField(_("办理结果"), blank=True)
    outcome_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "case"], name="uniq_onsite_case")]

    def __str__(self) -> str:
        return f"{self.session} {self.case}"


class VideoAppointment(models.Model):
    """视频连线: a case's appointment with the street affairs centre (e.g. renewing a medical
    record booklet)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    topic = models.CharField(_("事项"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=10, choices=VideoStatus.choices, default=VideoStatus.BOOKED
    )
    booked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("视频连线")
        verbose_name_plural = _("视频连线")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="video_slot_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.starts_at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------- fee counter (代收水电费)


class FeeCounter(models.Model):
    """A community's fee counter: the row every ledger write locks, and the head of its hash
    chain (so deleting the newest payment is noticed too)."""

    community = models.OneToOneField(Community, on_delete=models.PROTECT, related_name="+")
    entry_count = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("代收柜台")
        verbose_name_plural = _("代收柜台")

    def __str__(self) -> str:
        return f"{self.community}"


class FeePayment(models.Model):
    """One line of the counter's append-only ledger: a payment taken, or the reversal (冲正)
    of one, made by a second person with a reason. Never edited, never deleted."""

    counter = models.ForeignKey(FeeCounter, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=10, choices=PaymentKind.choices)
    receipt_number = models.CharField(_("收据号"), max_length=30, unique=True)
    payer_resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payer_household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payer_name = models.CharField(_("缴费人"), max_length=50)
    utility = models.CharField(_("费用类别"), max_length=12, choices=Utility.choices)
    account_number = models.CharField(_("户号"), max_length=30)
    period = models.CharField(_("所属期"), max_length=7)
    amount = money(_("金额"))
    method = models.CharField(_("方式"), max_length=4, choices=PayMethod.choices)
    day = models.DateField(_("日期"), db_index=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    reason = models.CharField(_("冲正原因"), max_length=200, blank=True)
    taken_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    second_person = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("代收记录")
        verbose_name_plural = _("代收记录")
        ordering = ["counter", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["counter", "seq"], name="uniq_fee_seq"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fee_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} ¥{self.amount}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Append-only: the ORM may add a row but never change one.
        if self.pk is not None:
            raise ValueError("fee payments are append-only")
        super().save(*args, **kwargs)

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.kind == PaymentKind.PAYMENT else -self.amount


class FeeDayClose(models.Model):
    """日结: the day's cash counted against the ledger; after it, that day takes no payments."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("日期"))
    cash_expected = money(_("应有现金"))
    cash_counted = money(_("实点现金"))
    discrepancy = money(_("差额"))
    qr_total = money(_("扫码合计"))
    payments = models.PositiveIntegerField(_("笔数"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    closed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("日结")
        verbose_name_plural = _("日结")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["community", "day"], name="uniq_fee_day_close")
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.day}"


class FeeReversalRequest(models.Model):
    """冲正申请: the cashier asks, with a reason; a second person approves, which appends the
    reversal to the ledger. The payment itself is never edited."""

    payment = models.OneToOneField(FeePayment, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("冲正原因"), max_length=200)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    reversal = models.OneToOneField(
        FeePayment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("冲正申请")
        verbose_name_plural = _("冲正申请")

    def __str__(self) -> str:
        return f"{self.payment}"


# Area scopes (places.access). Worker records are kept at the level of the post (community,
# street or district); department staff see only their own record, leave and training.
access.register(
    WorkerRecord,
    access.Scope(community="community", street="street", district="district", owner="user"),
)
access.register(
    ExternalTraining,
    access.Scope(
        community="worker__community",
        street="worker__street",
        district="worker__district",
        owner="worker__user",
    ),
)
# Street and district courses (no community) are open to the whole district.
access.register(
    TrainingSession,
    access.Scope(community="course__community", shared_district="course__district"),
)
access.register(Leave, access.Scope(community="community", owner="worker"))
access.register(OnSiteSession, access.Scope(community="community", department="department"))
access.register(VideoAppointment, access.Scope(community="community"))
access.register(
    FeePayment, access.Scope(community="counter__community", departments_see_nothing=True)
)
