"""「操作日志」: the audit log a user may read (AuditEvent.objects.visible_to)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent

if TYPE_CHECKING:
    from labour.core.visibility import Actor


def log_for(user: Actor, *, object_ref: str = "", actor: str = "", action: str = "",
            since: date | None = None, until: date | None = None) -> QuerySet[AuditEvent]:
    """The events `user` may read, newest first, filtered by object (its id or number),
    actor (login name), action and a date range (inclusive, China time)."""
    qs = AuditEvent.objects.visible_to(user)
    if object_ref:
        qs = qs.filter(object_id=object_ref.strip())
    if actor:
        qs = qs.filter(actor_label=actor.strip())
    if action:
        qs = qs.filter(action=action)
    if since:
        qs = qs.filter(at__gte=_start_of(since))
    if until:
        qs = qs.filter(at__lt=_start_of(until + timedelta(days=1)))
    return qs.order_by("-at", "-id")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))

