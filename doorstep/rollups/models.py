"""The read model (汇总表): counts the case services keep in the same transaction as each change.

Every number here is a function of the cases' current state (plus their re-open events and
ratings), so `doorstep rollup verify` can recount it from the case table at any time.

Besides the community-day rows, both tables keep coarser rows for pages over many communities
and long periods (a district's year), written in the same upsert as the rows they sum:
street rows (`community_id` 0, summed over the street's communities, by the case's own
`street_id`) and, for flows, month rows (`monthly`, `day` the month's first day). See
`docs/dashboard.md` for which row families exist and which page reads each.
Dimensions that may be empty hold 0 (no item, no worker) instead of NULL so that one unique
key matches and `INSERT … ON CONFLICT DO UPDATE` increments race-free on SQLite and PostgreSQL.
"""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.places.models import Community

# Open cases without a promised date (a re-opened on-the-spot case) are filed under this date.
NO_DUE_DATE = date(9999, 12, 31)
# A total or slice row carries these in the dimensions it sums over.
ANY_ITEM = -1
ANY_CHANNEL = ""
ANY_WORKER = -1
ANY_COMMUNITY = 0  # a street row
ANY_QUEUE = ""

FLOW_METRICS = (
    "received",
    "settled_on_spot",
    "resolved",
    "resolved_on_time",
    "resolved_first_contact",
    "reopened",
    "closed",
    "rejected",
    "hotline_replied",
    "hotline_replied_on_time",
    "rated",
    "attitude_sum",
    "capability_sum",
    "low_rated",
)


# Total rows other than the worker slice; street rows are all of this kind.
SLICE = models.Q(total=True, worker_id=-1)
STREET_TOTAL = models.Q(community=0) & SLICE


