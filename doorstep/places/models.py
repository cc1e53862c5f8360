"""The administrative tree and the people in it (地区与人员)."""

from datetime import date, time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.core import crypto

from .choices import Gender, Role, StationKind


class District(models.Model):
    """区 — the top of the tree; district admins see everything below."""

    name = models.CharField(_("名称"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("区")
        verbose_name_plural = _("区")

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    """街道/镇 — a street office; its staff see every community in it."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="streets")
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("街道")
        verbose_name_plural = _("街道")
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="uniq_street")]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    """社区/村居 — one doorstep service station's area, the unit a desk worker serves."""

    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="communities")
    name = models.CharField(_("名称"), max_length=50)
    office_phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opens_at = models.TimeField(_("开门时间"), default=time(8, 30))
    closes_at = models.TimeField(_("关门时间"), default=time(20, 0))
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="uniq_community")]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """职能部门 — a street or district department that takes escalated cases."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="uniq_department")]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """网格 — a part of a community walked by one grid worker; each has a colour (五色网格)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="grids")
    name = models.CharField(_("名称"), max_length=50)
    colour = models.CharField(_("颜色"), max_length=7, default="#2f7d5b")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grids",
        verbose_name=_("网格员"),
    )

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")

    def __str__(self) -> str:
        return f"{self.community.name}·{self.name}"


class Compound(models.Model):
    """小区/院落."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="compounds")
    grid = models.ForeignKey(Grid, on_delete=models.SET_NULL, null=True, blank=True)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """楼栋. A grid worker 'contracts' 2–3 buildings (包楼) and must know everything in them."""

    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("楼栋"), max_length=50)
    contractor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracted_buildings",
        verbose_name=_("包楼人"),
    )

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")

    def __str__(self) -> str:
        return f"{self.compound.name}{self.name}"


class Household(models.Model):
    """户."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="households")
    unit = models.CharField(_("单元"), max_length=20, blank=True)
    room = models.CharField(_("门牌"), max_length=20)

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")

    def __str__(self) -> str:
        return f"{self.building}{self.unit}{self.room}"


class Resident(models.Model):
    """居民. ID number and phone are personal information: encrypted, masked, audited."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="residents")
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="residents"
    )
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, blank=True, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    ethnic_group = models.CharField(_("民族"), max_length=20, default="汉族")
    phone_encrypted = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=40, blank=True, db_index=True)
    id_number_encrypted = models.TextField(blank=True)
    id_number_hash = models.CharField(max_length=40, blank=True, db_index=True)
    id_last4_hash = models.CharField(max_length=40, blank=True, db_index=True)
    lives_alone = models.BooleanField(_("独居"), default=False)
    disabled = models.BooleanField(_("残疾"), default=False)
    subsistence_allowance = models.BooleanField(_("低保"), default=False)
    low_income = models.BooleanField(_("低收入"), default=False)
    bedridden = models.BooleanField(_("卧床"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")

    def __str__(self) -> str:
        return self.name

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)

    def age_on(self, day: date) -> int | None:
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class ServiceStation(models.Model):
    """家门口服务站 or 邻里服务站 (about 500 households each)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="stations")
    kind = models.CharField(_("类型"), max_length=20, choices=StationKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    hours = models.CharField(_("开放时间"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("服务站")
        verbose_name_plural = _("服务站")

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    """A staff account's post and area. Desk, grid and secretary belong to one community;
    street staff to a street; department staff to a department; district admins to a district."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    role = models.CharField(_("岗位"), max_length=20, choices=Role.choices)
    display_name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("工作电话"), max_length=30, blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT)
    street = models.ForeignKey(Street, on_delete=models.PROTECT, null=True, blank=True)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, null=True, blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["desk", "grid", "secretary"])
                | models.Q(community__isnull=False),
                name="community_staff_have_community",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="street") | models.Q(street__isnull=False),
                name="street_staff_have_street",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}（{self.get_role_display()}）"
