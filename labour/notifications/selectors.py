from django.db.models import QuerySet

from .models import SmsMessage


def outbox(limit: int = 200) -> QuerySet[SmsMessage]:
    """The newest messages of the outbox (the development SMS page)."""
    return SmsMessage.objects.order_by("-created_at", "-id")[:limit]
