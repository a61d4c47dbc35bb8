"""Error pages in Chinese, in the platform's layout (handler400/403/404/500 and the
CSRF failure view)."""

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from .context_processors import PLATFORM_NAME

logger = logging.getLogger("labour.errors")

TITLES = {
    400: "请求无效",
    403: "无权访问",
    404: "页面不存在",
    500: "系统繁忙，请稍后重试",
}
CSRF_TITLE = "页面已过期，请刷新后重试"


def _render(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    context = {"status_code": status, "error_title": TITLES.get(status, ""),
               "request_id": getattr(request, "request_id", ""), **context}
    return render(request, template, context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    back = request.path if request.method == "POST" else ""
    if back and not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = ""
    return _render(request, "403_csrf.html", 403, error_title=CSRF_TITLE, back_url=back)


FALLBACK_500 = ("<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\">"
                f"<title>系统繁忙 - {PLATFORM_NAME}</title><h1>系统繁忙，请稍后重试</h1>"
                "<p>服务器处理您的请求时出错，已记录以便排查。</p>")


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context: no session, user or database query,
    which may be what failed. If even the template fails, a plain page."""
    try:
        html = loader.render_to_string("500.html", {
            "PLATFORM_NAME": PLATFORM_NAME, "status_code": 500, "error_title": TITLES[500],
            "request_id": getattr(request, "request_id", ""),
        })
    except Exception:
        logger.exception("the 500 page itself could not be rendered")
        return HttpResponseServerError(FALLBACK_500)
    return HttpResponse(html, status=500)
