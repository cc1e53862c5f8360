"""Date boxes carry ISO dates in every language (a 2023/07/18 value shows as an empty box)."""

from datetime import date
from pathlib import Path

from django.utils import translation

from doorstep.core.widgets import date_input

ROOT = Path(__file__).resolve().parents[3]


def test_a_date_box_is_written_in_iso_in_chinese_and_english() -> None:
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = date_input().render("joined", date(2023, 7, 18))
        assert 'type="date"' in html and 'value="2023-07-18"' in html, html


def test_every_date_box_comes_from_the_shared_widget() -> None:
    found = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "doorstep").rglob("*.py"))
        if "tests" not in path.parts
        and path.name != "widgets.py"
        and "DateInput(" in path.read_text(encoding="utf-8")
    ]
    assert found == [], f"use doorstep.core.widgets.date_input: {found}"
