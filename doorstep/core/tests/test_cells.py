from datetime import date
from decimal import Decimal

import pytest

from doorstep.core.cells import escape_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_escape_cell_prefixes_text_that_would_start_a_formula(text: str) -> None:
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["路灯不亮", "12345-001", 5, -3, Decimal("-1.50"), date(2026, 1, 1), None]
)
def test_escape_cell_keeps_plain_text_and_typed_values(value: object) -> None:
    assert escape_cell(value) == value  # type: ignore[arg-type]
