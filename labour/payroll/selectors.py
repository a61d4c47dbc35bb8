"""Reads of the wage sheets, through the visibility layer."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from labour.projects.models import Participant, Project
from labour.projects.selectors import access_project
from labour.workforce.models import ProjectWorker, Team
from labour.workforce.selectors import on_site_during

from .models import Payment, SheetSubmission, WageItem, WageLine, WageSheet
from .rules import days_in

if TYPE_CHECKING:
    from labour.core.visibility import Actor


def access_payroll_project(user: Actor, code: str) -> Project:
    """The project if the user may read some of its sheets (authority, participants)."""
    return access_project(user, code)


def sheets_of(user: Actor, project: Project) -> QuerySet[WageSheet]:
    """「工资核算」 of a project: the user's own sheets; every sheet for the general
    contractor and the authority."""
    return (WageSheet.objects.visible_to(user).filter(project=project)
            .select_related("team", "participant").order_by("-month", "team__name"))


def access_sheet(user: Actor, number: str, *, owned: bool = False,
                 for_update: bool = False) -> WageSheet:
    """One sheet the user may read (with `owned`: prepare), else 404."""
    qs = WageSheet.objects.owned_by(user) if owned else WageSheet.objects.all()
    if not for_update:
        qs = qs.select_related("project", "participant", "team", "signed_scan")
    return qs.access(user, number=number, for_update=for_update)


def lines_of(sheet: WageSheet) -> QuerySet[WageLine]:
    """The lines of a sheet the caller holds, with their worker, person, card and
    items (a constant number of queries however long the sheet)."""
    return (WageLine.objects.filter(sheet=sheet)
            .select_related("worker__person", "worker__wage_card")
            .prefetch_related(Prefetch("items", queryset=WageItem.objects.order_by("kind", "id")))
            .order_by("is_back_pay", "worker__person__name", "id"))


def submissions_of(sheet: WageSheet) -> QuerySet[SheetSubmission]:
    return sheet.submissions.select_related("submitted_by", "reviewer").order_by("-submitted_at",
                                                                                 "-id")


def payments_of(sheet: WageSheet) -> QuerySet[Payment]:
    return sheet.payments.select_related("receipt", "recorded_by").order_by("-recorded_at", "-id")


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    return month, month.replace(day=days_in(month))


def workers_on_site(team: Team, month: dt.date) -> QuerySet[ProjectWorker]:
    """The team's workers who were 在场 at any time in `month` (from their events)."""
    first, last = month_bounds(month)
    return on_site_during(ProjectWorker.objects.filter(team=team), first, last)


def team_workers(sheet: WageSheet) -> QuerySet[ProjectWorker]:
    """The workers of the sheet's team (a line or a 补发 line may be added for one who
    was 在场 in the month concerned: the service checks it)."""
    return ProjectWorker.objects.filter(team=sheet.team).select_related("person").order_by(
        "person__name", "id")


def own_teams_for_payroll(user: Actor, project: Project) -> QuerySet[Team]:
    """The teams whose sheets the user prepares on `project`."""
    return Team.objects.owned_by(user).filter(project=project).order_by("name")


def units_of(user: Actor, project: Project) -> QuerySet[Participant]:
    return project.participants.order_by("id")
