"""Logs (issue 10 §2): a 500 leaves its traceback, one JSON object per line with the
request id and user id, and no phone, ID number, code or password in any line."""

import io
import json
import logging
import re

import pytest
from django.test import Client
from django.urls import path

from labour.core.logging import JsonFormatter, RequestContextFilter, scrub
from labour.notifications import gateways, services
from labour.notifications.choices import SmsStatus
from labour.notifications.models import SmsMessage

pytestmark = pytest.mark.django_db


def _fails_with_personal_data(request):
    request.user  # noqa: B018 (a view that looked at the user)
    raise ValueError('duplicate key (admin_phone)=(13812345678) id 410102199001011234 '
                     '{"code": "654321", "password": "Pw123456"}')


urlpatterns = [path("fails/", _fails_with_personal_data)]
handler500 = "labour.core.error_views.server_error"


@pytest.fixture
def log_lines():
    """What the configured handler writes: the root logger's formatter and filter on a
    buffer, every level."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    old = {name: logging.getLogger(name).level for name in ("labour", "django", "celery")}
    for name in old:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield lambda: [line for line in buffer.getvalue().splitlines() if line]
    root.removeHandler(handler)
    for name, level in old.items():
        logging.getLogger(name).setLevel(level)


def test_the_configured_root_handler_writes_json():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    handler = logging.getLogger().handlers
    assert any(isinstance(h.formatter, JsonFormatter) for h in handler)


def test_a_500_leaves_its_traceback_with_request_and_user_id(settings, log_lines, authority):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(authority)
    response = client.get("/fails/", HTTP_X_REQUEST_ID="trace-abcdef123456")
    assert response.status_code == 500
    records = [json.loads(line) for line in log_lines()]  # every line is one JSON object
    error = next(r for r in records if r["logger"] == "django.request")
    assert error["level"] == "ERROR" and error["status_code"] == 500
    assert "Traceback" in error["exc_info"] and "ValueError" in error["exc_info"]
    assert error["request_id"] == "trace-abcdef123456" and error["user_id"] == authority.pk
    access = next(r for r in records if r["logger"] == "labour.access")
    assert access["status"] == 500 and access["path"] == "/fails/"
    text = "\n".join(log_lines())
    for secret in ("13812345678", "410102199001011234", "654321", "Pw123456"):
        assert secret not in text
    assert "138****5678" in text


@pytest.mark.parametrize(("raw", "hidden"), [
    ("phone 13812345678 sent", "13812345678"),
    ("+8613812345678", "13812345678"),
    ("ID 41010219900101123X ok", "41010219900101123X"),
    ("card 6222021234567890123", "6222021234567890123"),
    ("code=123456&purpose=x", "123456"),
    ('{"password": "Abc12345"}', "Abc12345"),
    ("您的验证码为987654，用于", "987654"),
    ("随机登录密码：Xy12ab34。", "Xy12ab34"),
    ("new_password=Secret99", "Secret99"),
])
def test_scrub_masks_personal_numbers_codes_and_passwords(raw, hidden):
    assert hidden not in scrub(raw)


def test_scrub_keeps_ordinary_values():
    line = "GET /certification/review/QY2026112900001/ 200 status_code=404 duration_ms=12.5"
    assert scrub(line) == line
    for access_line in ("POST /payroll/query/code/ 200", "GET /accounts/password/ 302"):
        assert scrub(access_line) == access_line  # a URL path naming "code" or "password" carries no value


def test_no_logger_carries_an_sms_code_or_password(log_lines, capsys,
                                                   django_capture_on_commit_callbacks):
    """The outbox backend prints the message on the developer's simulated phone
    (stdout, not a logger); no log line carries it."""
    with django_capture_on_commit_callbacks(execute=True):
        services.send_code(phone="13800000009", purpose="enterprise_cert", ip="127.0.0.1")
    message = SmsMessage.objects.get(phone="13800000009")
    code = re.search(r"验证码为(\d{6})", message.text).group(1)
    assert code in capsys.readouterr().out  # the simulated phone
    text = "\n".join(log_lines())
    assert code not in text and "13800000009" not in text


class _SdkFailure(gateways.AliyunGateway):
    """The SDK call raising an error that echoes the request (as SDK errors may)."""

    def _client(self):
        class Client:
            def send_sms(self, request):
                raise RuntimeError(f"throttled: {request.template_param}")
        return Client()


def test_after_a_real_gateway_the_outbox_keeps_no_code_or_password(settings, monkeypatch):
    settings.SMS_BACKEND = "failing-aliyun"
    settings.SMS_MAX_ATTEMPTS = 2
    settings.ALIYUN_SMS = {**settings.ALIYUN_SMS, "TEMPLATES": {"enterprise_approved": "SMS_2"}}
    monkeypatch.setitem(gateways.BACKENDS, "failing-aliyun", f"{__name__}._SdkFailure")
    message = services.queue_sms(phone="13800000008", template="enterprise_approved",
                                 params={"name": "某公司", "username": "U", "password": "Pw765432"})
    assert services.deliver(message.pk) == SmsStatus.RETRY
    message.refresh_from_db()
    assert "Pw765432" not in message.last_error and "******" in message.last_error
    assert "Pw765432" in message.text  # still to be sent
    assert services.deliver(message.pk) == SmsStatus.FAILED  # gave up: nothing to keep
    message.refresh_from_db()
    assert "Pw765432" not in message.text and message.params["password"] == "******"
    from labour.audit.models import AuditEvent

    assert "Pw765432" not in json.dumps([e.detail for e in AuditEvent.objects.all()],
                                        ensure_ascii=False)
