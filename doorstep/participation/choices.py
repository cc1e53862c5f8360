from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """A neighbourhood project's stage (项目阶段), in order."""

    PROPOSED = "proposed", _("已提议")
    HEARING = "hearing", _("听证中")
    APPROVED = "approved", _("听证通过")
    REJECTED = "rejected", _("听证未通过")
    IN_PROGRESS = "in_progress", _("实施中")
    COMPLETED = "completed", _("已完工")
    EVALUATED = "evaluated", _("已评议")


# The public stage line, in order (rejected replaces approved when it happens).
STAGE_LINE = [
    Stage.PROPOSED,
    Stage.HEARING,
    Stage.APPROVED,
    Stage.IN_PROGRESS,
    Stage.COMPLETED,
    Stage.EVALUATED,
]


class ProposerKind(models.TextChoices):
    """Who put the project forward (提议方)."""

    RESIDENT = "resident", _("居民")
    ORGANISATION = "organisation", _("自组织")
    WORKER = "worker", _("社区工作者")
    DEMAND = "demand", _("需求清单")
    CASE = "case", _("居民事项")


class FundingSource(models.TextChoices):
    """Where the money comes from (资金来源)."""

    STREET = "street", _("街道专项资金")
    COMMUNITY = "community", _("社区自治金")
    PROPERTY = "property", _("物业公司")
    RESIDENTS = "residents", _("居民自筹")
    DISTRICT = "district", _("区级部门")
    OTHER = "other", _("其他")


class MeetingKind(models.TextChoices):
    """The three meetings (三会)."""

    HEARING = "hearing", _("听证会")
    COORDINATION = "coordination", _("协调会")
    EVALUATION = "evaluation", _("评议会")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("报名中")
    CLOSED = "closed", _("已结束")


class InviteeGroup(models.TextChoices):
    """Groups a meeting invites (邀请对象)."""

    BUILDING_HEADS = "building_heads", _("楼组长/楼院长")
    AFFECTED_RESIDENTS = "affected_residents", _("相关楼栋居民")
    PARTY_MEMBERS = "party_members", _("党员")
    PROPERTY_COMPANY = "property_company", _("物业公司")
    DEPARTMENTS = "departments", _("职能部门")
    ORGANISATIONS = "organisations", _("自组织")
    DEPUTIES = "deputies", _("人大代表")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_REGISTRATION = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


class VoteMethod(models.TextChoices):
    HANDS = "hands", _("举手表决")
    BALLOTS = "ballots", _("纸质投票")


class VoteOutcome(models.TextChoices):
    PENDING = "pending", _("待复核")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
    NO_QUORUM = "no_quorum", _("未达法定人数")


class EventKind(models.TextChoices):
    """One line of a project's timeline (项目记录)."""

    PROPOSED = "proposed", _("提出项目")
    MEETING_SCHEDULED = "meeting_scheduled", _("发布会议")
    MEETING_CLOSED = "meeting_closed", _("会议结束")
    REGISTERED = "registered", _("报名")
    WAITLISTED = "waitlisted", _("候补报名")
    REGISTRATION_CANCELLED = "registration_cancelled", _("取消报名")
    SIGNED_IN = "signed_in", _("签到")
    VOTE_TALLIED = "vote_tallied", _("计票")
    VOTE_CONFIRMED = "vote_confirmed", _("复核计票")
    SCORED = "scored", _("居民评分")
    STARTED = "started", _("开工实施")
    COMPLETED = "completed", _("完工")
    SPENT = "spent", _("资金支出")
    COMMENTED = "commented", _("居民留言")


# Timeline lines that the public project page shows (the rest are desk bookkeeping).
PUBLIC_EVENTS = {
    EventKind.PROPOSED,
    EventKind.MEETING_SCHEDULED,
    EventKind.MEETING_CLOSED,
    EventKind.VOTE_CONFIRMED,
    EventKind.STARTED,
    EventKind.COMPLETED,
    EventKind.SPENT,
}


class Adoption(models.TextChoices):
    """How a year's ten-things list was adopted (确定方式)."""

    MEETING = "meeting", _("居民会议通过")
    COMMITTEE = "committee", _("居委会讨论通过")


class ThingStatus(models.TextChoices):
    """Status colour of a practical thing (进度状态)."""

    ON_TRACK = "on_track", _("正常")
    AT_RISK = "at_risk", _("有风险")
    LATE = "late", _("已逾期")
    DONE = "done", _("已完成")


# Street view order: late first, then at risk.
THING_STATUS_ORDER = {
    ThingStatus.LATE: 0,
    ThingStatus.AT_RISK: 1,
    ThingStatus.ON_TRACK: 2,
    ThingStatus.DONE: 3,
}

TEN = 10
