"""API building blocks every area's django-ninja Router shares (the ground floor of /api/v1/)."""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema
from pydantic import Field

from .keyset import Page

# Database ids and versions: positive and within a 64-bit integer, so no value the client
# sends can overflow the database driver.
Id = Annotated[int, Field(ge=1, le=2**62)]


class Error(Schema):
    """Every API error: a stable code, a message in the user's language, per-field details."""

    code: str
    message: str
    fields: dict[str, list[str]] | None = None


def page_headers(
    request: HttpRequest, response: HttpResponse, page: Page[Any], *, links: bool = True
) -> None:
    """A keyset page's headers, as `GET /api/v1/cases` sends them: `Link` (`rel="next"` /
    `rel="prev"`, the same query with the cursor), `X-Next-Cursor` / `X-Previous-Cursor`, and
    `X-Total-Count` with `X-Total-Estimated` (1 above 10,000, where the count is an estimate).
    `links=False` leaves out the `Link` header (the cursors stay in their own headers)."""
    link_values = []
    for rel, value, header in (
        ("next", page.next_cursor, "X-Next-Cursor"),
        ("prev", page.previous_cursor, "X-Previous-Cursor"),
    ):
        if value:
            response[header] = value
            params = request.GET.copy()
            params["cursor"] = value
            link_values.append(f'<{request.path}?{params.urlencode()}>; rel="{rel}"')
    if links and link_values:
        response["Link"] = ", ".join(link_values)
    if page.total is not None:
        response["X-Total-Count"] = str(page.total.count)
        response["X-Total-Estimated"] = "1" if page.total.estimated else "0"
