"""The participation rule: which participations (参建单位 rows) are the user's own.

An enterprise account acts for every participation of its enterprise (matched by
credit code, so an enterprise certified after the project was created sees it at
once); a project account only for those of its own project. Nobody else has any.
Every project-scoped model builds its `visible_to` from this rule and from
`labour.core.visibility.jurisdiction`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from labour.core.visibility import NOTHING, is_signed_in

if TYPE_CHECKING:
    from labour.core.visibility import Actor


def participation(user: Actor, path: str = "") -> Q:
    """Participant rows (reached through `path`, e.g. "participants") that are the
    user's own participations."""
    if not is_signed_in(user) or user.enterprise is None:
        return NOTHING
    prefix = f"{path}__" if path else ""
    if user.is_enterprise:
        scope = Q()
    elif user.is_project_account:
        scope = Q(**{f"{prefix}project_id": user.project_id})
    else:
        return NOTHING
    return scope & Q(**{f"{prefix}credit_code": user.enterprise.credit_code})
