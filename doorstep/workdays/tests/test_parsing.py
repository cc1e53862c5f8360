"""The admin's textarea parser: no database."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from doorstep.workdays.parsing import format_arrangement, parse_arrangement

TEXT_2026 = """
# 国务院办公厅关于2026年部分节假日安排的通知
元旦 2026-01-01 至 2026-01-03
调休上班 2026-01-04
春节 2026-02-15 至 2026-02-23
调休上班 2026-02-14、2026-02-28
清明节 2026/04/04 ~ 2026/04/06
劳动节 2026年5月1日到2026年5月5日
国庆节、中秋节 2026-10-01 — 2026-10-08
2026-12-24 平安夜
"""


def test_parses_ranges_singles_and_workdays() -> None:
    result = parse_arrangement(TEXT_2026, year=2026)
    assert result.holidays == [
        (date(2026, 1, 1), date(2026, 1, 3), "元旦"),
        (date(2026, 2, 15), date(2026, 2, 23), "春节"),
        (date(2026, 4, 4), date(2026, 4, 6), "清明节"),
        (date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
        (date(2026, 10, 1), date(2026, 10, 8), "国庆节、中秋节"),
        (date(2026, 12, 24), date(2026, 12, 24), "平安夜"),
    ]
    assert result.workdays == [
        (date(2026, 1, 4), "调休上班"),
        (date(2026, 2, 14), "调休上班"),
        (date(2026, 2, 28), "调休上班"),
    ]


@pytest.mark.parametrize("separator", ["至", "到", "~", "～", "—", "-", " - "])
def test_range_separators(separator: str) -> None:
    result = parse_arrangement(f"国庆节 2026-10-01{separator}2026-10-07")
    assert result.holidays == [(date(2026, 10, 1), date(2026, 10, 7), "国庆节")]


def test_single_day_rules() -> None:
    result = parse_arrangement("中秋节 2026-09-25\n国庆节调休 2026-09-20\n2026-06-19")
    assert result.holidays == [
        (date(2026, 9, 25), date(2026, 9, 25), "中秋节"),
        (date(2026, 6, 19), date(2026, 6, 19), "节假日"),
    ]
    assert result.workdays == [(date(2026, 9, 20), "国庆节调休")]


def _messages(text: str, year: int | None = None) -> list[str]:
    with pytest.raises(ValidationError) as info:
        parse_arrangement(text, year=year)
    return info.value.messages


def test_errors_name_the_line() -> None:
    text = "元旦 2026-01-01 至 2026-01-03\n\n春节 二月十五\n国庆 2026-10-08 至 2026-10-01"
    messages = _messages(text)
    assert len(messages) == 2
    assert messages[0].startswith("第 3 行")
    assert "没有找到日期" in messages[0]
    assert messages[1].startswith("第 4 行")
    assert "晚于" in messages[1]


def test_other_errors() -> None:
    assert "第 1 行" in _messages("春节 2026-02-30")[0]
    assert "不在 2026 年内" in _messages("元旦 2027-01-01", year=2026)[0]
    assert "逐日" in _messages("调休上班 2026-02-14 至 2026-02-15")[0]
    assert "无法识别" in _messages("春节 2026-02-15 和 2026-02-23")[0]
    assert "第 2 行" in _messages("元旦 2026-01-01\n2026-01-01 2026-01-02 至 2026-01-03")[0]


def test_format_round_trip() -> None:
    days = [(date(2026, 10, d), False, "国庆节") for d in range(1, 8)] + [
        (date(2026, 9, 20), True, "调休上班"),
        (date(2026, 10, 10), True, "国庆节"),
        (date(2026, 9, 25), False, "中秋节"),
        (date(2026, 12, 26), False, "调休"),
    ]
    text = format_arrangement(days)
    assert "国庆节 2026-10-01 至 2026-10-07" in text
    parsed = parse_arrangement(text, year=2026)
    expanded = {
        (start.replace(day=start.day + i), False)
        for start, end, _name in parsed.holidays
        for i in range((end - start).days + 1)
    } | {(d, True) for d, _name in parsed.workdays}
    assert expanded == {(d, w) for d, w, _n in days}
