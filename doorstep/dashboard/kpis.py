"""The KPI glossary (指标口径), shown on the page and mirrored in docs/kpi.md."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kpi:
    key: str
    label: Promise
    definition: Promise


GLOSSARY = (
    Kpi("received", _("受理量"), _("周期内登记受理的事项数，按受理日计。")),
    Kpi("on_spot", _("即办率"), _("当场办结的事项 ÷ 受理量（按受理日）。")),
    Kpi(
        "on_time",
        _("按期办结率"),
        _("办结日不晚于承诺办结日的事项 ÷ 周期内办结的事项（按办结日；即办事项算按期）。"),
    ),
    Kpi("overdue", _("当前逾期"), _("此刻仍在办、承诺办结日已过的事项数，与所选周期无关。")),
    Kpi(
        "reopened", _("重新办理"), _("周期内被重新办理（办结或不予受理后退回）的次数，按退回日计。")
    ),
    Kpi(
        "first_contact",
        _("首问办结率"),
        _("办结时仍由首问责任人负责（未指定、未兜底）的事项 ÷ 周期内办结的事项。"),
    ),
    Kpi(
        "attitude",
        _("服务态度"),
        _("周期内居民评价的服务态度平均分（1–5 分，按评价日）；少于 5 条评价显示“样本不足”。"),
    ),
    Kpi("capability", _("服务能力"), _("同上，服务能力平均分。")),
    Kpi("low_rated", _("差评"), _("任一维度打 1 或 2 分的评价数。")),
    Kpi("hotline", _("12345工单"), _("周期内受理的 12345 热线渠道事项数。")),
    Kpi(
        "hotline_on_time",
        _("12345按时回复率"),
        _("答复日不晚于办理时限的 12345 事项 ÷ 周期内答复的 12345 事项（按答复日）。"),
    ),
    Kpi("demand", _("需求清单"), _("周期内受理、没有对应服务事项的诉求数（未确定事项）。")),
    Kpi("open", _("在办"), _("此刻已受理或办理中的事项数。")),
    Kpi(
        "score",
        _("综合分（红黑榜）"),
        _("40 × 按期办结率 + 40 × 满意度（两项均分 ÷ 5）+ 20 × (1 − 重办率)；无数据的项按 0 计。"),
    ),
)
