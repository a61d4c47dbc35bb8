from django.db.models import QuerySet

from .choices import SmsTemplate
from .models import SmsMessage
from .services import SECRET_PARAMS, render_sms


def outbox(limit: int = 200) -> QuerySet[SmsMessage]:
    """The newest messages of the outbox (the development SMS page)."""
    return SmsMessage.objects.order_by("-created_at", "-id")[:limit]


def inbox(phone: str) -> QuerySet[SmsMessage]:
    """「消息」: what the platform sent to an account administrator's phone, newest
    first — never the verification codes."""
    if not phone:
        return SmsMessage.objects.none()
    return (SmsMessage.objects.filter(phone=phone).exclude(template=SmsTemplate.VERIFY_CODE)
            .order_by("-created_at", "-id"))


def shown_text(message: SmsMessage) -> str:
    """The message as the inbox shows it: passwords and codes hidden."""
    params = {key: ("******" if key in SECRET_PARAMS else value)
              for key, value in message.params.items()}
    try:
        return render_sms(message.template, params)
    except (KeyError, ValueError):
        return "（消息内容不可用）"
