from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    """The certificates Tianjin accepts (持证上岗), and others a worker may hold."""

    SOCIAL_WORKER = "social_worker", _("全国社会工作者职业资格证书")
    COMMUNITY_WORKER = "community_worker", _("天津市社区工作者职业资格证书")
    OTHER = "other", _("其他证书")


QUALIFYING_KINDS = (CertificateKind.SOCIAL_WORKER, CertificateKind.COMMUNITY_WORKER)


class Compliance(models.TextChoices):
    """A worker's standing under the certificate rule, computed from dates at read time."""

    COMPLIANT = "compliant", _("合规")
    DUE = "due", _("90天内到期")
    OVERDUE = "overdue", _("已逾期")


class ExternalStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已认定")
    REJECTED = "rejected", _("未认定")


class AlertKind(models.TextChoices):
    DEADLINE = "deadline", _("取证期限")
    EXPIRY = "expiry", _("证书到期")


class LeaveKind(models.TextChoices):
    ANNUAL = "annual", _("年休假")
    SICK = "sick", _("病假")
    PERSONAL = "personal", _("事假")
    TRAINING = "training", _("脱产培训")
    OTHER = "other", _("其他")


class SessionStatus(models.TextChoices):
    """约请职能部门现场办公: requested → accepted (a slot chosen) → held; or cancelled."""

    REQUESTED = "requested", _("待部门确认")
    ACCEPTED = "accepted", _("已确认")
    HELD = "held", _("已办结")
    CANCELLED = "cancelled", _("已取消")


class VideoStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    DONE = "done", _("已连线")
    CANCELLED = "cancelled", _("已取消")


class Utility(models.TextChoices):
    WATER = "water", _("水费")
    ELECTRICITY = "electricity", _("电费")
    GAS = "gas", _("燃气费")


class PayMethod(models.TextChoices):
    CASH = "cash", _("现金")
    QR = "qr", _("扫码")


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("收款")
    REVERSAL = "reversal", _("冲正")
