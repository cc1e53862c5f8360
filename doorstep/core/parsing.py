"""Request parsing with bounds (请求参数解析): an id or number from a query string or form
never reaches the database as something it cannot hold, and never raises."""

from datetime import date

MAX_ID = 2**62  # far below BIGINT's 2**63 - 1, as in the API's `Id`
MAX_SEARCH = 100  # characters of a search box worth searching for


def bounded_int(
    value: object, default: int | None = None, *, low: int = 0, high: int = MAX_ID
) -> int | None:
    """`value` as an int within [low, high], else `default` (non-numbers, 10**30, "1e3" …)."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 20 or not text.lstrip("-").isdigit():
        return default
    number = int(text)
    return number if low <= number <= high else default


def bounded_date(value: object, *, low: int = 1900, high: int = 2100) -> date | None:
    """An ISO date with a year in [low, high], else None (Feb 30, year 1, year 9999 …)."""
    text = str(value or "").strip()[:10]
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if low <= day.year <= high else None


def search_text(value: object, limit: int = MAX_SEARCH) -> str:
    """A search string: stripped, control characters dropped, at most `limit` characters."""
    text = "".join(ch for ch in str(value or "") if ch.isprintable())
    return text.strip()[:limit]
