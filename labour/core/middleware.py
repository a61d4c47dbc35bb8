"""Middleware of the platform itself: request ids for the logs, NUL bytes refused
with a 400, and sessions that keep their idle timeout without a write per request."""

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict

from .logging import current_request, current_request_id

GetResponse = Callable[[HttpRequest], HttpResponse]

access_logger = logging.getLogger("labour.access")
security_logger = logging.getLogger("labour.security")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
QUIET_PATHS = ("/healthz", "/static/")


class RequestContextMiddleware:
    """Gives each request an id (the proxy's X-Request-ID when it looks like one, else a
    new one), which every log line written while serving it carries and which the
    response repeats in X-Request-ID; writes one access line per request (the path
    without its query string, which may carry a phone number)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        id_token = current_request_id.set(request_id)
        request_token = current_request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if not request.path.startswith(QUIET_PATHS) or response.status_code >= 500:
                access_logger.info("%s %s %s", request.method, request.path, response.status_code,
                                   extra={"method": request.method, "path": request.path,
                                          "status": response.status_code,
                                          "duration_ms": round((time.monotonic() - started) * 1000,
                                                               1)})
            return response
        finally:
            current_request.reset(request_token)
            current_request_id.reset(id_token)


def _has_nul(values: Iterable[Any]) -> bool:
    return any("\x00" in value for value in values)


def _querydict_has_nul(querydict: QueryDict) -> bool:
    return _has_nul(querydict.keys()) or _has_nul(
        value for values in querydict.lists() for value in values[1] if isinstance(value, str))


def _refuse_nul(request: HttpRequest, where: str) -> HttpResponse:
    """400 with the Chinese error page. (PostgreSQL refuses NUL in text, so such a
    value must never reach a query; nobody types one.)"""
    from .error_views import bad_request

    security_logger.warning("NUL byte in %s: refused with 400", where,
                            extra={"path": request.path.replace("\x00", "\\x00")})
    response = bad_request(request)
    response["X-Frame-Options"] = "DENY"  # answered before the clickjacking middleware
    return response


class RejectNulBytesMiddleware:
    """A NUL byte in the path, the query string or a cookie answers 400 before anything
    reads them (the session is looked up by its cookie). Place near the top."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            return _refuse_nul(request, "the path")
        if _querydict_has_nul(request.GET):
            return _refuse_nul(request, "the query string")
        if _has_nul(request.COOKIES.keys()) or _has_nul(request.COOKIES.values()):
            return _refuse_nul(request, "a cookie")
        return self.get_response(request)


class RejectNulFormFieldsMiddleware:
    """A NUL byte in a form field or a file's field name answers 400, just before the
    view. Place after CsrfViewMiddleware, which has already parsed the form."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any,
                     view_kwargs: Any) -> HttpResponse | None:
        if request.method in ("POST", "PUT", "PATCH"):
            if _querydict_has_nul(request.POST) or _has_nul(request.FILES.keys()) or _has_nul(
                    getattr(f, "name", "") or "" for f in request.FILES.values()):
                return _refuse_nul(request, "a form field")
        return None


TOUCH_KEY = "_touched"


class SessionIdleMiddleware:
    """The idle timeout (SESSION_COOKIE_AGE) without SESSION_SAVE_EVERY_REQUEST: an
    existing session is saved again, which moves its expiry forward, at most once per
    SESSION_REFRESH_SECONDS. Place right after SessionMiddleware."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            session = request.session
            touched = session.get(TOUCH_KEY)  # loads the session (the login check would)
            now = int(time.time())
            if session.session_key and not session.is_empty() and (
                    touched is None or now - touched >= settings.SESSION_REFRESH_SECONDS):
                session[TOUCH_KEY] = now
        return self.get_response(request)


CSP_HEADER = "Content-Security-Policy"


def content_security_policy(directives: dict[str, str]) -> str:
    """The header's value from {directive: sources}, in the order given."""
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sends settings.CONTENT_SECURITY_POLICY on every response, error pages and the
    400 of a NUL byte included (place it right after RequestContextMiddleware). Every
    asset is local and no page has inline script or style (docs/architecture.md), so
    the policy needs no nonce. A response that already carries the header keeps its
    own (a private file is served under `sandbox`)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.policy = content_security_policy(settings.CONTENT_SECURITY_POLICY)
        self.header = ("Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY
                       else CSP_HEADER)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER not in response:
            response[self.header] = self.policy
        return response
