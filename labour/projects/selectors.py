"""Reads of projects, through the visibility layer (Project.objects.visible_to)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from labour.core.search import text_search
from labour.core.visibility import jurisdiction
from labour.reviews.queue import DEFAULT_VIEW, filter_queue

from .choices import ParticipantRole
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


def projects_for_authority(user: Actor, query: str = "", *, status: str = "",
                           district: str = "") -> QuerySet[Project]:
    """「项目管理」: the projects of the reviewer's jurisdiction, searchable by name,
    code, participant name or credit code, filtered by information status and district."""
    qs = Project.objects.visible_to(user)
    if status:
        qs = qs.filter(info_status=status)
    if district:
        qs = qs.filter(region_code=district)
    condition = text_search(query, names=["name"], codes=["code"])
    if condition is not None:
        units = text_search(query, names=["unit_name"], codes=["credit_code"])
        assert units is not None
        qs = qs.filter(condition | Q(pk__in=Participant.objects.filter(units).values("project_id")))
    return qs.prefetch_related("participants").order_by("-created_at", "-id")


def info_review_queue(user: Actor,
                      view: dict[str, Any] | None = None) -> QuerySet[ProjectInfoSubmission]:
    """「项目信息审核」: the submissions of the jurisdiction's project information — by
    default the pending ones, oldest first; `view` picks the tab, dates, order, district."""
    view = view or DEFAULT_VIEW
    qs = ProjectInfoSubmission.objects.filter(
        project__in=Project.objects.visible_to(user).filter(jurisdiction(user)))
    condition = text_search(view.get("q") or "", names=["project__name"], exact=["project__code"])
    if condition is not None:
        qs = qs.filter(condition)
    # the column 施工总承包 (a project has one): a subquery of the page's rows
    contractor = Participant.objects.filter(
        project=OuterRef("project"), role=ParticipantRole.GENERAL_CONTRACTOR).order_by("id")
    qs = qs.select_related("project").annotate(
        general_contractor=Subquery(contractor.values("unit_name")[:1]))
    return filter_queue(qs, view, region="project__region_code")


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


def home_projects(user: Actor) -> dict[str, Any]:
    """The home page's projects: an enterprise's latest ten, a project account's own."""
    rows = list(my_project_rows(user)[:10])
    return {"projects": rows, "more": participations_of(user).count() > len(rows)}
