"""KPI tiles: the figure, the previous period's, and the case list behind it."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .selectors import MIN_RATINGS, Board, Figures


@dataclass(frozen=True)
class Tile:
    kpi: str
    label: str
    value: str
    previous: str
    change: str  # "↑ 3.2 个百分点", "↓ 12", ""
    worse: bool  # the change is bad news
    filter: str  # the case-list filter behind it ("" for none)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def mean(value: float | None, count: int) -> str:
    if count < MIN_RATINGS:
        return _("样本不足")
    return "—" if value is None else f"{value:.2f}"


def _change(
    now: float | None, before: float | None, unit: str, higher_is_better: bool
) -> tuple[str, bool]:
    if now is None or before is None or now == before:
        return "", False
    diff = now - before
    arrow = "↑" if diff > 0 else "↓"
    amount = f"{abs(diff) * 100:.1f} {_('个百分点')}" if unit == "pp" else f"{abs(diff):g}"
    return f"{arrow} {amount}", (diff < 0) == higher_is_better


def tiles(board: Board) -> list[Tile]:
    now, before = board.now, board.before

    def count(kpi: str, label: str, attr: str, better: bool, flt: str = "") -> Tile:
        a, b = _figure(now, attr), _figure(before, attr)
        change, worse = _change(a, b, "n", better)
        return Tile(kpi, label, f"{a:g}", f"{b:g}", change, worse, flt or kpi)

    def rate(kpi: str, label: str, prop: str, better: bool = True) -> Tile:
        a, b = getattr(now.flow, prop), getattr(before.flow, prop)
        change, worse = _change(a, b, "pp", better)
        return Tile(kpi, label, percent(a), percent(b), change, worse, kpi)

    def rating(kpi: str, label: str, prop: str) -> Tile:
        a, b = getattr(now.flow, prop), getattr(before.flow, prop)
        ok = now.flow.rated >= MIN_RATINGS and before.flow.rated >= MIN_RATINGS
        change, worse = _change(a, b, "n", True) if ok and abs(a - b) >= 0.005 else ("", False)
        if change:
            change = change.split(" ")[0] + f" {abs(a - b):.2f}"
        return Tile(
            kpi,
            label,
            mean(a, now.flow.rated),
            mean(b, before.flow.rated),
            change,
            worse,
            "rated",
        )

    overdue = str(board.stock.overdue)
    return [
        count("received", _("受理量"), "received", True),
        rate("on_spot", _("即办率"), "on_spot_rate"),
        rate("on_time", _("按期办结率"), "on_time_rate"),
        Tile("overdue", _("当前逾期"), overdue, "", "", board.stock.overdue > 0, "overdue"),
        count("reopened", _("重新办理"), "reopened", False),
        rate("first_contact", _("首问办结率"), "first_contact_rate"),
        rating("attitude", _("服务态度"), "attitude"),
        rating("capability", _("服务能力"), "capability"),
        count("hotline", _("12345工单"), "hotline", False),
        rate("hotline_on_time", _("12345按时回复率"), "hotline_on_time_rate"),
        count("demand", _("需求清单"), "demand", False),
        count("low_rated", _("差评"), "low_rated", False),
    ]


def _figure(figures: Figures, attr: str) -> float:
    if attr in ("hotline", "demand"):
        return float(getattr(figures, attr))
    return float(getattr(figures.flow, attr))
