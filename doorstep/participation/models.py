"""Residents take part (居民参与): neighbourhood projects through the three meetings (三会) and
the ten practical things a year (为民服务十件实事)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.catalog.models import Demand
from doorstep.core import crypto
from doorstep.places.models import Building, Community, Compound, Resident

from .choices import (
    Adoption,
    EventKind,
    FundingSource,
    MeetingKind,
    MeetingStatus,
    ProposerKind,
    RegistrationStatus,
    Stage,
    ThingStatus,
    VoteMethod,
    VoteOutcome,
)

ZERO = Decimal("0")


class Project(models.Model):
    """A neighbourhood project (社区微更新项目: 微公园, 停车位, 充电桩, 加装电梯 …) that residents
    decide on at a hearing, follow at coordination meetings and judge at an evaluation."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("项目名称"), max_length=100)
    summary = models.TextField(_("项目说明"), blank=True)
    compound = models.ForeignKey(
        Compound, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("小区")
    )
    building = models.ForeignKey(
        Building, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("楼栋")
    )
    proposer_kind = models.CharField(_("提议方"), max_length=12, choices=ProposerKind.choices)
    proposer_name = models.CharField(_("提议人/组织"), max_length=100, blank=True)
    proposer_resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    demand = models.ForeignKey(
        Demand, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    source_case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    budget = models.DecimalField(_("预算（元）"), max_digits=12, decimal_places=2, default=ZERO)
    funding_source = models.CharField(_("资金来源"), max_length=12, choices=FundingSource.choices)
    spent = models.DecimalField(_("已支出（元）"), max_digits=12, decimal_places=2, default=ZERO)
    stage = models.CharField(
        _("阶段"), max_length=12, choices=Stage.choices, default=Stage.PROPOSED, db_index=True
    )
    quality_score = models.DecimalField(
        _("工程质量评分"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    satisfaction_score = models.DecimalField(
        _("满意度评分"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    score_count = models.PositiveIntegerField(_("评分人数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提出时间"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("参与项目")
        verbose_name_plural = _("参与项目")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["community", "stage", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="project_budget_gte_0"),
            models.CheckConstraint(condition=models.Q(spent__gte=0), name="project_spent_gte_0"),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectEvent(models.Model):
    """One line of a project's timeline (项目记录), like a case's 办理记录."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("项目记录")
        verbose_name_plural = _("项目记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class Meeting(models.Model):
    """One of the three meetings (三会) on a project; a project may hold several rounds of each
    kind. Registration has a capacity and a waitlist that moves up when someone cancels."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    starts_at = models.DateTimeField(_("开始时间"))
    place = models.CharField(_("地点"), max_length=100)
    agenda = models.TextField(_("议程"))
    invited_groups = models.JSONField(_("邀请对象"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("名额"))
    quorum = models.PositiveIntegerField(_("法定到会人数"), default=0)
    status = models.CharField(
        _("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    registered_count = models.PositiveIntegerField(default=0)
    waitlist_count = models.PositiveIntegerField(default=0)
    signed_in_count = models.PositiveIntegerField(default=0)
    minutes = models.TextField(_("会议纪要"), blank=True)
    attendee_count = models.PositiveIntegerField(_("到会人数"), null=True, blank=True)
    organisations_present = models.TextField(_("到会单位/组织"), blank=True)
    decisions = models.TextField(_("会议决定"), blank=True)
    settled_cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="settled_by_meetings", verbose_name=_("议定事项")
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "round"], name="uniq_meeting_round"),
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | (~models.Q(minutes="") & models.Q(attendee_count__isnull=False)),
                name="closed_meeting_has_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_kind_display()}（第{self.round}次）"

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.registered_count)


class Registration(models.Model):
    """A place at a meeting (报名): registered within capacity, otherwise on the waitlist (候补)
    in order of arrival. The code is what the resident shows at the door to sign in."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone_encrypted = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)
    code = models.CharField(_("报名码"), max_length=6)
    status = models.CharField(_("状态"), max_length=12, choices=RegistrationStatus.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("会议报名")
        verbose_name_plural = _("会议报名")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["meeting", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "code"], name="uniq_registration_code"),
            models.UniqueConstraint(
                fields=["meeting", "phone_hash"],
                condition=~models.Q(status="cancelled") & ~models.Q(phone_hash=""),
                name="one_active_registration_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.get_status_display()}"

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(crypto.decrypt(self.phone_encrypted))

    @property
    def name_masked(self) -> str:
        """王秀英 → 王**: what the public and the list show."""
        return (self.name[:1] + "*" * (len(self.name) - 1)) if self.name else ""


class Vote(models.Model):
    """A vote in the room (现场表决): hands counted or paper ballots tallied by one staff member
    and confirmed by a second, who counts again; the outcome stands only once confirmed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    question = models.CharField(_("表决事项"), max_length=200)
    method = models.CharField(_("表决方式"), max_length=8, choices=VoteMethod.choices)
    present = models.PositiveIntegerField(_("到场有表决权人数"))
    cast = models.PositiveIntegerField(_("收回票数/举手人数"))
    yes = models.PositiveIntegerField(_("赞成"))
    no = models.PositiveIntegerField(_("反对"))
    abstain = models.PositiveIntegerField(_("弃权"))
    invalid = models.PositiveIntegerField(_("废票"), default=0)
    outcome = models.CharField(
        _("结果"), max_length=12, choices=VoteOutcome.choices, default=VoteOutcome.PENDING
    )
    tallied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tallied_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["tallied_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    cast=models.F("yes")
                    + models.F("no")
                    + models.F("abstain")
                    + models.F("invalid")
                ),
                name="vote_tally_adds_up",
            ),
            models.CheckConstraint(
                condition=models.Q(cast__lte=models.F("present")), name="vote_cast_lte_present"
            ),
        ]

    def __str__(self) -> str:
        return self.question


class Score(models.Model):
    """A resident's score at an evaluation meeting (评议打分): works quality and satisfaction."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="scores")
    registration = models.OneToOneField(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="score"
    )
    quality = models.PositiveSmallIntegerField(
        _("工程质量"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("评议打分")
        verbose_name_plural = _("评议打分")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quality__gte=1, quality__lte=5)
                & models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="score_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quality}/{self.satisfaction}"


class MeetingPhoto(models.Model):
    """A photo from a meeting or the works, kept in the database (small JPEG/PNG)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    content_type = models.CharField(max_length=20)
    data = models.BinaryField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("会议照片")
        verbose_name_plural = _("会议照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or str(self.pk)


class Comment(models.Model):
    """A resident's comment on a project's public page (居民留言)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(_("称呼"), max_length=30)
    text = models.TextField(_("留言"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("居民留言")
        verbose_name_plural = _("居民留言")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:20]


# ---------------------------------------------------------------- ten practical things


class PracticalList(models.Model):
    """A community's ten practical things for one year (为民服务十件实事清单). The counts and the
    progress are a rollup kept by the services in the same transaction as every change."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="practical_lists"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    adoption = models.CharField(_("确定方式"), max_length=12, choices=Adoption.choices)
    adopted_on = models.DateField(_("通过日期"))
    adoption_note = models.CharField(_("会议/决议说明"), max_length=200, blank=True)
    item_count = models.PositiveSmallIntegerField(default=0)
    done_count = models.PositiveSmallIntegerField(default=0)
    late_count = models.PositiveSmallIntegerField(default=0)
    at_risk_count = models.PositiveSmallIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(_("总体进度"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("十件实事清单")
        verbose_name_plural = _("十件实事清单")
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="uniq_practical_list"),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="list_progress_lte_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.year}"


class PracticalThing(models.Model):
    """One practical thing (实事) on a list: owner, budget, weighted milestones; its progress is
    the weighted mean of its milestones'."""

    plan = models.ForeignKey(PracticalList, on_delete=models.CASCADE, related_name="things")
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("实事名称"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("负责人"),
    )
    owner_name = models.CharField(_("负责人"), max_length=50)
    budget = models.DecimalField(_("预算（元）"), max_digits=12, decimal_places=2, default=ZERO)
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="things"
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    status = models.CharField(
        _("状态"), max_length=12, choices=ThingStatus.choices, default=ThingStatus.ON_TRACK
    )
    due_date = models.DateField(_("完成期限"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("实事")
        verbose_name_plural = _("实事")
        ordering = ["plan", "order"]
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="uniq_thing_order"),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="thing_progress_lte_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A dated, weighted step of a practical thing (节点). Its progress is entered in two taps,
    or counted from linked cases once they are closed (`case_target`, e.g. 84 户壁挂炉安装)."""

    thing = models.ForeignKey(PracticalThing, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=100)
    weight = models.PositiveSmallIntegerField(
        _("权重"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    due_date = models.DateField(_("计划完成日"))
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    case_target = models.PositiveIntegerField(_("目标件数（按办结事项计）"), null=True, blank=True)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="milestones")
    done_on = models.DateField(_("完成日"), null=True, blank=True)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="milestone_progress_lte_100"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1), name="milestone_weight_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Evidence(models.Model):
    """A photo or document showing a practical thing was done (佐证材料)."""

    thing = models.ForeignKey(PracticalThing, on_delete=models.CASCADE, related_name="evidence")
    caption = models.CharField(_("说明"), max_length=100)
    filename = models.CharField(max_length=100)
    content_type = models.CharField(max_length=50)
    data = models.BinaryField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption


class ThingEvent(models.Model):
    """One line of a practical thing's record (实事记录): who changed what, when."""

    thing = models.ForeignKey(PracticalThing, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("实事记录")
        verbose_name_plural = _("实事记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.note[:30]
