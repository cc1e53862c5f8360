"""Health check, log-in, error pages and 我的导出 (a user's background exports)."""

from typing import Any
from urllib.parse import quote

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, throttle
from .exports import page_or_refuse, refusals
from .keyset import BY_ID, query_digest
from .models import ExportJob
from .security import wants_json
from .services import EXPORT_KEEP, login_locked
from .types import request_actor
from .xlsx import XLSX


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


# ---------------------------------------------------------------- 我的导出 (background exports)


@login_required
@refusals
def exports(request: HttpRequest) -> HttpResponse:
    """The user's background exports, newest first, 20 a page; while one is queued or running
    the table refreshes itself every 5 s (htmx), and `?part=1` answers just the table."""
    actor = request_actor(request)
    page = page_or_refuse(
        request,
        selectors.export_jobs_for(actor),
        query_digest("exports", actor.pk),
        BY_ID,
        request.path,
        size=20,
    )
    context = {
        "page": page,
        "busy": any(job.state in selectors.OPEN_STATES for job in page.rows),
        "keep_days": EXPORT_KEEP.days,
    }
    template = "core/_exports_table.html" if request.GET.get("part") else "core/exports.html"
    return render(request, template, context)


@login_required
def export_download(request: HttpRequest, job_id: int) -> HttpResponseBase:
    """A finished export's file, streamed part by part; another user's job is a 404."""
    try:
        job = selectors.export_job_for(request_actor(request), job_id)
    except ExportJob.DoesNotExist:
        raise Http404(_("导出不存在")) from None
    if job.state != ExportJob.State.DONE:
        messages: dict[str, str] = {
            ExportJob.State.EXPIRED: _("文件已过期（保留 %(n)s 天），请回到列表重新导出。"),
            ExportJob.State.FAILED: _("这个导出没有完成，请回到列表重新导出。"),
        }
        message = messages.get(job.state, _("文件还在生成中，完成后再下载。")) % {
            "n": EXPORT_KEEP.days
        }
        status = 410 if job.state == ExportJob.State.EXPIRED else 409
        context = {"title": _("暂时无法下载"), "message": message, "back": reverse("exports")}
        return render(request, "core/list_refused.html", context, status=status)
    response = StreamingHttpResponse(selectors.export_file(job), content_type=XLSX)
    response["Content-Length"] = str(job.size)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.title)}.xlsx"
    return response
