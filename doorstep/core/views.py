"""Health check and log-in."""

from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import throttle
from .security import wants_json
from .services import login_locked


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


LOCKED = _("登录失败次数过多，已锁定 15 分钟。请稍后再试，或联系区级管理员。")


class LoginView(DjangoLoginView):
    """Log-in with a lock (登录锁定): 5 failures for one account, or from one address, lock
    it for 15 minutes — even the right password is refused meanwhile; the lock is audited."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "").strip().lower()[:150]
        keys = [f"login:user:{username}", f"login:ip:{throttle.client_ip(request)}"]
        if any(throttle.locked(key) for key in keys):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, LOCKED)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttle.clear(keys[0])
            return response
        locks = [throttle.fail(key, throttle.LOGIN_FAILURES) for key in keys]
        if any(locks):
            login_locked(username=username, by_address=locks[1])
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A failed CSRF check, in Chinese and in the site's look (not Django's English page)."""
    return render(
        request,
        "403.html",
        {"exception": _("页面已过期或来源无法验证，请刷新页面后重新提交。")},
        status=403,
    )


def _error_page(
    request: HttpRequest, status: int, code: str, message: str, detail: str = ""
) -> HttpResponse:
    """JSON `{"code", "message"}` on the API paths, the site's Chinese page elsewhere."""
    if wants_json(request):
        return JsonResponse(
            {"code": code, "message": detail or message},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, f"{status}.html", {"exception": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400, "bad_request", _("请求无效。"))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = str(exception) if isinstance(exception, PermissionDenied) and exception.args else ""
    return _error_page(request, 403, "forbidden", _("无权访问。"), detail)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404, "not_found", _("页面不存在。"))


def server_error(request: HttpRequest) -> HttpResponse:
    if wants_json(request):
        return _error_page(request, 500, "server_error", _("系统出错了，请稍后再试。"))
    from django.views.defaults import server_error as default

    return default(request)
