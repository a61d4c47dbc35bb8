import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from labour.audit.models import Action, AuditEvent
from labour.core import listcache
from labour.notifications import gateways, services
from labour.notifications.choices import SmsStatus
from labour.notifications.models import SmsMessage
from labour.notifications.tasks import deliver_sms, dispatch_due_sms

pytestmark = pytest.mark.django_db
PHONE = "13800000000"


def queue(**params):
    return services.queue_sms(phone=PHONE, template="enterprise_returned",
                              params={"name": "某公司", "number": "QY1", "reason": "不清晰",
                                      **params})


def test_queued_message_is_sent_after_commit(django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = queue()
        assert SmsMessage.objects.get().status == SmsStatus.QUEUED
    # the one delivery (beside them, the list cache's new versions of the tables written)
    assert len([c for c in callbacks if not isinstance(c, listcache._Changed)]) == 1
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and message.attempts == 1 and message.sent_at
    assert message.text.startswith("【郑州市建设劳务服务平台】")
    assert f"[短信] {PHONE}: 【郑州市建设劳务服务平台】" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action=Action.SMS_SENT).count() == 1


def test_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                queue()
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and not SmsMessage.objects.exists()


def test_sms_outbox_command_prints_the_newest_message(capsys):
    queue(reason="第一条")
    queue(reason="第二条\n换行")
    call_command("sms_outbox", "--phone", PHONE, "--last", "1")
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "第二条 换行" in out[0]
    call_command("sms_outbox", "--phone", PHONE, "--last", "2")
    out = capsys.readouterr().out.strip().splitlines()
    assert "第一条" in out[0] and "第二条" in out[1]
    call_command("sms_outbox", "--phone", "13900000000", "--last", "1")
    assert capsys.readouterr().out == ""


class FlakyGateway(gateways.SmsGateway):
    failures = 2
    calls = 0

    def send(self, message):
        FlakyGateway.calls += 1
        if FlakyGateway.calls <= FlakyGateway.failures:
            raise gateways.SmsError("网络超时")
        return "ok-1"


@pytest.fixture
def flaky(monkeypatch, settings):
    FlakyGateway.calls = 0
    monkeypatch.setitem(gateways.BACKENDS, "flaky", f"{__name__}.FlakyGateway")
    settings.SMS_BACKEND = "flaky"


def test_failed_sends_are_retried_with_back_off_and_never_lost(flaky):
    message = queue()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert deliver_sms(message.pk) == SmsStatus.RETRY
        message.refresh_from_db()
        assert message.attempts == 1 and message.last_error == "网络超时"
        assert message.next_attempt_at == start + timedelta(seconds=30)
        assert dispatch_due_sms() == []  # not due yet
        traveller.move_to(start + timedelta(seconds=31))
        assert dispatch_due_sms() == [SmsStatus.RETRY]
        message.refresh_from_db()
        assert message.next_attempt_at == start + timedelta(seconds=31 + 60)  # doubled
        traveller.move_to(start + timedelta(seconds=200))
        call_command("sms_dispatch")
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and message.attempts == 3
    assert message.provider_id == "ok-1" and message.last_error == ""


def test_gives_up_after_max_attempts_and_records_it(flaky, settings):
    settings.SMS_MAX_ATTEMPTS = 2
    FlakyGateway.failures = 99
    try:
        message = queue()
        deliver_sms(message.pk)
        services.deliver(message.pk)
        message.refresh_from_db()
        assert message.status == SmsStatus.FAILED and message.next_attempt_at is None
        assert AuditEvent.objects.filter(action=Action.SMS_FAILED).count() == 1
        assert services.deliver(message.pk) == SmsStatus.FAILED
        assert FlakyGateway.calls == 2
    finally:
        FlakyGateway.failures = 2


def test_a_sent_message_is_never_sent_twice():
    message = queue()
    assert services.deliver(message.pk) == SmsStatus.SENT
    assert services.deliver(message.pk) == SmsStatus.SENT
    assert SmsMessage.objects.get().attempts == 1


