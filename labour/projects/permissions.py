"""Who may act on a project, beside what they may see (selectors.access_project)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from labour.core.visibility import in_jurisdiction

from .choices import ParticipantRole
from .selectors import roles_in

if TYPE_CHECKING:
    from labour.core.visibility import Actor

    from .models import Project


def is_general_contractor(user: Actor, project: Project) -> bool:
    """项目信息完善 and, later, 确认/退回 of wage sheets: the general contractor's
    enterprise account or its project account of this project."""
    return ParticipantRole.GENERAL_CONTRACTOR in roles_in(user, project)


def can_review_information(user: Actor, project: Project) -> bool:
    """项目信息审核: the authority of the project's region."""
    return in_jurisdiction(user, project.region_code)


def can_create_project_in(user: Actor, region_code: str) -> bool:
    """新建项目: an authority, in its own jurisdiction only."""
    return in_jurisdiction(user, region_code)
