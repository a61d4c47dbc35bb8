from celery import shared_task
from django.conf import settings

from .choices import SmsStatus


@shared_task(acks_late=True)
def deliver_sms(message_id):
    from .models import SmsMessage
    from .services import deliver, retry_delay

    status = deliver(message_id)
    if status == SmsStatus.RETRY and not settings.CELERY_TASK_ALWAYS_EAGER:
        attempts = SmsMessage.objects.filter(pk=message_id).values_list("attempts", flat=True)
        deliver_sms.apply_async((message_id,), countdown=retry_delay(attempts.first() or 1))
    return status


@shared_task
def dispatch_due_sms():
    """Periodic safety net: sends every queued or retrying message that is due,
    so that a message whose task was lost is still sent."""
    from .services import deliver, due_messages

    return [deliver(pk) for pk in list(due_messages()[:500])]
