from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from labour.audit.models import Action, AuditEvent
from labour.core.errors import ServiceError
from labour.notifications import services
from labour.notifications.models import SmsMessage, VerificationCode
from labour.testing import latest_code

PHONE = "13800000001"
PURPOSE = "enterprise_cert"

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_cache(settings):
    """Frozen-time tests need a cache that follows the frozen clock (Redis keeps its
    own time), so they use local memory."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "codes-frozen"}}
    from django.core.cache import cache

    cache.clear()


def send(phone=PHONE, purpose=PURPOSE, ip="10.0.0.1"):
    return services.send_code(phone=phone, purpose=purpose, ip=ip)


def test_code_is_six_digits_hashed_and_sms_in_chinese_with_signature():
    assert send() == 60
    code = latest_code(PHONE)
    assert len(code) == 6 and code.isdigit()
    vc = VerificationCode.objects.get()
    assert code not in vc.code_hash and len(vc.code_hash) == 64
    text = SmsMessage.objects.get().text
    assert text.startswith("【郑州市建设劳务服务平台】") and "5分钟" in text
    assert AuditEvent.objects.filter(action=Action.CODE_SENT).count() == 1


def test_code_valid_five_minutes_then_expired():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        send()
        code = latest_code(PHONE)
        traveller.move_to(start + timedelta(minutes=4, seconds=59))
        services.check_code(phone=PHONE, purpose=PURPOSE, code=code)
        traveller.move_to(start + timedelta(minutes=5, seconds=1))
        with pytest.raises(ServiceError, match="已过期"):
            services.check_code(phone=PHONE, purpose=PURPOSE, code=code)


def test_code_single_use():
    send()
    code = latest_code(PHONE)
    services.use_code(phone=PHONE, purpose=PURPOSE, code=code)
    with pytest.raises(ServiceError, match="请先获取验证码"):
        services.use_code(phone=PHONE, purpose=PURPOSE, code=code)


def test_code_bound_to_phone_and_purpose():
    send()
    code = latest_code(PHONE)
    with pytest.raises(ServiceError):
        services.check_code(phone="13800000002", purpose=PURPOSE, code=code)
    with pytest.raises(ServiceError):
        services.check_code(phone=PHONE, purpose="progress", code=code)
    services.check_code(phone=PHONE, purpose=PURPOSE, code=code)


def test_five_wrong_tries_burn_the_code():
    send()
    code = latest_code(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(ServiceError, match=f"还可尝试{left}次"):
            services.check_code(phone=PHONE, purpose=PURPOSE, code=wrong)
    with pytest.raises(ServiceError, match="次数过多"):
        services.check_code(phone=PHONE, purpose=PURPOSE, code=wrong)
    # even the right code no longer works
    with pytest.raises(ServiceError):
        services.check_code(phone=PHONE, purpose=PURPOSE, code=code)
    assert AuditEvent.objects.filter(action=Action.CODE_WRONG).count() == 5


def test_resend_needs_sixty_seconds_and_replaces_the_old_code(local_cache):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        send()
        first = latest_code(PHONE)
        with pytest.raises(ServiceError, match="60秒"):
            send()
        traveller.move_to(start + timedelta(seconds=61))
        send()
        second = latest_code(PHONE)
    if first != second:
        with pytest.raises(ServiceError):
            services.check_code(phone=PHONE, purpose=PURPOSE, code=first)
    services.check_code(phone=PHONE, purpose=PURPOSE, code=second)


def test_at_most_ten_sends_per_phone_per_day(local_cache):
    start = timezone.now().replace(hour=2, minute=0)  # 10:00 in Zhengzhou
    with time_machine.travel(start, tick=False) as traveller:
        for i in range(10):
            traveller.move_to(start + timedelta(minutes=2 * i))
            send(ip=f"10.0.1.{i}")
        traveller.move_to(start + timedelta(minutes=30))
        with pytest.raises(ServiceError, match="今日"):
            send(ip="10.0.2.1")
        assert SmsMessage.objects.count() == 10
        traveller.move_to(start + timedelta(days=1))
        send(ip="10.0.2.2")
    assert SmsMessage.objects.count() == 11


def test_at_most_thirty_sends_per_ip_per_hour():
    ip = "10.9.9.9"
    for i in range(30):
        send(phone=f"1390000{i:04d}", ip=ip)
    with pytest.raises(ServiceError, match="频繁"):
        send(phone="13911112222", ip=ip)
    send(phone="13911112222", ip="10.9.9.8")
    assert AuditEvent.objects.filter(action=Action.CODE_REFUSED).count() == 1


def test_undelivered_code_answers_like_a_delivered_one():
    services.send_code(phone=PHONE, purpose="password_reset", ip="10.0.0.1",
                       deliver_to_phone=False)
    assert not SmsMessage.objects.exists()
    with pytest.raises(ServiceError, match="验证码错误"):
        services.check_code(phone=PHONE, purpose="password_reset", code="123456")


def test_full_width_digits_are_the_same_code():
    send()
    code = latest_code(PHONE)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code)  # １２３… typed with a Chinese IME
    assert services.check_code(phone=PHONE, purpose=PURPOSE, code=wide)
    assert VerificationCode.objects.get().tries == 0