@override_settings(ALIYUN_SMS={
    "ACCESS_KEY_ID": "id", "ACCESS_KEY_SECRET": "secret", "ENDPOINT": "localhost",
    "SIGN_NAME": "郑州市建设劳务服务平台",
    "TEMPLATES": {"verify_code": "SMS_1", "enterprise_approved": "SMS_2",
                  "enterprise_returned": "SMS_3"},
})
def test_aliyun_request_uses_sign_template_and_params():
    message = services.queue_sms(phone=PHONE, template="enterprise_approved",
                                 params={"name": "某公司", "username": "U", "password": "Pw123456"})
    request = gateways.AliyunGateway().build_request(message)
    assert request.phone_numbers == PHONE
    assert request.sign_name == "郑州市建设劳务服务平台"
    assert request.template_code == "SMS_2"
    assert json.loads(request.template_param) == {"name": "某公司", "username": "U",
                                                  "password": "Pw123456"}


def test_aliyun_without_a_template_code_fails_cleanly(settings):
    settings.ALIYUN_SMS = {**settings.ALIYUN_SMS, "TEMPLATES": {}}
    message = queue()
    with pytest.raises(gateways.SmsError, match="未配置"):
        gateways.AliyunGateway().build_request(message)


def test_aliyun_network_failure_is_retried(settings):
    """The real SDK against an address where nothing listens: an SmsError, a retry."""
    settings.SMS_BACKEND = "aliyun"
    settings.ALIYUN_SMS = {
        "ACCESS_KEY_ID": "id", "ACCESS_KEY_SECRET": "secret", "ENDPOINT": "127.0.0.1:9",
        "SIGN_NAME": "郑州市建设劳务服务平台",
        "TEMPLATES": {"enterprise_returned": "SMS_3"},
    }
    message = queue()
    assert services.deliver(message.pk) == SmsStatus.RETRY
    message.refresh_from_db()
    assert message.last_error


def test_codes_and_passwords_are_redacted_once_a_real_gateway_sent_them(flaky):
    FlakyGateway.calls = FlakyGateway.failures  # next call succeeds
    message = services.queue_sms(phone=PHONE, template="enterprise_approved",
                                 params={"name": "某公司", "username": "U", "password": "Pw123456"})
    services.deliver(message.pk)
    message.refresh_from_db()
    assert "Pw123456" not in message.text and message.params["password"] == "******"


def test_dev_outbox_page_only_with_the_outbox_backend(client, settings):
    """The simulated phone of make run / make dev, whatever DEBUG says; never when SMS
    really go out."""
    queue()
    settings.DEBUG = False
    settings.SMS_BACKEND = "aliyun"
    assert client.get("/dev/sms/").status_code == 404
    settings.SMS_BACKEND = "outbox"
    response = client.get("/dev/sms/")
    assert response.status_code == 200 and "不清晰" in response.content.decode()


class HangingGateway(gateways.SmsGateway):
    """A gateway that takes its time (as a hanging network would until the timeout)."""

    seconds = 2.0

    def send(self, message):
        import time

        time.sleep(HangingGateway.seconds)
        return "late-1"


@pytest.mark.django_db(transaction=True)
def test_a_hanging_gateway_never_holds_the_web_request(client, monkeypatch, settings):
    """No broker (Celery inline): the outbox delivers at once, but a real gateway is
    called in a thread of its own, after the page has answered."""
    import time

    monkeypatch.setitem(gateways.BACKENDS, "hanging", f"{__name__}.HangingGateway")
    settings.SMS_BACKEND = "hanging"
    started = time.monotonic()
    response = client.post("/sms/code/", {"phone": "13912340000", "purpose": "progress"})
    answered = time.monotonic() - started
    assert response.json()["ok"] and answered < 1.0, answered
    message = SmsMessage.objects.get(phone="13912340000")
    assert message.status == SmsStatus.QUEUED
    deadline = time.monotonic() + 10
    while message.status == SmsStatus.QUEUED and time.monotonic() < deadline:
        time.sleep(0.1)
        message.refresh_from_db()
    assert message.status == SmsStatus.SENT and message.provider_id == "late-1"


def test_the_gateway_call_has_a_timeout(settings):
    settings.SMS_GATEWAY_TIMEOUT_SECONDS = 3
    client = gateways.AliyunGateway()._client()
    assert client._connect_timeout == 3000 and client._read_timeout == 3000
