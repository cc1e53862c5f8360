"""Reading (and writing back) the admin's textarea of a year's arrangement. No database access.

One line per item, as the State Council notice lists them::

    元旦 2026-01-01 至 2026-01-03
    调休上班 2026-01-04
    国庆节、中秋节 2026-10-01 至 2026-10-08
    调休上班 2026-09-20、2026-10-10

* two dates joined by 至 / 到 / ~ / ～ / — / – / - : a holiday range (both days included);
* one date (or several separated by 、 , ， or spaces): single days — make-up working days
  if the name contains 上班 or 调休 (and not 放假), otherwise one-day holidays;
* dates may be written 2026-10-01, 2026/10/01, 2026.10.01 or 2026年10月1日;
* blank lines and lines starting with # are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HolidayRange = tuple[date, date, str]
Workday = tuple[date, str]

DEFAULT_HOLIDAY_NAME = "节假日"
DEFAULT_WORKDAY_NAME = "调休上班"
WORKDAY_MARKERS = ("上班", "调休")

_DATE = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*日?")
_RANGE_SEPARATORS = {"至", "到", "~", "～", "—", "——", "–", "-", "－"}
_LIST_SEPARATORS = {"", "、", ",", "，", ";", "；"}
_NAME_STRIP = " \t\u3000:：,，、;；。.()（）[]【】"


@dataclass
class Arrangement:
    holidays: list[HolidayRange] = field(default_factory=list)
    workdays: list[Workday] = field(default_factory=list)


def reads_as_workday(name: str) -> bool:
    """A single-date line is a make-up working day if its name says 上班 or 调休 (not 放假)."""
    return "放假" not in name and any(marker in name for marker in WORKDAY_MARKERS)


def _line_error(number: int, message: str) -> ValidationError:
    return ValidationError(
        _("第 %(line)s 行：%(message)s") % {"line": number, "message": message},
        code="bad_line",
    )


def parse_arrangement(text: str, year: int | None = None) -> Arrangement:
    """Parse the textarea. Raises ValidationError (one message per bad line, naming it)."""
    result = Arrangement()
    errors: list[ValidationError] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            _parse_line(line, number, year, result)
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return result


def _parse_line(line: str, number: int, year: int | None, into: Arrangement) -> None:
    matches = list(_DATE.finditer(line))
    if not matches:
        raise _line_error(
            number, _("没有找到日期，请按“名称 2026-10-01 至 2026-10-08”的格式填写。")
        )
    dates: list[date] = []
    for m in matches:
        try:
            dates.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            raise _line_error(
                number, _("“%(text)s”不是有效的日期。") % {"text": m.group(0).strip()}
            ) from None
    gaps = [line[a.end() : b.start()].strip() for a, b in zip(matches, matches[1:], strict=False)]
    name = (line[: matches[0].start()] + " " + line[matches[-1].end() :]).strip(_NAME_STRIP)
    name = " ".join(name.split())
    if len(name) > 50:
        raise _line_error(number, _("名称太长（最多 50 个字）。"))
    if year is not None:
        for d in dates:
            if d.year != year:
                raise _line_error(
                    number,
                    _("%(date)s 不在 %(year)s 年内。") % {"date": d.isoformat(), "year": year},
                )
    is_workday = reads_as_workday(name)

    if len(dates) == 2 and gaps[0] in _RANGE_SEPARATORS:
        start, end = dates
        if is_workday:
            raise _line_error(
                number, _("调休上班日请逐日填写（每个日期用“、”隔开），不要写成区间。")
            )
        if start > end:
            raise _line_error(number, _("开始日期晚于结束日期。"))
        into.holidays.append((start, end, name or DEFAULT_HOLIDAY_NAME))
        return
    for gap in gaps:
        if gap not in _LIST_SEPARATORS:
            raise _line_error(
                number,
                _("无法识别日期之间的“%(gap)s”：区间请用“至”连接两个日期，多个单日请用“、”隔开。")
                % {"gap": gap},
            )
    for d in dates:
        if is_workday:
            into.workdays.append((d, name or DEFAULT_WORKDAY_NAME))
        else:
            into.holidays.append((d, d, name or DEFAULT_HOLIDAY_NAME))


def format_arrangement(days: Iterable[tuple[date, bool, str]]) -> str:
    """Write listed days (date, is_workday, name) back as textarea lines, merging holiday runs.

    ``parse_arrangement(format_arrangement(days))`` gives the same days back.
    """
    lines: list[str] = []
    run: list[tuple[date, str]] = []

    def flush() -> None:
        if not run:
            return
        (first, name), (last, _n) = run[0], run[-1]
        if first == last:
            lines.append(f"{name} {first.isoformat()}")
        else:
            lines.append(f"{name} {first.isoformat()} 至 {last.isoformat()}")
        run.clear()

    for day, is_workday, name in sorted(days):
        if is_workday:
            flush()
            label = name if reads_as_workday(name) else f"{name}（调休上班）"
            if not reads_as_workday(label):
                label = DEFAULT_WORKDAY_NAME
            lines.append(f"{label} {day.isoformat()}")
            continue
        if reads_as_workday(name):
            name = f"{name}（放假）"
        if run and (day - run[-1][0] != timedelta(days=1) or name != run[-1][1]):
            flush()
        run.append((day, name))
    flush()
    return "\n".join(lines)
