"""Reads of projects, through the visibility layer (Project.objects.visible_to)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from .choices import InfoStatus
from .models import Participant, Project, ProjectInformation, ProjectInfoSubmission
from .visibility import participation

if TYPE_CHECKING:
    from labour.core.visibility import Actor


def access_project(user: Actor, code: str, *, for_update: bool = False,
                   role: str | None = None) -> Project:
    """The project `code` if `user` may see it (its authority or a participant; with
    `role`, only a participant in that role), else PermissionDenied404."""
    qs = Project.objects.all() if role is None else Project.objects.where_role(user, role)
    return qs.access(user, code=code, for_update=for_update)


def projects_for_authority(user: Actor, query: str = "") -> QuerySet[Project]:
    """「项目管理」: the projects of the reviewer's jurisdiction, searchable by name,
    code, participant name or credit code."""
    qs = Project.objects.visible_to(user)
    query = (query or "").strip()
    if query:
        matching = Participant.objects.filter(
            Q(unit_name__icontains=query) | Q(credit_code__icontains=query.upper()))
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query.upper())
                       | Q(pk__in=matching.values("project_id")))
    return qs.prefetch_related("participants").order_by("-created_at", "-id")


def info_review_queue(user: Actor) -> QuerySet[Project]:
    """「项目信息审核」: submitted project information of the jurisdiction, oldest first."""
    return (Project.objects.visible_to(user).filter(info_status=InfoStatus.SUBMITTED)
            .order_by("created_at", "id"))


def participations_of(user: Actor) -> QuerySet[Participant]:
    """「我的项目」: the participations of the user's unit (a project account: only
    those of its project)."""
    return (Participant.objects.filter(participation(user)).select_related("project")
            .order_by("-project__created_at", "project_id", "id"))


# extra columns of 「我的项目」 rows that other apps add: fn(user) -> {name: expression}
RowAnnotation = Callable[["Actor"], dict[str, Any]]
_ROW_ANNOTATIONS: list[RowAnnotation] = []


def register_row_annotation(annotation: RowAnnotation) -> None:
    if annotation not in _ROW_ANNOTATIONS:
        _ROW_ANNOTATIONS.append(annotation)


def my_project_rows(user: Actor) -> QuerySet[Participant]:
    """「我的项目」 rows, with the columns other apps add (the project account), in one
    query."""
    qs = participations_of(user)
    for annotation in _ROW_ANNOTATIONS:
        qs = qs.annotate(**annotation(user))
    return qs


def roles_in(user: Actor, project: Project) -> list[str]:
    """The user's unit's roles in `project` (empty for anyone else)."""
    return list(Participant.objects.filter(participation(user), project=project)
                .values_list("role", flat=True))


def information_of(project: Project) -> ProjectInformation | None:
    """The project's information (the caller already holds the project)."""
    return (ProjectInformation.objects.filter(project=project)
            .select_related("notice_board_photo").first())


def submissions_of(project: Project) -> QuerySet[ProjectInfoSubmission]:
    """The project's 提交与审核记录, newest first (the caller holds the project)."""
    return project.info_submissions.select_related("reviewer", "submitted_by").order_by(
        "-submitted_at", "-id")
