"""Endpoints and pages: Open311 GeoReport v2, the 12345 exchange (staff pages and push API),
the WeChat official account. Thin: parse, call a service or selector, answer."""

import json
import re
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doorstep.api.services import token_authenticate
from doorstep.cases.models import Case
from doorstep.cases.selectors import last_resident_step_at
from doorstep.catalog.models import ServiceItem
from doorstep.catalog.selectors import items_for
from doorstep.core.exports import export_queryset, page_or_refuse, refusals, wants_xlsx
from doorstep.core.keyset import BY_ID, CursorError, paginate, query_digest, total_of
from doorstep.core.parsing import bounded_int
from doorstep.core.types import Actor, request_actor
from doorstep.interop.services import HotlineRow, RowError
from doorstep.places import access
from doorstep.places.models import Community, Compound, StaffProfile
from doorstep.places.selectors import communities_for

from . import hotline, open311, selectors, services, wechat
from .choices import OrderSource, OrderStatus
from .exports import order_columns
from .filters import QUEUE_ORDER, Open311Filter, OrderFilter, QueueFilter
from .models import HotlineOrder, Open311Client, Open311Request

# ---------------------------------------------------------------- Open311 GeoReport v2

MAX_REQUESTS = 1000
MAX_PUBLIC_REQUESTS = 200
# requests.json pages by cursor (`Link: <…>; rel="next"`), this many a page unless `page_size`.
PAGE_SIZE = 100
O311_FILTERS = ("service_request_id", "start_date", "end_date", "service_code", "status")


