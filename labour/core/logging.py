"""Structured logs: one JSON object per line, with the request id and the user id,
and no personal data (phone, ID and bank card numbers, codes, passwords).

The scrubbing below is the last line of defence; code should never log such
values in the first place. It runs on the whole formatted line, tracebacks and
database error details included (PostgreSQL repeats the offending key values)."""

import contextvars
import logging
import re
import time
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

# the request being served by this thread or task, set by RequestContextMiddleware
current_request: contextvars.ContextVar[Any] = contextvars.ContextVar("current_request",
                                                                      default=None)
current_request_id = contextvars.ContextVar("current_request_id", default="")

_PHONE = re.compile(r"(?:(?<![0-9])|(?<=86))(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")
# ID numbers (15 or 18 characters) and bank card numbers (16 to 19 digits)
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{14,18}[0-9Xx](?![0-9A-Za-z])")
# "code=123456", '"password": "…"', 验证码为123456, 随机登录密码：Ab12cd
# (an English key needs its ":" or "=", so a path such as /payroll/query/code/ stays whole)
_SECRET_VALUE = re.compile(
    r"(?i)(?:(\b(?:code|password|passwd|pwd|new_password|old_password|confirm_password|secret)\b)"
    r"(\\?[\"']?\s*[:=：]\s*\\?[\"']?\s*)"
    r"|(验证码为?|密码)(\\?[\"']?\s*[:=：]?\s*\\?[\"']?\s*))"
    r"([^\s\"'\\,，。&;]+)")


def scrub(text: str) -> str:
    """Mask personal numbers and secret values in a log line."""
    text = _SECRET_VALUE.sub(
        lambda m: f"{m.group(1) or m.group(3)}{m.group(2) or m.group(4) or ''}******", text)
    text = _LONG_NUMBER.sub("[已隐去]", text)
    return _PHONE.sub(r"\1****\2", text)


def _user_id(request: Any) -> int | None:
    """The user id, if known without a query: the loaded user, else the id the loaded
    session names (never queries the database from a log call: that could fail or
    recurse while the database is the problem)."""
    from django.utils.functional import empty

    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is not None and wrapped is not empty:
        return wrapped.pk if getattr(wrapped, "is_authenticated", False) else None
    session = getattr(request, "session", None)
    cached = getattr(session, "_session_cache", None) if session is not None else None
    if cached:
        user_id = cached.get("_auth_user_id")
        return int(user_id) if user_id and str(user_id).isdigit() else user_id
    return None


class RequestContextFilter(logging.Filter):
    """Adds request_id and user_id to every record logged while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id.get() or None
        if not hasattr(record, "user_id"):
            request = current_request.get()
            record.user_id = _user_id(request) if request is not None else None
        # django.request and django.server attach the request (or socket) object, whose
        # text carries the query string: keep the status code only
        if hasattr(record, "request"):
            del record.request
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter with fixed keys and the scrubbing above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level",
                                            "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        kwargs.setdefault("reserved_attrs", [*_RESERVED, "server_time"])
        super().__init__(*args, **kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 (logging's name)
        local = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(record.created))
        offset = time.strftime("%z", time.localtime(record.created))
        return f"{local}.{int(record.msecs):03d}{offset[:3]}:{offset[3:]}"

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class TextFormatter(logging.Formatter):
    """One readable line (LOG_FORMAT=text, for development), scrubbed the same way."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


_RESERVED = [
    "args", "asctime", "created", "exc_info", "exc_text", "filename", "funcName", "levelname",
    "levelno", "lineno", "module", "msecs", "message", "msg", "name", "pathname", "process",
    "processName", "relativeCreated", "stack_info", "thread", "threadName", "taskName",
]
