"""The two PDFs leaders download: a worker's annual scorecard and the weekly briefing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from doorstep.cases.choices import OPEN_STATUSES
from doorstep.cases.models import Case
from doorstep.places.models import Community
from doorstep.rollups.selectors import Flow, flow_by

from . import pdf
from .models import DEFAULT_WEIGHTS, ScorecardWeights
from .periods import Period, period_for
from .scope import Area
from .scorecards import Scorecard
from .selectors import board
from .tiles import tiles

OVERDUE_LISTED = 30


def weights_for(community_id: int) -> dict[str, int]:
    street_id = Community.objects.filter(pk=community_id).values_list("street_id", flat=True)
    row = ScorecardWeights.objects.filter(street_id__in=street_id).first()
    return row.as_dict() if row else dict(DEFAULT_WEIGHTS)


def scorecard_pdf(card: Scorecard, year: int) -> bytes:
    period = period_for("year", date(year, 1, 1))
    rows = flow_by(card.worker.community_ids, period.start, period.end, "worker_id", "day")
    months: dict[int, Flow] = defaultdict(Flow)
    for (worker, day), flow in rows.items():
        if worker == card.worker.pk:
            months[day.month].add(vars(flow))
    weights = weights_for(card.worker.community_ids[0])
    labels = pdf.weight_labels()
    score = pdf.weighted_score(card.flow, weights)
    sections: list[tuple[str, pdf.Table]] = [
        (_("全年汇总"), [pdf.flow_headers(), pdf.flow_cells(card.flow)]),
        (
            _("按月"),
            [[_("月份"), *pdf.flow_headers()]]
            + [
                [pdf.month_label(date(year, m, 1)), *pdf.flow_cells(months[m])]
                for m in range(1, 13)
                if m in months
            ],
        ),
        (
            _("考评权重（街道设定）与得分"),
            [[_("项目"), _("权重")]]
            + [[labels[k], str(weights[k])] for k in DEFAULT_WEIGHTS]
            + [[_("综合得分（满分 100）"), "—" if score is None else str(score)]],
        ),
        (
            _("走访与流动服务"),
            [[_("入户走访"), _("流动服务点")], [str(card.visits), str(card.sessions)]],
        ),
        (
            _("差评与评语"),
            [[_("日期"), _("态度/能力"), _("评语"), _("查询码")]]
            + [
                [
                    f"{r.created_at:%Y-%m-%d}",
                    f"{r.attitude}/{r.capability}",
                    r.comment or _("（无评语）"),
                    r.case.tracking_code,
                ]
                for r in card.low
            ],
        ),
    ]
    return pdf.render_pdf(
        _("%(year)s年度社工考评表") % {"year": year},
        f"{card.worker.name} · {card.community}",
        sections,
        [
            _("评价少于 5 条时平均分显示“样本不足”，不计入得分。"),
            _("得分 = Σ 权重 × 分项 ÷ 权重合计 × 100；分项为比率（0–1）或评分 ÷ 5。"),
        ],
    )


def parse_week(value: str, today: date) -> Period:
    """`2026-W47`, or any date in the week; last week when empty."""
    if not value:
        monday = today - timedelta(days=today.weekday() + 7)
    else:
        try:
            if "W" in value.upper():
                year, week = value.upper().split("-W")
                monday = date.fromisocalendar(int(year), int(week), 1)
            else:
                day = date.fromisoformat(value)
                monday = day - timedelta(days=day.weekday())
        except ValueError:
            raise ValidationError(_("周次格式应为 2026-W47 或一个日期。")) from None
    if monday > today:
        raise ValidationError(_("不能查看未来的周报。"))
    return Period("week", monday, monday + timedelta(days=6))


def overdue_cases(cases: QuerySet[Case], area: Area, today: date) -> list[Case]:
    return list(
        cases.filter(
            community_id__in=area.community_ids, status__in=OPEN_STATUSES, due_date__lt=today
        )
        .select_related("community", "item", "owner__staff")
        .order_by("due_date", "pk")[:OVERDUE_LISTED]
    )


def briefing_pdf(area: Area, week: Period, today: date, overdue: list[Case]) -> bytes:
    summary = board(area, week, today)
    kpis = [[_("指标"), _("本周"), _("上周"), _("变化")]] + [
        [t.label, t.value, t.previous or "—", t.change or "—"] for t in tiles(summary)
    ]
    top = [[_("类别"), _("受理")]] + [[name, str(n)] for name, n in summary.categories[:8]]
    topics = [[_("需求话题"), _("条数")]] + [[t or "—", str(n)] for t, n in summary.topics]
    late = [[_("查询码"), _("社区"), _("事项"), _("承诺办结日"), _("办理人")]] + [
        [
            c.tracking_code,
            c.community.name,
            c.item.name if c.item else c.description[:20],
            str(c.due_date),
            c.owner.staff.display_name if c.owner and hasattr(c.owner, "staff") else "—",
        ]
        for c in overdue
    ]
    ranking = [[_("红榜"), _("综合分"), _("黑榜"), _("综合分")]] + [
        [
            red.unit.name,
            str(red.score),
            black.unit.name if black else "",
            str(black.score) if black else "",
        ]
        for red, black in zip(
            summary.red, [*summary.black, *[None] * len(summary.red)], strict=False
        )
    ]
    return pdf.render_pdf(
        _("%(area)s 周报") % {"area": area.name},
        f"{week.start} — {week.end}",
        [
            (_("本周关键指标"), kpis),
            (_("受理事项类别"), top),
            (_("需求清单高频话题"), topics),
            (_("逾期未办结事项（当前）"), late),
            (_("本月红黑榜"), ranking),
        ],
        [_("数字来自汇总表，口径见“指标说明”。")],
    )
