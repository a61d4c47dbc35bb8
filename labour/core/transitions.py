"""Status machines as data. Each status enum has its `Flow` beside it (in the app's
choices.py); every status change goes through `advance()`, which checks the flow,
saves with update_fields and returns the old value for the audit.

    SUBMITTED → APPROVED | RETURNED        REVIEW_FLOW (labour.core.reviews)

Status changes happen only in services, on a row locked with select_for_update.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from .errors import ServiceError

_FLOWS: list[Flow] = []


class TransitionError(ServiceError):
    """The flow does not allow this change of status."""


class Flow:
    """The allowed transitions of one status enum: {from: (to, ...)}."""

    def __init__(self, status: type[models.TextChoices],
                 table: Mapping[str, Iterable[str]], *, name: str) -> None:
        self.status = status
        self.name = name
        self.table: dict[str, frozenset[str]] = {
            str(source): frozenset(str(t) for t in targets) for source, targets in table.items()}
        values = {str(v) for v in status.values}
        unknown = (set(self.table) | {t for ts in self.table.values() for t in ts}) - values
        if unknown:
            raise ValueError(f"{name}: unknown statuses {sorted(unknown)}")
        _FLOWS.append(self)

    def allows(self, old: str, new: str) -> bool:
        return new in self.table.get(str(old), frozenset())

    def label(self, value: str) -> str:
        return str(self.status(value).label)

    def pairs(self) -> list[tuple[str, str]]:
        """Every (old, new) pair of distinct statuses, allowed or not."""
        values = [str(v) for v in self.status.values]
        return [(a, b) for a in values for b in values if a != b]

    def __repr__(self) -> str:
        return f"<Flow {self.name}>"


def flows() -> list[Flow]:
    return list(_FLOWS)


def advance(obj: models.Model, new: str, *, flow: Flow, field: str = "status",
            refusal: str = "", **changes: Any) -> str:
    """Move `obj.<field>` to `new` if `flow` allows it, set `changes` too, save those
    fields only, and return the old status. Raises TransitionError (nothing saved)."""
    old = getattr(obj, field)
    if not flow.allows(old, new):
        raise TransitionError(refusal or f"当前状态为“{flow.label(old)}”，不能改为“{flow.label(new)}”")
    setattr(obj, field, new)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save(update_fields=[field, *changes])
    return str(old)
