"""Reads of the roster, through the visibility layer (`visible_to` / `owned_by`).

Lists decrypt nothing themselves: a page decrypts the personal numbers of the rows
it shows (to mask them). Search by ID number compares keyed hashes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from labour.audit.models import Action, AuditEvent
from labour.core.errors import PermissionDenied404
from labour.core.visibility import is_signed_in
from labour.projects.models import Participant, Project
from labour.projects.selectors import access_project

from . import crypto
from .choices import EventKind, RosterStatus
from .models import (
    ImportJob,
    Person,
    ProjectWorker,
    Team,
    WorkerEvent,
    own_participations,
)
from .permissions import reads_whole_roster
from .rules import compact

if TYPE_CHECKING:
    from labour.core.visibility import Actor

ID_PURPOSE = "id_number"
PHONE_PURPOSE = "phone"
CARD_PURPOSE = "card_number"


def id_number_hash(number: str) -> str:
    return crypto.lookup_hash(number, purpose=ID_PURPOSE)


def access_roster_project(user: Actor, code: str) -> Project:
    """The project if the user may read some roster of it (its authority, its
    participants), else 404."""
    return access_project(user, code)


def roster_units(user: Actor, project: Project) -> QuerySet[Participant]:
    """The participants whose roster of `project` the user reads: all of them for the
    authority and the general contractor, else its own."""
    if reads_whole_roster(user, project):
        return project.participants.order_by("id")
    return own_participations(user).filter(project=project).order_by("id")


@dataclass
class RosterFilter:
    """人员管理 filters: 参建单位, 班组, 工种, 在场/已退场, 姓名 or full 证件号码."""

    unit: int | None = None
    team: int | None = None
    work_type: str = ""
    status: str = ""
    q: str = ""
    project: int | None = None  # 人员总览 only

    @classmethod
    def from_query(cls, query: Any) -> RosterFilter:
        def number(name: str) -> int | None:
            value = (query.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) < 18 else None

        status = query.get("status") or ""
        return cls(unit=number("unit"), team=number("team"), project=number("project"),
                   work_type=(query.get("work_type") or "").strip()[:3],
                   status=status if status in RosterStatus.values else "",
                   q=(query.get("q") or "").strip()[:50])


def _search(qs: QuerySet[ProjectWorker], q: str) -> QuerySet[ProjectWorker]:
    """By full ID number (compared as a keyed hash) or by name."""
    if not q:
        return qs
    number = compact(q)
    if len(number) >= 6 and any(c.isdigit() for c in number):
        return qs.filter(person__id_number_hmac=id_number_hash(number))
    return qs.filter(person__name__contains=q)


def _filtered(qs: QuerySet[ProjectWorker], f: RosterFilter) -> QuerySet[ProjectWorker]:
    if f.unit:
        qs = qs.filter(participant_id=f.unit)
    if f.team:
        qs = qs.filter(team_id=f.team)
    if f.work_type:
        qs = qs.filter(work_type=f.work_type)
    if f.status:
        qs = qs.filter(status=f.status)
    return _search(qs, f.q)


def _page_rows(qs: QuerySet[ProjectWorker]) -> QuerySet[ProjectWorker]:
    return qs.select_related("person", "team", "participant", "contract", "wage_card",
                             "project").order_by("-id")


def roster(user: Actor, project: Project, f: RosterFilter) -> QuerySet[ProjectWorker]:
    """人员管理: the project's roster rows the user may read, filtered, newest first."""
    qs = ProjectWorker.objects.visible_to(user).filter(project=project)
    return _page_rows(_filtered(qs, f))


def overview(user: Actor, f: RosterFilter) -> QuerySet[ProjectWorker]:
    """人员总览: every worker of the enterprise's own participations, across projects."""
    if not is_signed_in(user) or not user.is_enterprise:
        return ProjectWorker.objects.none()
    qs = ProjectWorker.objects.owned_by(user)
    if f.project:
        qs = qs.filter(project_id=f.project)
    return _page_rows(_filtered(qs, f))


def overview_projects(user: Actor) -> QuerySet[Participant]:
    """The enterprise's participations (for the 人员总览 project filter)."""
    return own_participations(user).select_related("project").order_by("-project__created_at", "id")


def teams(user: Actor, project: Project, *, unit: int | None = None) -> QuerySet[Team]:
    """班组管理: the teams of `project` the user may read, with their worker counts."""
    qs = Team.objects.visible_to(user).filter(project=project)
    if unit:
        qs = qs.filter(participant_id=unit)
    return (qs.select_related("participant", "leader__person")
            .annotate(worker_count=Count("workers", distinct=True),
                      on_site_count=Count("workers", filter=Q(workers__status=RosterStatus.ON_SITE),
                                          distinct=True))
            .order_by("participant_id", "name"))


def own_teams(user: Actor, participant: Participant) -> QuerySet[Team]:
    """The teams a worker of `participant` may join (its own, on its project)."""
    return Team.objects.owned_by(user).filter(participant=participant).order_by("name")