def _o311(fmt: str, root: str, data: object, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        # Exactly "text/xml" (the body declares utf-8): some validators compare it with ==.
        return HttpResponse(open311.to_xml(root, data), content_type="text/xml", status=status)
    return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _o311_error(fmt: str, status: int, description: str) -> HttpResponse:
    return _o311(fmt, "errors", open311.error_list(status, description), status)


def _params(request: HttpRequest) -> QueryDict:
    return request.POST if request.method == "POST" else request.GET


@require_GET
def o311_discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    data = {
        "changeset": open311.CHANGESET,
        "contact": _("请联系所在街道或社区服务站"),
        "key_service": _("向街道申请 api_key"),
        # Two entries (production and test, the same URL): a validator that parses a lone
        # XML <endpoint> as a hash instead of a list still finds a list.
        "endpoints": [
            {
                "specification": open311.SPEC_URL,
                "url": request.build_absolute_uri(reverse("open311_root")).rstrip("/"),
                "changeset": open311.CHANGESET,
                "type": kind,
                "formats": open311.FORMATS,
            }
            for kind in ("production", "test")
        ],
    }
    return _o311(fmt, "discovery", data)


def o311_root(request: HttpRequest) -> HttpResponse:
    return redirect("open311_discovery", fmt="json")


def _jurisdiction(request: HttpRequest) -> Community | None:
    """`jurisdiction_id` is a community's id: its local items (自选动作) are listed too."""
    pk = bounded_int(request.GET.get("jurisdiction_id"))
    return Community.objects.filter(pk=pk).first() if pk else None


@require_GET
def o311_services(request: HttpRequest, fmt: str) -> HttpResponse:
    items = items_for(_jurisdiction(request)).select_related("category")
    return _o311(fmt, "services", [open311.service_dict(i) for i in items])


@require_GET
def o311_service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    item = ServiceItem.objects.filter(code=code, active=True).first()
    if item is None:
        return _o311_error(fmt, 404, _("服务类型 %(code)s 不存在。") % {"code": code})
    return _o311(fmt, "service_definition", open311.service_definition(item))


def _client(request: HttpRequest, fmt: str) -> tuple[Open311Client | None, HttpResponse | None]:
    client = selectors.open311_client_for_key(_params(request).get("api_key", ""))
    if client is None:
        return None, _o311_error(fmt, 403, _("api_key 无效或已停用。"))
    return client, None


def _reader(request: HttpRequest, fmt: str) -> tuple[Open311Client | None, HttpResponse | None]:
    """Reads are open to anyone (the spec): without an api_key the public subset; with a
    valid key the app's own area in full; a wrong key is still an error."""
    if not request.GET.get("api_key", ""):
        return None, None
    return _client(request, fmt)


def _readable(client: Open311Client | None) -> QuerySet[Case]:
    return selectors.open311_cases(client) if client else selectors.open311_public_cases()


def _shown(
    case: Case, client: Open311Client | None, updated: datetime | None = None
) -> dict[str, Any]:
    if client:
        return open311.request_dict(case, updated)
    return open311.public_request_dict(case, updated)


def _float(value: str | None) -> float | None:
    if value in (None, ""):
        return None
    number = float(value)
    if number != number or abs(number) > 180:  # NaN or out of range
        raise ValueError(value)
    return number


_ATTRIBUTE = re.compile(r"^attribute\[(.+)\]$")


def _o311_post(request: HttpRequest, fmt: str) -> HttpResponse:
    client, error = _client(request, fmt)
    if error or client is None:
        return error or _o311_error(fmt, 403, _("api_key 无效或已停用。"))
    p = request.POST
    code = p.get("service_code", "").strip()
    if not code:
        return _o311_error(fmt, 400, _("缺少参数 service_code。"))
    try:
        lat, lon = _float(p.get("lat")), _float(p.get("long"))
    except ValueError:
        return _o311_error(fmt, 400, _("lat / long 不是有效的经纬度。"))
    if (lat is None) != (lon is None):
        return _o311_error(fmt, 400, _("lat 与 long 须同时提供。"))
    attributes = {
        m.group(1): ",".join(p.getlist(k)) for k in p if (m := _ATTRIBUTE.match(k)) is not None
    }
    data = services.Open311Post(
        service_code=code,
        description=p.get("description", ""),
        lat=lat,
        long=lon,
        address_string=p.get("address_string", ""),
        attributes=attributes,
        first_name=p.get("first_name", ""),
        last_name=p.get("last_name", ""),
        phone=p.get("phone", ""),
        email=p.get("email", ""),
    )
    try:
        created = services.open311_request_create(client=client, data=data)
    except PermissionDenied as denied:
        return _o311_error(fmt, 403, str(denied) or _("无权提交。"))
    except ValidationError as invalid:
        return _o311_error(fmt, 400, "；".join(invalid.messages))
    case = created.case
    notice = open311.request_dict(case)["service_notice"]
    answer = {"service_request_id": case.tracking_code, "token": created.token}
    if notice:
        answer["service_notice"] = notice
    body = [answer]
    return _o311(fmt, "service_requests", body)


def _o311_list(request: HttpRequest, fmt: str) -> HttpResponse:
    client, error = _reader(request, fmt)
    if error:
        return error
    g = request.GET
    try:
        qs = Open311Filter.from_params(g).apply(_readable(client))
    except ValidationError as exc:
        return _o311_error(fmt, 400, "；".join(exc.messages))
    try:
        size = min(
            max(int(g.get("page_size") or PAGE_SIZE), 1),
            MAX_REQUESTS if client else MAX_PUBLIC_REQUESTS,
        )
    except ValueError:
        return _o311_error(fmt, 400, _("page_size 必须是 1 到 1000 的整数。"))
    digest = query_digest(
        "open311", client.pk if client else 0, *(g.get(k, "") for k in O311_FILTERS)
    )
    try:
        page = paginate(
            qs.annotate(updated=last_resident_step_at()),
            cursor=g.get("cursor"),
            digest=digest,
            size=size,
            with_total=False,
        )
    except CursorError as bad:
        return _o311_error(fmt, 400, "；".join(bad.messages))
    answer = _o311(
        fmt,
        "service_requests",
        [_shown(c, client, getattr(c, "updated", None)) for c in page.rows],
    )
    if page.next_cursor:
        params = g.copy()
        params["cursor"] = page.next_cursor
        answer["Link"] = f'<{request.path}?{params.urlencode()}>; rel="next"'
        answer["X-Next-Cursor"] = page.next_cursor
    return answer


@csrf_exempt
@require_http_methods(["GET", "POST"])
def o311_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _o311_post(request, fmt)
    return _o311_list(request, fmt)


@require_GET
def o311_request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    client, error = _reader(request, fmt)
    if error:
        return error
    case = (
        _readable(client)
        .annotate(updated=last_resident_step_at())
        .filter(tracking_code=request_id.upper())
        .first()
    )
    if case is None:
        return _o311_error(fmt, 404, _("找不到该服务请求。"))
    return _o311(fmt, "service_requests", [_shown(case, client, case.updated)])


@require_GET
def o311_token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    client, error = _reader(request, fmt)
    if error:
        return error
    tokens = Open311Request.objects.select_related("case")
    found = (tokens.filter(client=client) if client else tokens).filter(token=token).first()
    if found is None:
        return _o311_error(fmt, 404, _("找不到该 token。"))
    body = [{"service_request_id": found.case.tracking_code, "token": found.token}]
    return _o311(fmt, "service_requests", body)


# ---------------------------------------------------------------- 12345 staff pages


def _hotline_profile(request: HttpRequest) -> StaffProfile:
    return access.require(
        request.user, "hotline", _("只有街道工作人员和社区书记可以处理12345工单。")
    )


@login_required
def hotline_home(request: HttpRequest) -> HttpResponseBase:
    """12345 工单: import a file, see every order and where it went (keyset pages, newest
    imported first, filtered by `OrderFilter`; `?format=xlsx` downloads the filtered list)."""
    profile = _hotline_profile(request)
    report = None
    file_error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            file_error = _("请选择要导入的 12345 工单文件（.xlsx 或 .csv）。")
        else:
            try:
                rows = hotline.read_orders(upload.name or "", upload.read())
            except hotline.FileError as error:
                file_error = str(error)
            else:
                report = services.hotline_import(
                    actor=request_actor(request), rows=rows, source=OrderSource.FILE
                )
    actor = request_actor(request)
    order_filter = OrderFilter.from_params(request.GET)
    orders = order_filter.apply(actor)
    if request.method == "GET" and wants_xlsx(request):
        return export_queryset(
            request, orders, order_columns(), _("12345工单台账"), ordering=order_filter.ordering
        )
    context: dict[str, Any] = {
        "profile": profile,
        "report": report,
        "file_error": file_error,
        "status": order_filter.status,
        "statuses": OrderStatus.choices,
        "queue_count": total_of(selectors.hotline_queue(actor)).count,
        "reply_count": total_of(selectors.hotline_replies_due(actor)).count,
    }
    try:
        context["page"] = paginate(
            orders,
            cursor=request.GET.get("cursor") if request.method == "GET" else None,
            digest=order_filter.digest(actor),
            ordering=order_filter.ordering,
        )
    except CursorError as error:
        context["cursor_error"] = " ".join(error.messages)
        return render(request, "interop/hotline.html", context, status=400)
    return render(request, "interop/hotline.html", context)


def _place_choices(user: Actor) -> list[tuple[Community, list[Compound]]]:
    communities = list(communities_for(user))
    compounds = Compound.objects.filter(community__in=communities).order_by("name")
    by_community: dict[int, list[Compound]] = {c.pk: [] for c in communities}
    for compound in compounds:
        by_community[compound.community_id].append(compound)
    return [(c, by_community[c.pk]) for c in communities]


@login_required
@refusals
def hotline_queue(request: HttpRequest) -> HttpResponseBase:
    """待人工分派: orders the address matcher could not place, soonest 12345 deadline first and
    those without one last (keyset pages, `QueueFilter`; `?format=xlsx` downloads them all)."""
    profile = _hotline_profile(request)
    actor = request_actor(request)
    queue_filter = QueueFilter.from_params(request.GET)
    queue = queue_filter.apply(actor)
    if wants_xlsx(request):
        name = _("12345待人工分派")
        return export_queryset(request, queue, order_columns(), name, ordering=QUEUE_ORDER)
    here = urlencode(queue_filter.query())
    digest = queue_filter.digest(actor)
    page = page_or_refuse(request, queue, digest, QUEUE_ORDER, f"{request.path}?{here}")
    assert page.total is not None
    context = {
        "profile": profile,
        "page": page,
        "here": here,
        "queue_count": page.total.count,
        "places": _place_choices(actor),
    }
    return render(request, "interop/hotline_queue.html", context)


@login_required
@require_POST
def hotline_assign(request: HttpRequest, pk: int) -> HttpResponse:
    _hotline_profile(request)
    place = request.POST.get("place", "")
    kind, _sep, raw_id = place.partition(":")
    community = compound = None
    if kind == "p" and raw_id.isdigit():
        compound = Compound.objects.select_related("community").filter(pk=int(raw_id)).first()
        community = compound.community if compound else None
    elif kind == "c" and raw_id.isdigit():
        community = Community.objects.filter(pk=int(raw_id)).first()
    if community is None:
        messages.error(request, _("请选择社区或小区。"))
        return redirect("hotline_queue")
    try:
        order = services.hotline_assign(
            actor=request_actor(request), order_id=pk, community=community, compound=compound
        )
    except HotlineOrder.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        assert order.case is not None
        messages.success(
            request,
            _("工单 %(no)s 已派到%(community)s，事项查询码 %(code)s。")
            % {"no": order.order_no, "community": community.name, "code": order.case.tracking_code},
        )
    return redirect("hotline_queue")


REVEAL_FIELDS = [("caller_phone", _lazy("来电号码")), ("content", _lazy("诉求原文"))]


@login_required
@require_http_methods(["GET", "POST"])
def hotline_order(request: HttpRequest, pk: int) -> HttpResponse:
    """One 12345 order: the caller's phone masked, the content with numbers masked. A POST
    with a typed reason shows the phone or the content as sent, once, and audits it."""
    _hotline_profile(request)
    order = selectors.hotline_orders(request_actor(request)).filter(pk=pk).first()
    if order is None:
        raise Http404
    context: dict[str, Any] = {"order": order, "fields": REVEAL_FIELDS}
    if request.method == "POST":
        field = request.POST.get("field", "")
        try:
            context["revealed"] = services.hotline_order_reveal(
                actor=request_actor(request),
                order_id=order.pk,
                field=field,
                reason=request.POST.get("reason", ""),
            )
            context["revealed_field"] = field
        except ValidationError as error:
            context["error"] = "；".join(error.messages)
            return render(request, "interop/hotline_order.html", context, status=400)
    return render(request, "interop/hotline_order.html", context)


@login_required
@refusals
def hotline_replies(request: HttpRequest) -> HttpResponseBase:
    """回单: answered orders, to send back to 12345 as a file (the button exports every one the
    list holds); the list itself in keyset pages, newest first, with its total."""
    profile = _hotline_profile(request)
    actor = request_actor(request)
    include_replied = request.GET.get("all") == "1"
    orders = selectors.hotline_replies_due(actor, pending_only=not include_replied)
    here = "all=1" if include_replied else ""
    digest = query_digest("hotline-replies", actor.pk, include_replied)
    page = page_or_refuse(request, orders, digest, BY_ID, f"{request.path}?{here}")
    rows = [
        (o, [selectors.hotline_reply_row(o)[h] for h in hotline.REPLY_HEADERS]) for o in page.rows
    ]
    context = {
        "profile": profile,
        "rows": rows,
        "page": page,
        "here": here,
        "include_replied": include_replied,
        "batch": selectors.REPLY_BATCH,
        "over_batch": page.total is not None and page.total.count > selectors.REPLY_BATCH,
    }
    return render(request, "interop/hotline_replies.html", context)


@login_required
@require_POST
def hotline_replies_export(request: HttpRequest) -> HttpResponse:
    _hotline_profile(request)
    fmt = request.POST.get("format", "xlsx")
    include_replied = request.POST.get("all") == "1"
    orders = selectors.hotline_replies(request_actor(request), pending_only=not include_replied)
    rows = [selectors.hotline_reply_row(o) for o in orders]
    services.hotline_mark_replied(actor=request_actor(request), order_ids=[o.pk for o in orders])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(hotline.reply_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="12345-replies-{stamp}.csv"'
        return response
    response = HttpResponse(
        hotline.reply_xlsx(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="12345-replies-{stamp}.xlsx"'
    return response


# ---------------------------------------------------------------- 12345 push API


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"code": code, "message": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def token_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """`Authorization: Bearer <key>` with a staff user's API token (doorstep.api)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        user = token_authenticate(header[7:].strip() if header.startswith("Bearer ") else "")
        if user is None:
            return _api_error(401, "unauthorized", _("缺少或无效的接口令牌。"))
        request.user = user
        if not access.may(user, "hotline"):
            return _api_error(403, "forbidden", _("只有街道工作人员和社区书记可以处理12345工单。"))
        return view(request, *args, **kwargs)

    return wrapper


@csrf_exempt
@require_POST
@token_required
def hotline_api_orders(request: HttpRequest) -> HttpResponse:
    """Push: `{"orders": [{"工单编号": …, "诉求内容": …, …}, …]}` (or the English keys)."""
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return _api_error(400, "bad_json", _("请求体不是有效的 JSON。"))
    orders = payload.get("orders") if isinstance(payload, dict) else None
    if not isinstance(orders, list) or not orders:
        return _api_error(400, "no_orders", _("请在 orders 中提供至少一条工单。"))
    if len(orders) > hotline.MAX_ROWS:
        return _api_error(
            400, "too_many", _("一次最多推送 %(n)s 条工单。") % {"n": hotline.MAX_ROWS}
        )
    rows: list[tuple[int, HotlineRow | RowError]] = []
    for n, order in enumerate(orders, start=1):
        if not isinstance(order, dict):
            rows.append((n, services.RowError(n, "", _("第 %(row)s 行：不是对象。") % {"row": n})))
        else:
            rows.append((n, hotline.row_from_mapping(n, order)))
    report = services.hotline_import(
        actor=request_actor(request), rows=rows, source=OrderSource.API
    )
    return JsonResponse(report.as_dict(), json_dumps_params={"ensure_ascii": False})


@require_GET
@token_required
def hotline_api_replies(request: HttpRequest) -> HttpResponse:
    """Pull the replies (回单): answered orders not yet acknowledged, oldest order number first
    (`?all=1`: the most recent ones, acknowledged or not), at most REPLY_BATCH a pull."""
    orders = selectors.hotline_replies(
        request_actor(request),
        pending_only=request.GET.get("all") != "1",
    )
    rows = [selectors.hotline_reply_row(o) for o in orders]
    data = [
        {
            "order_no": r["工单编号"],
            "result": r["办理结果"],
            "handler": r["办理单位/人"],
            "finished_at": r["办结时间"],
            "tracking_code": r["查询码"],
        }
        for r in rows
    ]
    # `more`: the pull hit the batch size; acknowledge these and pull again for the rest.
    body = {"replies": data, "more": len(orders) >= selectors.REPLY_BATCH}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
@token_required
def hotline_api_ack(request: HttpRequest) -> HttpResponse:
    """`{"order_nos": [...]}`: these replies reached 12345; they leave the pending list."""
    try:
        numbers = json.loads(request.body or b"{}").get("order_nos", [])
    except (ValueError, AttributeError):
        return _api_error(400, "bad_json", _("请求体不是有效的 JSON。"))
    ids = list(
        selectors.hotline_orders(request_actor(request))
        .filter(order_no__in=[str(n) for n in numbers])
        .values_list("pk", flat=True)
    )
    count = services.hotline_mark_replied(actor=request_actor(request), order_ids=ids)
    return JsonResponse({"acknowledged": count})


# ---------------------------------------------------------------- WeChat official account


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat_endpoint(request: HttpRequest, community_id: int) -> HttpResponse:
    """The official account's server URL (服务器地址), plaintext mode. A bad signature gets 403
    and nothing is written."""
    g = request.GET
    if not wechat.signature_ok(g.get("signature", ""), g.get("timestamp", ""), g.get("nonce", "")):
        return HttpResponse("invalid signature", status=403, content_type="text/plain")
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        raise Http404
    if request.method == "GET":
        return HttpResponse(g.get("echostr", ""), content_type="text/plain")
    try:
        message = wechat.parse_message(request.body)
    except Exception:
        return HttpResponse("bad request", status=400, content_type="text/plain")
    openid, account = message.get("FromUserName", ""), message.get("ToUserName", "")
    if message.get("MsgType") != "text" or not message.get("Content", "").strip():
        if message.get("MsgType") == "event":
            text = _("欢迎关注家门口服务！直接发送文字描述您的诉求，我们会登记并回复查询码。")
        else:
            text = _("请直接发送文字描述您的诉求，我们会登记并回复查询码。")
        return _wechat_reply(openid, account, text)
    msg_id = message.get("MsgId") or f"{openid}-{message.get('CreateTime', '')}"
    try:
        received = services.wechat_message_receive(
            community=community,
            msg_id=msg_id[:64],
            openid=openid[:64],
            content=message["Content"].strip(),
        )
    except ValidationError as error:
        return _wechat_reply(openid, account, "；".join(error.messages))
    case = received.case
    if case is None:
        return _wechat_reply(openid, account, _("您的诉求已收到。"))
    url = request.build_absolute_uri(reverse("portal_track_code", args=[case.tracking_code]))
    text = _("%(community)s已收到您的诉求，查询码 %(code)s。查看办理进度、办结后评价：%(url)s") % {
        "community": community.name,
        "code": case.tracking_code,
        "url": url,
    }
    return _wechat_reply(openid, account, text)


def _wechat_reply(to_user: str, from_user: str, text: str) -> HttpResponse:
    return HttpResponse(
        wechat.text_reply(to_user, from_user, text), content_type="application/xml; charset=utf-8"
    )
