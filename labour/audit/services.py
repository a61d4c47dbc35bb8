from labour.core.http import client_ip

from .models import AuditEvent


def record(*, action, actor=None, request=None, ip=None, obj=None, object_type="", object_id="",
           **detail):
    """Append one audit event. Call it inside the service's transaction."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=(actor.get_username() if actor else ""),
        ip=ip or client_ip(request),
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )
