"""The optional read replica (DATABASE_REPLICA_URL).

Every read and write goes to the primary ("default") unless the code asks for the
replica explicitly, inside `read_from_replica()`: the authority's reports and
exports, which may lag the primary by the replication delay. Pages that show what
the user has just changed (every form, queue and detail page) never use it. Writes
inside the block still go to the primary."""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db.models import Model

REPLICA = "replica"
PRIMARY = "default"

_use_replica = contextvars.ContextVar("use_replica", default=False)


def replica_alias() -> str:
    """The alias reports read from: the replica when one is configured, else the primary."""
    return REPLICA if REPLICA in settings.DATABASES else PRIMARY


@contextmanager
def read_from_replica() -> Iterator[str]:
    """Reads of the ORM inside this block go to the replica (when configured).

        with read_from_replica():
            rows = list(report_queryset())   # evaluate inside the block
    """
    token = _use_replica.set(True)
    try:
        yield replica_alias()
    finally:
        _use_replica.reset(token)


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry: the primary unless read_from_replica() is active."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return replica_alias() if _use_replica.get() else PRIMARY

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # same data on both

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None,
                      **hints: Any) -> bool:
        return db == PRIMARY  # the replica follows the primary's schema by replication
