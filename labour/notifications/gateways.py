"""SMS gateways: one interface, two backends (settings.SMS_BACKEND)."""

import json
import logging
import sys

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("labour.sms")


class SmsError(Exception):
    """The gateway could not send the message; it will be retried."""


SECRET_PARAMS = ("code", "password")


def without_secrets(text, message):
    """An error text of the provider or its SDK (which may echo the request) with the
    message's code and password masked: it is kept in the outbox, the audit log and
    the logs."""
    for key in SECRET_PARAMS:
        value = (message.params or {}).get(key)
        if value:
            text = text.replace(str(value), "******")
    return text


class SmsGateway:
    name = "base"

    def send(self, message):
        """Send one SmsMessage; return the provider's id or raise SmsError."""
        raise NotImplementedError


class OutboxGateway(SmsGateway):
    """Development and test backend: the outbox row is the message; print it."""

    name = "outbox"

    def send(self, message):
        sys.stdout.write(f"[短信] {message.phone}: {message.text}\n")
        sys.stdout.flush()
        return f"outbox-{message.pk}"


class AliyunGateway(SmsGateway):
    """Aliyun SMS through its official SDK (alibabacloud_dysmsapi20170525)."""

    name = "aliyun"

    def __init__(self, config=None):
        self.config = config or settings.ALIYUN_SMS

    def _client(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as open_api_models

        cfg = open_api_models.Config(
            access_key_id=self.config["ACCESS_KEY_ID"],
            access_key_secret=self.config["ACCESS_KEY_SECRET"],
        )
        cfg.endpoint = self.config["ENDPOINT"]
        # a gateway that hangs must not hold a worker: give up and retry later
        timeout_ms = int(settings.SMS_GATEWAY_TIMEOUT_SECONDS * 1000)
        cfg.connect_timeout = timeout_ms
        cfg.read_timeout = timeout_ms
        return Client(cfg)

    def build_request(self, message):
        from alibabacloud_dysmsapi20170525 import models as sms_models

        template_code = self.config["TEMPLATES"].get(message.template)
        if not template_code:
            raise SmsError(f"未配置阿里云短信模板：{message.template}")
        return sms_models.SendSmsRequest(
            phone_numbers=message.phone,
            sign_name=self.config["SIGN_NAME"],
            template_code=template_code,
            template_param=json.dumps(message.params, ensure_ascii=False),
        )

    def send(self, message):
        request = self.build_request(message)
        try:
            response = self._client().send_sms(request)
        except Exception as exc:  # network errors, throttling, SDK errors
            # not chained: the SDK's exception may carry the request with the code
            raise SmsError(without_secrets(f"{type(exc).__name__}: {exc}", message)) from None
        body = response.body
        if getattr(body, "code", None) != "OK":
            raise SmsError(without_secrets(
                f"{getattr(body, 'code', '')}: {getattr(body, 'message', '')}", message))
        return body.biz_id or ""


BACKENDS = {
    "outbox": "labour.notifications.gateways.OutboxGateway",
    "aliyun": "labour.notifications.gateways.AliyunGateway",
}


def get_gateway():
    return import_string(BACKENDS.get(settings.SMS_BACKEND, settings.SMS_BACKEND))()
