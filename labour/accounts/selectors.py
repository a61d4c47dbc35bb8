from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from labour.core.roles import AccountKind

from .models import User

if TYPE_CHECKING:
    from labour.core.visibility import Actor


def project_accounts_of(user: Actor) -> QuerySet[User]:
    """「项目账号管理」: the project accounts of the enterprise account's enterprise."""
    return (User.objects.visible_to(user).filter(kind=AccountKind.PROJECT)
            .select_related("project", "project_application").order_by("-date_joined", "-id"))
