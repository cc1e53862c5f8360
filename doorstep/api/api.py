"""/api/v1/: the same services and the same area scoping as the pages. Errors are JSON with a
stable code and a message in the user's language."""

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError

from doorstep.cases import commands, selectors, services
from doorstep.cases.choices import Status as CaseStatus
from doorstep.cases.filters import CaseFilter
from doorstep.cases.models import Case
from doorstep.cases.search import MAX_QUERY
from doorstep.cases.services import StaleCase
from doorstep.catalog.models import ServiceItem
from doorstep.catalog.selectors import item_offered, item_search, items_for
from doorstep.core import throttle
from doorstep.core.keyset import CursorError, cursor_at_offset, paginate
from doorstep.core.parsing import search_text
from doorstep.core.personal_search import url_search
from doorstep.core.schemas import page_headers
from doorstep.core.throttle import Throttled
from doorstep.core.types import JsonObject, request_actor
from doorstep.places import access
from doorstep.places.models import Building, Compound, Resident
from doorstep.places.selectors import communities_for, staff_profile
from doorstep.routing import services as routing

from .auth import auth
from .schema_errors import schema_fields
from .schemas import (
    ActionIn,
    CaseDetailOut,
    CaseIn,
    CaseOut,
    CaseSearchIn,
    Error,
    Id,
    ItemOut,
    PublicCaseOut,
    RatingIn,
    SuggestIn,
    SuggestionOut,
)
from .services import case_create_once

# Old clients may still page by offset, as far as this; beyond it, the cursor.
MAX_OFFSET = 10_000

M = TypeVar("M", bound=Model)

api = NinjaAPI(
    title="家门口 Doorstep API",
    version="1.0.0",
    description="社区事项受理、分派、办理、答复与评价。",
    auth=auth,
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields}, status=status
    )


@api.exception_handler(StaleCase)
def _stale(request: HttpRequest, exc: StaleCase) -> HttpResponse:
    return _error(request, 409, "stale", "；".join(exc.messages))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = (
        {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        if hasattr(exc, "error_dict")
        else None
    )
    return _error(request, 400, "invalid", "；".join(exc.messages), fields)


@api.exception_handler(SchemaError)
def _schema(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    fields = schema_fields(exc.errors)
    return _error(request, 422, "schema", _("请求格式不正确，请检查字段。"), fields)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", str(exc) or _("您无权进行此操作。"))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", _("请先登录或提供有效的令牌。"))


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return _error(request, 429, "throttled", str(exc))


@api.exception_handler(Case.DoesNotExist)
@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "not_found", _("事项不存在。"))


def case_out(case: Case) -> JsonObject:
    return {
        "id": case.pk,
        "tracking_code": case.tracking_code,
        "community": case.community.name,
        "channel": case.channel,
        "status": case.status,
        "status_label": case.get_status_display(),
        "description": case.description,
        "item_code": case.item.code if case.item else None,
        "item_name": case.item.name if case.item else None,
        "routing_confidence": case.routing_confidence,
        "queue": case.queue,
        "responsibility": case.responsibility,
        "owner": case.owner.staff.display_name if case.owner else None,
        "due_date": case.due_date,
        "reply": case.reply,
        "created_at": case.created_at,
        "resolved_at": case.resolved_at,
        "version": case.version,
    }


def _scoped(request: HttpRequest, model: type[M], pk: int | None, **filters: object) -> M | None:
    """The row by id, within the caller's area (the model's scope in places.access)."""
    if pk is None:
        return None
    found = access.visible_to(request.user, model).filter(pk=pk, **filters).first()
    if found is None:
        raise ValidationError({model.__name__.lower(): _("所选对象不存在或不在您的辖区。")})
    return found


@api.exception_handler(CursorError)
def _bad_cursor(request: HttpRequest, exc: CursorError) -> HttpResponse:
    return _error(request, 400, exc.code or "bad_cursor", "；".join(exc.messages))


