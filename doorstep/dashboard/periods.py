"""The period picker (统计周期): day, week, month, quarter, year or a custom range, and the
period before it for the "vs previous" figures."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

KINDS = ("day", "week", "month", "quarter", "year", "custom")
EARLIEST = date(2000, 1, 1)
MAX_CUSTOM_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        if self.kind == "month":
            end = self.start - timedelta(days=1)
            return Period("month", end.replace(day=1), end)
        if self.kind == "quarter":
            end = self.start - timedelta(days=1)
            return Period("quarter", date(end.year, end.month - 2, 1), end)
        if self.kind == "year":
            return Period(
                "year", date(self.start.year - 1, 1, 1), date(self.start.year - 1, 12, 31)
            )
        return Period(self.kind, self.start - timedelta(days=self.days), self.start - timedelta(1))

    def query(self) -> dict[str, str]:
        """The query parameters that select this period again (kept across drill-downs)."""
        if self.kind == "custom":
            return {
                "period": "custom",
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
            }
        return {"period": self.kind, "on": self.start.isoformat()}

    @property
    def label(self) -> str:
        if self.kind == "day":
            return self.start.isoformat()
        if self.kind == "month":
            return _("%(y)s年%(m)s月") % {"y": self.start.year, "m": self.start.month}
        if self.kind == "quarter":
            return _("%(y)s年第%(q)s季度") % {
                "y": self.start.year,
                "q": (self.start.month - 1) // 3 + 1,
            }
        if self.kind == "year":
            return _("%(y)s年") % {"y": self.start.year}
        return f"{self.start.isoformat()} — {self.end.isoformat()}"


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("%(name)s不是有效日期，请按 2025-09-26 的格式填写。") % {"name": name}
        ) from None


def period_for(kind: str, on: date) -> Period:
    if kind == "day":
        return Period(kind, on, on)
    if kind == "week":
        start = on - timedelta(days=on.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind == "month":
        start = on.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return Period(kind, start, following - timedelta(days=1))
    if kind == "quarter":
        start = date(on.year, (on.month - 1) // 3 * 3 + 1, 1)
        following = (start + timedelta(days=95)).replace(day=1)
        return Period(kind, start, following - timedelta(days=1))
    return Period("year", date(on.year, 1, 1), date(on.year, 12, 31))


def parse_period(params: QueryDict, today: date) -> Period:
    """The period the query string asks for (this month when none); a Chinese
    ValidationError for an unknown kind, a bad or future date, or an end before the start."""
    kind = params.get("period") or "month"
    if kind not in KINDS:
        raise ValidationError(_("未知的统计周期：请选择日、周、月、季度、年或自定义。"))
    if kind == "custom":
        start = _date(params.get("start", ""), _("开始日期"))
        end = _date(params.get("end", ""), _("结束日期"))
        if end < start:
            raise ValidationError(_("结束日期不能早于开始日期。"))
        if start > today:
            raise ValidationError(_("开始日期不能晚于今天。"))
        if start < EARLIEST or (end - start).days > MAX_CUSTOM_DAYS:
            raise ValidationError(_("自定义周期最长三年，且不早于 2000 年。"))
        return Period(kind, start, end)
    if kind == "year" and params.get("year"):
        try:
            year = int(params.get("year", ""))
        except ValueError:
            raise ValidationError(_("年份须为数字。")) from None
        if year > today.year:
            raise ValidationError(_("不能查看未来年份的数据。"))
        if year < EARLIEST.year:
            raise ValidationError(_("年份不能早于 2000 年。"))
        return period_for(kind, date(year, 1, 1))
    on_text = params.get("on", "")
    on = _date(on_text, _("日期")) if on_text else today
    if on > today:
        raise ValidationError(_("不能查看未来的数据。"))
    if on < EARLIEST:
        raise ValidationError(_("日期不能早于 2000 年。"))
    return period_for(kind, on)