class DailyFlow(models.Model):
    """按日流量: what happened to cases, by community × day × item × channel × worker.

    Detail rows (`total` false) carry every dimension. The worker is the case's current owner
    (当前办理人), 0 when it has none; the item 0 when none was settled (需求清单). A case counts
    on the day of each fact: received on its intake day, resolved on its resolution day, rated
    on its rating day, and so on (see docs/kpi.md).

    `total` rows sum detail rows over the dimensions that hold ANY_*; the families kept are
    (`rollups.facts.with_rollups`):
    - community × day: the total (ANY item, channel and worker);
    - community × month: the total, and one slice each by item, by channel, by worker;
    - street × day and street × month (`community_id` 0): the total, by item, by channel.
    """

    # No database constraint: street rows hold ANY_COMMUNITY (0) here.
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    street_id = models.IntegerField(default=0)
    day = models.DateField()
    monthly = models.BooleanField(default=False)  # day is the first of the month summed
    total = models.BooleanField(default=False)
    item_id = models.IntegerField(default=0)
    channel = models.CharField(max_length=12, blank=True)
    worker_id = models.IntegerField(default=0)
    received = models.IntegerField(_("受理"), default=0)
    settled_on_spot = models.IntegerField(_("当场办结"), default=0)
    resolved = models.IntegerField(_("办结"), default=0)
    resolved_on_time = models.IntegerField(_("按期办结"), default=0)
    resolved_first_contact = models.IntegerField(_("首问办结"), default=0)
    reopened = models.IntegerField(_("重新办理"), default=0)
    closed = models.IntegerField(_("归档"), default=0)
    rejected = models.IntegerField(_("不予受理"), default=0)
    hotline_replied = models.IntegerField(_("12345回单"), default=0)
    hotline_replied_on_time = models.IntegerField(_("12345按时回单"), default=0)
    rated = models.IntegerField(_("评价"), default=0)
    attitude_sum = models.IntegerField(_("服务态度分合计"), default=0)
    capability_sum = models.IntegerField(_("服务能力分合计"), default=0)
    low_rated = models.IntegerField(_("差评"), default=0)

    class Meta:
        verbose_name = _("按日流量")
        verbose_name_plural = _("按日流量")
        constraints = [
            # Leading with the community: a set of communities' rows of a span of days is one
            # range per community (the total, month and detail reads all filter this way).
            models.UniqueConstraint(
                fields=[
                    "community",
                    "monthly",
                    "total",
                    "day",
                    "street_id",
                    "item_id",
                    "channel",
                    "worker_id",
                ],
                name="dailyflow_rows",
            )
        ]
        # A street slice read is one range of one of these: exactly the rows asked for, and
        # for the item and channel slices index-only (the pages sum only `received` there).
        indexes = [
            models.Index(
                fields=["street_id", "monthly", "day"],
                name="dailyflow_street",
                condition=models.Q(community=0),
            ),
            models.Index(
                fields=["street_id", "monthly", "day"],
                name="dailyflow_street_total",
                condition=STREET_TOTAL & models.Q(item_id=-1, channel=""),
            ),
            models.Index(
                fields=["street_id", "monthly", "day", "item_id"],
                name="dailyflow_street_item",
                include=["received"],
                condition=STREET_TOTAL & models.Q(channel="") & ~models.Q(item_id=-1),
            ),
            models.Index(
                fields=["street_id", "monthly", "day", "channel"],
                name="dailyflow_street_channel",
                include=["received"],
                condition=STREET_TOTAL & models.Q(item_id=-1) & ~models.Q(channel=""),
            ),
            # The same for a set of communities' month rows (a street's 社区概览 over a year).
            models.Index(
                fields=["community", "monthly", "day", "item_id"],
                name="dailyflow_community_item",
                include=["received"],
                condition=SLICE & models.Q(channel="") & ~models.Q(item_id=-1),
            ),
            models.Index(
                fields=["community", "monthly", "day", "channel"],
                name="dailyflow_community_channel",
                include=["received"],
                condition=SLICE & models.Q(item_id=-1) & ~models.Q(channel=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.day}"


class OpenStock(models.Model):
    """在办存量: the open cases now, by community × worker × status × queue × due date × intake
    day, so "overdue now", worker load and ageing buckets need no count of the case table.

    Street rows (`community_id` 0, ANY worker and queue) sum a street's communities by status,
    due date and intake day, for the street's and the district's figures."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    street_id = models.IntegerField(default=0)
    worker_id = models.IntegerField(default=0)
    status = models.CharField(max_length=12)
    queue = models.CharField(max_length=12)
    due_date = models.DateField()
    opened_on = models.DateField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("在办存量")
        verbose_name_plural = _("在办存量")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "community",
                    "street_id",
                    "worker_id",
                    "status",
                    "queue",
                    "due_date",
                    "opened_on",
                ],
                name="openstock_rows",
            )
        ]
        indexes = [
            models.Index(
                fields=["street_id", "due_date"],
                name="openstock_street",
                condition=models.Q(community=0),
            ),
            # The desk home of a street or district post: its own and its queue's open cases.
            models.Index(fields=["worker_id", "queue"], name="openstock_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.status} {self.count}"


class TopicFlow(models.Model):
    """需求话题: the demand-list cases received (需求清单), by community × day × topic, so the
    dashboard's top topics need no count of the demand table.

    A case counts while it has no catalogue item and has its demand row (`catalog.Demand`),
    under the topic of that row, on its intake day, in the case's own community and street;
    classifying the case (which deletes its demand) takes it out. Kept like `DailyFlow`:
    detail rows by day, community month rows (`monthly`), and street rows (`community_id` 0)
    by day and by month, all in the same upsert."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    street_id = models.IntegerField(default=0)
    day = models.DateField()
    monthly = models.BooleanField(default=False)  # day is the first of the month summed
    topic = models.CharField(max_length=50, blank=True)
    received = models.IntegerField(_("受理"), default=0)

    class Meta:
        verbose_name = _("需求话题")
        verbose_name_plural = _("需求话题")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "monthly", "day", "street_id", "topic"],
                name="topicflow_rows",
            )
        ]
        indexes = [
            models.Index(
                fields=["street_id", "monthly", "day"],
                name="topicflow_street",
                condition=models.Q(community=0),
            )
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.day} {self.topic}"


class LowRating(models.Model):
    """差评索引: one row per low rating (either dimension ≤ 2), under the case's current owner,
    so a scorecard page finds each worker's latest low ratings by (worker, time) without
    scanning the ratings of the district. Kept like the other rollups (a case's rating row is
    a fact of the case); `count` is 1, or 0 once the row no longer applies."""

    worker_id = models.IntegerField(default=0)
    community_id = models.IntegerField(default=0)
    street_id = models.IntegerField(default=0)
    rated_at = models.DateTimeField()
    case_id = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("差评索引")
        verbose_name_plural = _("差评索引")
        constraints = [
            models.UniqueConstraint(
                fields=["worker_id", "rated_at", "case_id", "community_id", "street_id"],
                name="lowrating_rows",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.rated_at} {self.case_id}"
