"""Writing the audit log. Every service calls `record()` inside its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models

from labour.core.http import client_ip
from labour.core.masking import mask_detail
from labour.core.visibility import is_signed_in

from .models import AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from labour.core.visibility import Actor


@dataclass(frozen=True)
class Scope:
    """Whose log an event belongs to."""

    region_code: str = ""
    enterprise_id: int | None = None
    project_id: int | None = None


class Audited(Protocol):
    def audit_scope(self) -> Scope: ...


def scope_of(obj: Any) -> Scope:
    scope = getattr(obj, "audit_scope", None)
    return scope() if callable(scope) else Scope()


def _merge(*scopes: Scope) -> Scope:
    """The first scope that names each part wins."""
    region = next((s.region_code for s in scopes if s.region_code), "")
    enterprise = next((s.enterprise_id for s in scopes if s.enterprise_id), None)
    project = next((s.project_id for s in scopes if s.project_id), None)
    return Scope(region, enterprise, project)


def record(*, action: str, actor: Actor, request: HttpRequest | None = None,
           ip: str | None = None, obj: models.Model | None = None,
           changes: dict[str, list[Any]] | None = None, scope: Scope | None = None,
           object_type: str = "", object_id: str | int = "", **detail: Any) -> AuditEvent:
    """Append one audit event. `actor` is required (None for an anonymous applicant).
    The event's scope is `scope`, else the object's, completed by the actor's.
    Personal numbers in `detail` and `changes` are masked by their key."""
    user = actor if is_signed_in(actor) else None
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    where = _merge(scope or Scope(), scope_of(obj), scope_of(user))
    return AuditEvent.objects.create(
        action=action,
        actor=user,
        actor_label=(user.get_username() if user else ""),
        ip=ip or client_ip(request),
        object_type=object_type,
        object_id=str(object_id),
        detail=mask_detail(detail),
        changes=mask_detail(changes or {}),
        region_code=where.region_code,
        enterprise_id=where.enterprise_id,
        project_id=where.project_id,
    )


def model_update(obj: models.Model, data: dict[str, Any], *,
                 fields: tuple[str, ...] | list[str] | None = None) -> dict[str, list[Any]]:
    """Set the given fields of `obj` that differ, save only those (and its auto_now
    timestamps), and return the changes as {field: [old, new]} (JSON-ready) for
    `record(changes=...)`."""
    changes: dict[str, list[Any]] = {}
    for name in fields if fields is not None else data:
        if name not in data:
            continue
        old, new = getattr(obj, name), data[name]
        if old != new:
            setattr(obj, name, new)
            changes[name] = [_plain(old), _plain(new)]
    if changes:
        stamps = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
        obj.save(update_fields=[*changes, *stamps])
    return changes


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)
