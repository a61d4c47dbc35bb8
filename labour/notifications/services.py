"""SMS outbox and verification codes."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from labour.audit.models import Action
from labour.audit.services import record
from labour.core import ratelimit
from labour.core.errors import ServiceError
from labour.core.masking import mask_phone
from labour.core.transitions import advance

from .choices import SMS_FLOW, TEMPLATE_TEXT, CodePurpose, SmsStatus, SmsTemplate
from .gateways import SmsError, get_gateway
from .models import SmsMessage, VerificationCode

logger = logging.getLogger("labour.sms")


# ---------------------------------------------------------------- outbox

def render_sms(template: str, params: dict[str, Any]) -> str:
    return settings.SMS_SIGNATURE + TEMPLATE_TEXT[SmsTemplate(template)].format(**params)


def queue_sms(*, phone: str, template: str, params: dict[str, Any]) -> SmsMessage:
    """Store the message and send it after the surrounding transaction commits."""
    message = SmsMessage.objects.create(
        phone=phone, template=template, params=params, text=render_sms(template, params),
        next_attempt_at=timezone.now(),
    )
    record(actor=None, action=Action.SMS_QUEUED, obj=message, template=template, phone=_masked(phone))

    transaction.on_commit(lambda: _hand_over(message.pk))
    return message


def _hand_over(message_id: int) -> None:
    """After commit: to a Celery worker when there is a broker; without one, the
    outbox (no network) delivers at once and a real gateway in a thread of its own —
    a gateway call never runs inside the web request. A message not handed over is
    sent by dispatch_due_sms (beat, or `manage.py sms_dispatch`)."""
    from .tasks import deliver_sms

    if not settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            deliver_sms.apply_async((message_id,), retry=False)
        except Exception:  # broker down: dispatch_due_sms picks the row up later
            logger.exception("could not enqueue SMS %s", message_id)
    elif settings.SMS_BACKEND == "outbox":
        deliver(message_id)
    else:
        threading.Thread(target=_deliver_in_background, args=(message_id,), daemon=True,
                         name=f"sms-{message_id}").start()


def _deliver_in_background(message_id: int) -> None:
    from django.db import connection

    try:
        deliver(message_id)
    except Exception:  # the row stays due: dispatch_due_sms tries again
        logger.exception("background delivery of SMS %s failed", message_id)
    finally:
        connection.close()


def retry_delay(attempts: int) -> int:
    return settings.SMS_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))


def deliver(message_id: int) -> str | None:
    """One delivery attempt. Returns the message's new status."""
    with transaction.atomic():
        message = (SmsMessage.objects.select_for_update()
                   .filter(pk=message_id).first())
        if message is None or message.status in (SmsStatus.SENT, SmsStatus.FAILED):
            return message.status if message else None
        attempts = message.attempts + 1
        try:
            provider_id = get_gateway().send(message) or ""
        except SmsError as exc:
            error = str(exc)[:2000]
            if attempts >= settings.SMS_MAX_ATTEMPTS:
                if settings.SMS_BACKEND != "outbox":
                    _redact(message)  # never sent again: nothing left to keep it for
                advance(message, SmsStatus.FAILED, flow=SMS_FLOW, attempts=attempts,
                        last_error=error, next_attempt_at=None, text=message.text,
                        params=message.params)
                record(actor=None, action=Action.SMS_FAILED, obj=message, error=error)
            else:
                advance(message, SmsStatus.RETRY, flow=SMS_FLOW, attempts=attempts,
                        last_error=error, next_attempt_at=timezone.now() + timedelta(
                            seconds=retry_delay(attempts)))
        else:
            if settings.SMS_BACKEND != "outbox":
                _redact(message)
            advance(message, SmsStatus.SENT, flow=SMS_FLOW, attempts=attempts,
                    provider_id=provider_id, sent_at=timezone.now(), next_attempt_at=None,
                    last_error="", text=message.text, params=message.params)
            record(actor=None, action=Action.SMS_SENT, obj=message, template=message.template,
                   phone=_masked(message.phone))
        return message.status


SECRET_PARAMS = ("code", "password")


def _redact(message: SmsMessage) -> None:
    """Once a real gateway has it, the outbox keeps no code or password."""
    for key in SECRET_PARAMS:
        if key in message.params:
            message.text = message.text.replace(str(message.params[key]), "******")
            message.params[key] = "******"


def due_messages(now: datetime | None = None) -> QuerySet[SmsMessage, int]:
    now = now or timezone.now()
    return SmsMessage.objects.filter(
        status__in=[SmsStatus.QUEUED, SmsStatus.RETRY], next_attempt_at__lte=now
    ).order_by("next_attempt_at").values_list("pk", flat=True)


def _masked(phone: str) -> str:
    return mask_phone(phone)


# ---------------------------------------------------------------- verification codes

def _hash(phone: str, purpose: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def _cooldown_key(phone: str, purpose: str) -> str:
    return f"code-cooldown:{purpose}:{phone}"


def send_code(*, phone: str, purpose: str, ip: str | None = None,
              deliver_to_phone: bool = True) -> int:
    """Create and send a 6-digit code. `deliver_to_phone=False` applies every limit
    and answers the same, but sends nothing (used when revealing that an account
    does not match would leak information)."""
    from django.core.cache import cache

    purpose = CodePurpose(purpose)
    ttl = settings.VERIFY_CODE_TTL_SECONDS
    cooldown = settings.VERIFY_CODE_RESEND_SECONDS
    if not cache.add(_cooldown_key(phone, purpose), 1, timeout=cooldown):
        raise ServiceError(f"验证码已发送，请{cooldown}秒后再重新获取", field="code")
    refusal = None
    if ip and not ratelimit.hit(f"code-ip:{ip}", settings.VERIFY_CODE_IP_HOURLY_LIMIT, 3600):
        refusal = ("ip", "获取验证码过于频繁，请稍后再试")
    elif not ratelimit.hit(f"code-phone:{phone}", settings.VERIFY_CODE_PHONE_DAILY_LIMIT, 86400):
        refusal = ("phone", "该手机号今日获取验证码次数已达上限，请明天再试")
    if refusal:
        cache.delete(_cooldown_key(phone, purpose))
        record(actor=None, action=Action.CODE_REFUSED, ip=ip, reason=refusal[0], phone=_masked(phone))
        raise ServiceError(refusal[1], field="code")
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    with transaction.atomic():
        VerificationCode.objects.filter(
            phone=phone, purpose=purpose, used_at__isnull=True, burned=False
        ).update(burned=True)
        vc = VerificationCode.objects.create(
            phone=phone, purpose=purpose, code_hash=_hash(phone, purpose, code),
            created_at=now, expires_at=now + timedelta(seconds=ttl), ip=ip,
        )
        # an undelivered code still exists, so that checking it answers exactly
        # as for a delivered one; nobody can know it
        if deliver_to_phone:
            queue_sms(phone=phone, template=SmsTemplate.VERIFY_CODE,
                      params={"code": code, "purpose": purpose.label, "minutes": ttl // 60})
        record(actor=None, action=Action.CODE_SENT, ip=ip, obj=vc, purpose=purpose.value,
               phone=_masked(phone), delivered=deliver_to_phone)
    return cooldown


def _current_code(phone: str, purpose: str, lock: bool = False) -> VerificationCode | None:
    qs = VerificationCode.objects.filter(
        phone=phone, purpose=purpose, used_at__isnull=True, burned=False
    ).order_by("-created_at", "-id")
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def check_code(*, phone: str, purpose: str, code: str, ip: str | None = None) -> VerificationCode:
    """Check a code without using it. A wrong code counts one try (committed at
    once); the fifth wrong try burns the code. Full-width digits (１２３４５６, typed
    with a Chinese input method) are the same digits."""
    code = unicodedata.normalize("NFKC", code or "").strip()
    with transaction.atomic():
        vc = _current_code(phone, purpose, lock=True)
        if vc is None:
            raise ServiceError("请先获取验证码", field="code")
        if vc.expires_at <= timezone.now():
            raise ServiceError("验证码已过期，请重新获取", field="code")
        if hmac.compare_digest(vc.code_hash, _hash(phone, purpose, code)):
            return vc
        vc.tries += 1
        left = settings.VERIFY_CODE_MAX_TRIES - vc.tries
        if left <= 0:
            vc.burned = True
        vc.save(update_fields=["tries", "burned"])
        record(actor=None, action=Action.CODE_WRONG, ip=ip, obj=vc, purpose=purpose,
               phone=_masked(phone))
    if left <= 0:
        raise ServiceError("验证码错误次数过多，已失效，请重新获取", field="code")
    raise ServiceError(f"验证码错误，请重新输入（还可尝试{left}次）", field="code")


def use_code(*, phone: str, purpose: str, code: str, ip: str | None = None) -> VerificationCode:
    """Check and use up a code. Call inside the caller's transaction, after
    check_code succeeded outside it, so that wrong tries are never rolled back."""
    vc = check_code(phone=phone, purpose=purpose, code=code, ip=ip)
    updated = VerificationCode.objects.filter(pk=vc.pk, used_at__isnull=True).update(
        used_at=timezone.now())
    if not updated:  # used by a concurrent request
        raise ServiceError("验证码已使用，请重新获取", field="code")
    return vc