def access_team(user: Actor, project: Project, team_id: int, *, owned: bool = False,
                for_update: bool = False) -> Team:
    qs = Team.objects.owned_by(user) if owned else Team.objects.all()
    if not for_update:  # no lock on the nullable side of an outer join (PostgreSQL)
        qs = qs.select_related("participant", "project", "leader__person")
    return qs.access(user, pk=team_id, project=project, for_update=for_update)


def team_members(team: Team) -> QuerySet[ProjectWorker]:
    """The workers of a team the caller holds (for choosing its 班组长)."""
    return team.workers.select_related("person").order_by("person__name", "id")


def access_worker(user: Actor, project: Project, worker_id: int, *, owned: bool = False,
                  for_update: bool = False) -> ProjectWorker:
    """One roster row of `project` the user may read (with `owned`: edit), else 404."""
    qs = ProjectWorker.objects.owned_by(user) if owned else ProjectWorker.objects.all()
    if not for_update:  # no lock on the nullable side of an outer join (PostgreSQL)
        qs = qs.select_related("person", "team", "participant", "project", "contract", "wage_card")
    return qs.access(user, pk=worker_id, project=project, for_update=for_update)


def events_of(worker: ProjectWorker) -> QuerySet[WorkerEvent]:
    """进退场记录 of a worker the caller holds, oldest first."""
    return worker.events.select_related("voucher", "recorded_by").order_by("date", "id")


def last_event(worker: ProjectWorker) -> WorkerEvent | None:
    return worker.events.order_by("-date", "-id").first()


def history_of(user: Actor, worker: ProjectWorker) -> QuerySet[AuditEvent]:
    """The audit history of a worker the user may read (`worker` came from
    access_worker): the events about it, and the import that added it."""
    about = Q(object_type=ProjectWorker._meta.label, object_id=str(worker.pk))
    if worker.import_job_id:
        about |= Q(action=Action.ROSTER_IMPORTED, object_type=ImportJob._meta.label,
                   object_id=str(worker.import_job_id))
    return AuditEvent.objects.filter(about).select_related("actor").order_by("-at", "-id")


def person_by_id_number(id_type: str, number: str) -> Person | None:
    """The platform-wide person with this ID number (its keyed hash), or None.
    Only the services that add a worker call this (a person is one record
    platform-wide); a page shows nothing of it until the typed name matches."""
    return Person.objects.filter(id_type=id_type, id_number_hmac=id_number_hash(number)).first()


def roster_counts(user: Actor) -> QuerySet[Participant]:
    """人员管理 / 班组管理 landing of an enterprise account: its participations with
    their worker counts."""
    return (own_participations(user).select_related("project")
            .annotate(worker_count=Count("workers", distinct=True),
                      on_site_count=Count("workers", filter=Q(workers__status=RosterStatus.ON_SITE),
                                          distinct=True))
            .order_by("-project__created_at", "id"))


def jurisdiction_projects(user: Actor, query: str = "") -> QuerySet[Project]:
    """人员管理 landing of an authority: the projects of its jurisdiction."""
    qs = Project.objects.visible_to(user)
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(code__icontains=query))
    return qs.order_by("-created_at", "-id")


def import_jobs(user: Actor, project: Project, *, kind: str = "roster",
                target: str = "") -> QuerySet[ImportJob]:
    """The user's last imports of `kind` into `target` (blank: the roster)."""
    return ImportJob.objects.visible_to(user).filter(project=project, kind=kind,
                                                     target=target).order_by("-created_at")[:10]


def access_import(user: Actor, project: Project, job_id: UUID | str, *, kind: str = "roster",
                  target: str = "", for_update: bool = False) -> ImportJob:
    """One of the user's imports of `kind` into `target`, else 404."""
    try:
        return ImportJob.objects.select_related("participant", "project").access(
            user, pk=job_id, project=project, kind=kind, target=target, for_update=for_update)
    except (ValidationError, ValueError):
        raise PermissionDenied404 from None


def on_site_during(workers: QuerySet[ProjectWorker], first: dt.date,
                   last: dt.date) -> QuerySet[ProjectWorker]:
    """The workers of `workers` who were 在场 at any time from `first` to `last`
    (inclusive): already 在场 the day before `first` (their last event before it is a
    进场), or with a 进场 within the period. Read from the events, not from the
    current status: a worker who left since still counts for that month."""
    before = (WorkerEvent.objects.filter(worker=OuterRef("pk"), date__lt=first)
              .order_by("-date", "-id").values("kind")[:1])
    entered = WorkerEvent.objects.filter(worker=OuterRef("pk"), kind=EventKind.ENTRY,
                                         date__gte=first, date__lte=last)
    return (workers.annotate(kind_before=Subquery(before))
            .filter(Q(kind_before=EventKind.ENTRY) | Q(Exists(entered))))
