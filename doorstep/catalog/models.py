"""The standard service catalogue and the two lists beside it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.places.models import Community, Department

from .choices import Level, Mode, Scope


class Category(models.Model):
    """One of Pudong's seven standard categories (党群、政务、生活、法律、健康、文化、社区管理)."""

    code = models.SlugField(_("代码"), unique=True)
    name = models.CharField(_("名称"), max_length=20)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """A catalogue item (服务事项): what the desk can do, who handles it, and by when."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items")
    scope = models.CharField(
        _("类型"), max_length=10, choices=Scope.choices, default=Scope.STANDARD
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("所属社区")
    )
    level = models.CharField(_("办理层级"), max_length=12, choices=Level.choices)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("承办部门")
    )
    mode = models.CharField(_("办理方式"), max_length=12, choices=Mode.choices)
    promise_days = models.PositiveSmallIntegerField(_("承诺工作日"), default=0)
    needs_upper_approval = models.BooleanField(_("需上级审批（周五集中报送）"), default=False)
    materials = models.JSONField(_("所需材料"), default=list, blank=True)
    worker_guidance = models.TextField(_("工作人员办理指引"), blank=True)
    resident_guidance = models.TextField(_("居民办事指南"), blank=True)
    keywords = models.CharField(_("关键词"), max_length=300, blank=True)
    examples = models.JSONField(_("居民说法示例"), default=list, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["category__order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope="standard", community__isnull=True)
                | models.Q(scope="local", community__isnull=False),
                name="local_items_belong_to_a_community",
                violation_error_message=_("自选动作须属于一个社区，规定动作不属于任何社区。"),
            ),
            models.CheckConstraint(
                condition=models.Q(mode="on_the_spot") | models.Q(promise_days__gt=0),
                name="promised_items_have_days",
                violation_error_message=_("承诺办结的事项须填写承诺工作日数。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """资源清单: what an upper department offers the station, and how to ask for it."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="resources")
    category = models.ForeignKey(Category, on_delete=models.PROTECT)
    offer = models.CharField(_("提供内容"), max_length=200)
    how_to_ask = models.TextField(_("申请方式"))
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = _("资源清单")

    def __str__(self) -> str:
        return self.offer


class Demand(models.Model):
    """需求清单: a request that matched no catalogue item, kept and counted."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="demands")
    text = models.TextField(_("居民诉求"))
    topic = models.CharField(_("归类"), max_length=50, blank=True, db_index=True)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="demand"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求清单")

    def __str__(self) -> str:
        return self.topic or self.text[:20]


class FieldTranslation(models.Model):
    """字段译文: one field of a catalogue row in another language (a category's or an item's
    name, keywords …). Simplified Chinese lives on the row itself; Traditional falls back to
    OpenCC (doorstep.core.hant), other languages to the Chinese text."""

    class Kind(models.TextChoices):
        ITEM = "item", _("服务事项")
        CATEGORY = "category", _("类别")

    kind = models.CharField(_("对象类型"), max_length=12, choices=Kind.choices)
    object_id = models.PositiveIntegerField(_("对象编号"))
    field = models.CharField(_("字段"), max_length=40)
    language = models.CharField(_("语言"), max_length=10)
    text = models.TextField(_("译文"))

    class Meta:
        verbose_name = _("字段译文")
        verbose_name_plural = _("字段译文")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "field", "language"], name="uniq_field_translation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id}.{self.field} [{self.language}]"
