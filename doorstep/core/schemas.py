"""API building blocks every area's django-ninja Router shares (the ground floor of /api/v1/)."""

from typing import Annotated

from ninja import Schema
from pydantic import Field

# Database ids and versions: positive and within a 64-bit integer, so no value the client
# sends can overflow the database driver.
Id = Annotated[int, Field(ge=1, le=2**62)]


class Error(Schema):
    """Every API error: a stable code, a message in the user's language, per-field details."""

    code: str
    message: str
    fields: dict[str, list[str]] | None = None
