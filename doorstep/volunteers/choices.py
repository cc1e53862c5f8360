from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    VOLUNTEER_TEAM = "volunteer", _("志愿服务队")
    MUTUAL_HELP = "mutual_help", _("邻里互助组织")
    INTEREST = "interest", _("文体兴趣团队")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("负责人")
    MEMBER = "member", _("成员")


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("未到")


class EventKind(models.TextChoices):
    TEAM_SAVED = "team_saved", _("设立自组织")
    MEMBER_ADDED = "member_added", _("加入团队")
    VOLUNTEER_REGISTERED = "registered", _("登记志愿者")
    ACTIVITY_CREATED = "activity_created", _("发布活动")
    SIGNED_UP = "signed_up", _("报名")
    CANCELLED = "cancelled", _("取消报名")
    PROMOTED = "promoted", _("候补转正")
    CHECKED_IN = "checked_in", _("签到")
    CHECKED_OUT = "checked_out", _("签退")
    CLAIMED = "claimed", _("补登时长")
    CORRECTED = "corrected", _("更正时长")
    NO_SHOW = "no_show", _("标记未到")
    POSTED = "posted", _("时长记入志愿服务记录")
    MARKET_SCHEDULED = "market_scheduled", _("排定公益集市")