@api.get(
    "/cases",
    response={200: list[CaseOut], 400: Error},
    tags=["cases"],
    summary="事项列表（辖区内，游标翻页）",
)
def list_cases(
    request: HttpRequest,
    response: HttpResponse,
    status: str | None = None,
    view: str | None = None,
    q: str | None = None,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[JsonObject]:
    """Newest first (overdue / due_soon: soonest deadline first). The next and previous pages
    are in the `Link` header (`rel="next"` / `rel="prev"`) and in `X-Next-Cursor` /
    `X-Previous-Cursor`; `X-Total-Count` is exact up to 10,000 and an estimate above
    (`X-Total-Estimated: 1`). `offset` is kept for old clients, up to 10,000."""
    q, refused = url_search(q, limit=MAX_QUERY)
    if refused:
        raise ValidationError(
            {"q": _("电话和身份证号不能放在网址里，请用 POST /api/v1/cases/search 查找。")}
        )
    case_filter = _case_filter(status, view, q)
    return _case_page(request, response, case_filter, cursor, limit, offset, links=True)


@api.post(
    "/cases/search",
    response={200: list[CaseOut], 400: Error},
    tags=["cases"],
    summary="按电话、身份证后四位或关键词查找事项（POST，号码不进网址）",
)
def search_cases(
    request: HttpRequest, response: HttpResponse, payload: CaseSearchIn
) -> list[JsonObject]:
    """As `GET /cases`, with the search in the body: a phone or ID tail never lands in a URL
    or an access log. The next page: the same body with `cursor` from `X-Next-Cursor`."""
    case_filter = _case_filter(payload.status, payload.view, search_text(payload.q, MAX_QUERY))
    return _case_page(request, response, case_filter, payload.cursor, payload.limit, 0)


def _case_filter(status: str | None, view: str | None, q: str) -> CaseFilter:
    if status and status not in CaseStatus.values:
        raise ValidationError({"status": _("未知的事项状态。")})
    return CaseFilter.from_params({"status": status, "view": view, "q": q})


def _case_page(
    request: HttpRequest,
    response: HttpResponse,
    case_filter: CaseFilter,
    cursor: str | None,
    limit: int,
    offset: int,
    *,
    links: bool = False,
) -> list[JsonObject]:
    qs = case_filter.apply(request.user)
    digest = case_filter.digest(request.user, "api")
    if offset and not cursor:
        cursor = cursor_at_offset(qs, offset, digest=digest, ordering=case_filter.ordering)
        if cursor is None:
            return []
    page = paginate(qs, cursor=cursor, digest=digest, size=limit, ordering=case_filter.ordering)
    page_headers(request, response, page, links=links)
    return [case_out(c) for c in page.rows]


@api.post(
    "/cases",
    response={201: CaseOut, 400: Error, 403: Error},
    tags=["cases"],
    summary="登记事项（只给原话时自动分派）",
)
def create_case(request: HttpRequest, payload: CaseIn) -> Status[JsonObject]:
    """With an `Idempotency-Key` header a retry returns the case the first request made (the
    same 201 answer), however often it is sent and even when two retries race."""
    key = (request.headers.get("Idempotency-Key") or "").strip()[:200]
    if key:
        case = case_create_once(
            actor=request_actor(request), key=key, create=lambda: _create_case(request, payload)
        )
        return Status(201, case_out(_case_for_out(case.pk)))
    return Status(201, case_out(_create_case(request, payload)))


def _case_for_out(case_id: int) -> Case:
    return Case.objects.select_related("community", "item", "owner__staff").get(pk=case_id)


def _create_case(request: HttpRequest, payload: CaseIn) -> Case:
    profile = staff_profile(request.user)
    if profile is None:
        raise PermissionDenied(_("该账号不是工作人员账号。"))
    if payload.community_id is not None:
        community = communities_for(request.user).filter(pk=payload.community_id).first()
        if community is None:
            raise ValidationError({"community_id": _("所选社区不存在或不在您的辖区。")})
    else:
        community = access.own_community(profile)
    if community is None:
        raise ValidationError({"community_id": _("请指定社区。")})
    item, confidence, suggested = None, None, None
    if payload.item_code:
        item = item_offered(community, payload.item_code)
        if item is None:
            raise ValidationError({"item_code": _("该服务事项不存在或已停用。")})
    elif payload.description.strip():
        item, confidence = routing.auto_route(payload.description, community)
        suggested = item
    compound = _scoped(request, Compound, payload.compound_id, community=community)
    case = services.case_create(
        actor=request_actor(request),
        data=services.Intake(
            community=community,
            channel=payload.channel,
            description=payload.description,
            item=item,
            resident=_scoped(request, Resident, payload.resident_id, community=community),
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            compound=compound,
            building=_scoped(request, Building, payload.building_id, compound=compound)
            if compound
            else None,
            settle_now=payload.settle_now,
            reply=payload.reply,
            suggested_item=suggested,
            routing_confidence=confidence,
        ),
    )
    return case


@api.get("/cases/{case_id}", response={200: CaseDetailOut, 404: Error}, tags=["cases"])
def get_case(request: HttpRequest, case_id: Id) -> JsonObject:
    case = selectors.case_get(request.user, case_id)
    out = case_out(case)
    out["events"] = [
        {
            "kind": e.kind,
            "label": e.get_kind_display(),
            "at": e.at,
            "note": e.note,
            "actor": e.actor.staff.display_name if e.actor and hasattr(e.actor, "staff") else None,
        }
        for e in case.events.select_related("actor__staff")
    ]
    return out


@api.post(
    "/cases/{case_id}/{action}",
    response={200: CaseOut, 400: Error, 403: Error, 404: Error, 409: Error},
    tags=["cases"],
    summary="办理动作：accept / classify / assign / escalate / transfer / reply / resolve / "
    "reject / reopen",
)
def case_action(request: HttpRequest, case_id: Id, action: str, payload: ActionIn) -> JsonObject:
    if action not in commands.ACTIONS:
        raise Http404
    case = selectors.case_get(request.user, case_id)
    found = commands.resolve(
        case,
        item_code=payload.item_code,
        assignee_id=payload.assignee_id,
        department_id=payload.department_id,
        community_id=payload.community_id,
    )
    arguments = commands.Arguments(
        version=payload.version,
        note=payload.note,
        reply=payload.reply,
        target=payload.target or "",
        **found,
    )
    case = commands.run(request_actor(request), case, action, arguments)
    return case_out(
        Case.objects.select_related("community", "item", "owner__staff").get(pk=case.pk)
    )


@api.get(
    "/catalog/items",
    response=list[ItemOut],
    tags=["catalog"],
    summary="服务清单（支持汉字与拼音首字母搜索）",
)
def list_items(request: HttpRequest, q: str = "") -> list[JsonObject]:
    profile = staff_profile(request.user)
    community = profile.community if profile else None
    q = search_text(q)
    items: Iterable[ServiceItem] = (
        item_search(q, community, limit=50) if q else items_for(community)
    )
    return [
        {
            "id": i.pk,
            "code": i.code,
            "name": i.name,
            "category": i.category.name,
            "level": i.level,
            "mode": i.mode,
            "promise_days": i.promise_days,
        }
        for i in items
    ]


@api.post(
    "/routing/suggest",
    response=list[SuggestionOut],
    tags=["routing"],
    summary="智能分派建议（前三）",
)
def suggest(request: HttpRequest, payload: SuggestIn) -> list[JsonObject]:
    profile = staff_profile(request.user)
    community = profile.community if profile else None
    found = routing.suggest(payload.text, community=community)
    return [
        {
            "item_code": s.item.code,
            "item_name": s.item.name,
            "confidence": round(s.confidence, 4),
            "evidence": s.evidence,
            "handler": s.handler,
        }
        for s in found
    ]


@api.get(
    "/track/{code}",
    response={200: PublicCaseOut, 404: Error},
    auth=None,
    tags=["public"],
    summary="居民凭查询码查询进度",
)
def track(request: HttpRequest, code: str) -> JsonObject:
    throttle.check(f"track:ip:{throttle.client_ip(request)}", throttle.TRACKING_LOOKUPS)
    case = selectors.case_by_tracking_code(code)
    if case is None:
        raise Http404
    return {
        "tracking_code": case.tracking_code,
        "status": case.status,
        "status_label": case.get_status_display(),
        "community": case.community.name,
        "due_date": case.due_date,
        "reply": case.reply,
        "rated": hasattr(case, "rating"),
    }


@api.post(
    "/track/{code}/rating",
    response={201: PublicCaseOut, 400: Error, 404: Error},
    auth=None,
    tags=["public"],
    summary="居民评价（每件一次）",
)
def rate(request: HttpRequest, code: str, payload: RatingIn) -> Status[JsonObject]:
    throttle.check(f"track:ip:{throttle.client_ip(request)}", throttle.TRACKING_LOOKUPS)
    case = selectors.case_by_tracking_code(code)
    if case is None:
        raise Http404
    services.case_rate(
        case_id=case.pk,
        attitude=payload.attitude,
        capability=payload.capability,
        comment=payload.comment,
    )
    return Status(201, track(request, code))


api.add_router("/bookings", "doorstep.bookings.api.router")
api.add_router("/volunteers", "doorstep.volunteers.api.router")
api.add_router("/workforce", "doorstep.workforce.api.router")
api.add_router("/participation", "doorstep.participation.api.router")
