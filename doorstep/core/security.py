"""Response headers Django does not set itself (Content-Security-Policy), and bad input
turned into a 400 rather than a 500."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# What an unchecked request value raises deep down: int("x"), SQLite's 64-bit limit, a
# model field's to_python, PostgreSQL refusing a NUL byte or an out-of-range number.
BAD_INPUT = (ValueError, OverflowError, ValidationError, DataError, UnicodeError)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


API_PREFIXES = ("/api/", "/open311/", "/hotline/api/")


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES)


class BadInputMiddleware:
    """The last line against bad input (坏输入兜底): a value no view checked — a 100-bit id,
    a NUL byte PostgreSQL refuses, an id that is not a number — answers 400 with a Chinese
    message (JSON on the APIs) instead of a 500. The request's transaction has rolled back;
    the path (never the query string, which may hold personal data) is logged to be fixed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not wants_json(request):
            # `require_POST` answers a typed-in or bookmarked address with an empty 405, which
            # browsers show as their own English error page: say in Chinese what happened.
            page = render(request, "405.html", status=405)
            if "Allow" in response.headers:
                page.headers["Allow"] = response.headers["Allow"]
            return page
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, BAD_INPUT):
            return None
        logger.warning(
            "bad input reached %s %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
            exc_info=exception,
        )
        message = _("请求中的参数无效（数字过大、格式不对或含有不可用的字符），请检查后重试。")
        if wants_json(request):
            return JsonResponse(
                {"code": "bad_input", "message": str(message)},
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        return render(request, "400.html", {"exception": message}, status=400)
