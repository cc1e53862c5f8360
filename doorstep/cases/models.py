"""A resident's request and everything that happens to it."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from doorstep.catalog.models import ServiceItem
from doorstep.core import crypto
from doorstep.core.labels import choice_label
from doorstep.places import access
from doorstep.places.models import (
    Building,
    Community,
    Compound,
    Department,
    District,
    Resident,
    Street,
)

from .choices import Channel, EventKind, Queue, Responsibility, Status

# 我在办 reads soonest promise first; a case without one yet sorts after every dated case.
NO_DUE_DATE = date(9999, 12, 31)


class Case(models.Model):
    """事项. Owned by its first responder (首问) until assigned (指定); overdue or escalated
    cases land with the fallback owner (兜底, the secretary). `version` guards stale forms."""

    tracking_code = models.CharField(_("查询码"), max_length=9, unique=True)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="cases")
    # The community's street and district, copied onto the case (区域冗余列) by `place_in`, so
    # a street's or district's list is one index range, not one probe per community.
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="+", db_index=False, editable=False
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", db_index=False, editable=False
    )
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone_encrypted = models.TextField(blank=True)
    # Keyed hash of the contact phone: search by phone, and a resident's "my requests".
    contact_phone_hash = models.CharField(max_length=40, blank=True, db_index=True)
    compound = models.ForeignKey(Compound, on_delete=models.SET_NULL, null=True, blank=True)
    building = models.ForeignKey(Building, on_delete=models.SET_NULL, null=True, blank=True)
    description = models.TextField(_("居民诉求"))
    # The description as typed, encrypted, when phones or ID numbers were masked out of
    # `description` (core/redact.py); shown only through `case_description_reveal`.
    description_sealed = models.TextField(blank=True)
    # The description's character pairs as words, for the pg_trgm index (see cases/search.py).
    search_terms = models.TextField(blank=True, editable=False)
    item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("服务事项")
    )
    suggested_item = models.ForeignKey(
        ServiceItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    routing_confidence = models.FloatField(null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    queue = models.CharField(_("办理层级"), max_length=12, choices=Queue.choices)
    department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, blank=True)
    responsibility = models.CharField(_("责任类型"), max_length=16, choices=Responsibility.choices)
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("首问责任人"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name=_("当前办理人"),
    )
    settled_on_spot = models.BooleanField(_("当场办结"), default=False)
    due_date = models.DateField(_("承诺办结日"), null=True, blank=True, db_index=True)
    needs_upper_approval = models.BooleanField(_("周五集中报送"), default=False)
    reply = models.TextField(_("答复居民"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("不予受理理由"), blank=True)
    overdue_escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("受理时间"), db_index=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["-created_at"]
        # Each list's filter + order (see docs/scale.md for the plans they were chosen from).
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["community", "created_at", "id"], name="case_community_new"),
            models.Index(
                fields=["community", "status", "created_at", "id"], name="case_community_status"
            ),
            models.Index(fields=["street", "created_at", "id"], name="case_street_new"),
            models.Index(
                fields=["street", "status", "created_at", "id"], name="case_street_status"
            ),
            models.Index(fields=["district", "created_at", "id"], name="case_district_new"),
            models.Index(
                fields=["district", "status", "created_at", "id"], name="case_district_status"
            ),
            models.Index(fields=["status", "created_at", "id"], name="case_status_new"),
            models.Index(fields=["department", "created_at", "id"], name="case_department_new"),
            models.Index(
                fields=["community", "due_date", "id"],
                name="case_open_due",
                condition=models.Q(status__in=["received", "in_progress"]),
            ),
            # The street's and district's overdue / due-soon views, and 需人工分派: open cases
            # only, so these stay small however long the history.
            models.Index(
                fields=["street", "due_date", "id"],
                name="case_street_open_due",
                condition=models.Q(status__in=["received", "in_progress"]),
            ),
            models.Index(
                fields=["district", "due_date", "id"],
                name="case_district_open_due",
                condition=models.Q(status__in=["received", "in_progress"]),
            ),
            # 我在办 (desk home panel and list): a worker's open cases, soonest promise first. A
            # street post owns ~1,000 open of 67,000 cases at 14 M: without this its panel ANDed
            # the owner index (67 k entries, 11 ms) with the street's open cases.
            models.Index(
                models.F("owner"),
                Coalesce("due_date", models.Value(NO_DUE_DATE)),
                models.F("id"),
                name="case_owner_open_due",
                condition=models.Q(status__in=["received", "in_progress"]),
            ),
            # 待领取 on the desk home and the queue view: open cases nobody owns yet, newest
            # first, per area (a few thousand rows in a district however long the history).
            *(
                models.Index(
                    fields=[area, "created_at", "id"],
                    name=f"case_unowned_{area}",
                    condition=models.Q(status__in=["received", "in_progress"], owner__isnull=True),
                )
                for area in ("community", "street", "district")
            ),
            models.Index(
                fields=["created_at", "id"],
                name="case_needs_person",
                condition=models.Q(status__in=["received", "in_progress"], item__isnull=True),
            ),
            # 需人工分派 per area: the desk home counts it for every post. Without the area in
            # the key, a street's count ANDed the item_id IS NULL index (61 k entries at 2 M:
            # 68 ms) and a district's read each of the district's rows from the heap (18 ms).
            *(
                models.Index(
                    fields=[area, "created_at", "id"],
                    name=f"case_needs_person_{area}",
                    condition=models.Q(status__in=["received", "in_progress"], item__isnull=True),
                )
                for area in ("community", "street", "district")
            ),
            # `doorstep tick`: only the rows that are due are in these, however big the table.
            models.Index(
                fields=["due_date"],
                name="case_tick_due",
                # Spelled as an OR: PostgreSQL did not match `status IN (…)` here (docs/scale.md).
                condition=(models.Q(status="received") | models.Q(status="in_progress"))
                & models.Q(overdue_escalated_at__isnull=True, queue="community"),
            ),
            models.Index(
                fields=["resolved_at"],
                name="case_tick_unrated",
                condition=models.Q(status="resolved"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["resolved", "closed"]) | ~models.Q(reply=""),
                name="resolved_cases_have_a_reply",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.description[:20]}"

    # What `get_status_display` and the like give, for the lists that show them on every row:
    # from a mapping made once per language (`core.labels` says why).
    @property
    def status_label(self) -> str:
        return choice_label(Status, self.status)

    @property
    def channel_label(self) -> str:
        return choice_label(Channel, self.channel)

    @property
    def queue_label(self) -> str:
        return choice_label(Queue, self.queue)

    def place_in(self, community: Community, district_id: int | None = None) -> None:
        """Put the case in a community and copy its street and district (the district from
        `district_id` when the caller has it, else from `community.street`)."""
        self.community = community
        self.street_id = community.street_id
        self.district_id = district_id if district_id is not None else community.street.district_id

    @property
    def contact_phone_masked(self) -> str:
        return crypto.mask_phone(crypto.decrypt(self.contact_phone_encrypted))

    @property
    def is_open(self) -> bool:
        return self.status in (Status.RECEIVED, Status.IN_PROGRESS)


class CaseEvent(models.Model):
    """One line of a case's timeline (办理记录): who, when, what, note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    """The resident's rating of a finished case: attitude (服务态度) and capability (服务能力)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rating")
    attitude = models.PositiveSmallIntegerField(
        _("服务态度"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    capability = models.PositiveSmallIntegerField(
        _("服务能力"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("评价内容"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attitude__gte=1, attitude__lte=5)
                & models.Q(capability__gte=1, capability__lte=5),
                name="rating_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.attitude}/{self.capability}"


class IntakeSubmission(models.Model):
    """One intake form's token (登记表令牌): the page hands out a fresh token, the first POST
    carrying it creates the case, every repeat (double click, Ctrl+Enter twice, a retry racing
    the first) finds this row and goes to the same case."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("登记表令牌")
        verbose_name_plural = _("登记表令牌")

    def __str__(self) -> str:
        return self.token


# Area scope (places.access): a case belongs to its community, and carries its street and
# district (区域冗余列) so a street's or the district's list is one index range; department
# staff see only the cases in their department's queue.
access.register(
    Case,
    access.Scope(
        community="community", department="department", street="street", district="district"
    ),
)
