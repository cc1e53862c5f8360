"""Request and response shapes of /api/v1/."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from doorstep.core.schemas import Error, Id

__all__ = ["Error", "Id"]  # re-exported: the API's own modules import them from here


class ItemOut(Schema):
    id: int
    code: str
    name: str
    category: str
    level: str
    mode: str
    promise_days: int


class CaseIn(Schema):
    description: str = Field(..., description="居民诉求原话", max_length=5000)
    channel: str = Field("app", description="受理渠道")
    community_id: Id | None = Field(None, description="社区；社区工作人员可省略")
    item_code: str | None = Field(None, description="服务事项编码；省略则自动分派")
    resident_id: Id | None = None
    compound_id: Id | None = None
    building_id: Id | None = None
    contact_name: str = ""
    contact_phone: str = ""
    settle_now: bool = False
    reply: str = ""


class CaseSearchIn(Schema):
    """事项检索: the search that may hold a phone or ID tail, in the body."""

    q: str = Field("", max_length=200)
    status: str | None = None
    view: str | None = None
    cursor: str | None = Field(None, max_length=2000)
    limit: int = Field(50, ge=1, le=200)


class CaseOut(Schema):
    id: int
    tracking_code: str
    community: str
    channel: str
    status: str
    status_label: str
    description: str
    item_code: str | None
    item_name: str | None
    routing_confidence: float | None
    queue: str
    responsibility: str
    owner: str | None
    due_date: date | None
    reply: str
    created_at: datetime
    resolved_at: datetime | None
    version: int


class EventOut(Schema):
    kind: str
    label: str
    at: datetime
    actor: str | None
    note: str


class CaseDetailOut(CaseOut):
    events: list[EventOut]


class ActionIn(Schema):
    version: Id | None = Field(None, description="表单所基于的版本；不一致时返回 409")
    note: str = ""
    reply: str = ""
    assignee_id: Id | None = None
    target: str | None = Field(None, description="fallback / street / department")
    department_id: Id | None = None
    community_id: Id | None = None
    item_code: str | None = Field(None, description="classify 时的服务事项编码")


class SuggestIn(Schema):
    text: str = Field(..., max_length=5000)
    compound_id: Id | None = None
    building_id: Id | None = None


class SuggestionOut(Schema):
    item_code: str
    item_name: str
    confidence: float
    evidence: list[str]
    handler: str


class RatingIn(Schema):
    attitude: int = Field(..., ge=1, le=5)
    capability: int = Field(..., ge=1, le=5)
    comment: str = ""


class PublicCaseOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    community: str
    due_date: date | None
    reply: str
    rated: bool
