"""Projects (项目): created by the authority with their first participants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from labour.audit.models import Action
from labour.audit.services import record
from labour.core.errors import ServiceError
from labour.core.numbers import next_number

from .choices import FIRST_ROLES, ParticipantRole
from .models import Participant, Project
from .permissions import can_create_project_in

if TYPE_CHECKING:
    from labour.accounts.models import User


@dataclass
class ProjectData:
    name: str
    region_code: str
    address: str
    category: str
    nature: str
    total_investment: Decimal
    floor_area: Decimal
    planned_start: date
    planned_end: date
    permit_no: str = ""


@dataclass
class UnitRef:
    unit_name: str
    credit_code: str


def _next_code(region_code: str, now: datetime) -> str:
    """XM + region + year + 5-digit sequence."""
    return next_number(Project, "code", f"XM{region_code}{timezone.localtime(now):%Y}")


def create_project(*, actor: User, data: ProjectData, first_participants: dict[str, UnitRef],
                   ip: str | None = None) -> Project:
    """「新建项目」: only in the authority's jurisdiction; the general contractor,
    owner and supervisor are bound to it at once (seed 2.8)."""
    if not can_create_project_in(actor, data.region_code):
        raise ServiceError("所属区域不在本部门管辖范围内", field="region_code")
    if data.planned_end < data.planned_start:
        raise ServiceError("计划竣工日期不能早于计划开工日期", field="planned_end")
    missing = [ParticipantRole(r).label for r in FIRST_ROLES if r not in first_participants]
    if missing:
        raise ServiceError(f"请填写{'、'.join(missing)}")
    now = timezone.now()
    for _ in range(5):
        try:
            with transaction.atomic():
                project = Project.objects.create(code=_next_code(data.region_code, now),
                                                 created_by=actor, **data.__dict__)
                Participant.objects.bulk_create([
                    Participant(project=project, role=role, unit_name=unit.unit_name,
                                credit_code=unit.credit_code, added_by=actor)
                    for role, unit in first_participants.items()
                ])
                record(action=Action.PROJECT_CREATED, actor=actor, ip=ip, obj=project,
                       code=project.code, participants={
                           role: unit.credit_code for role, unit in first_participants.items()})
                return project
        except IntegrityError:
            continue  # a concurrent project took the same code
    raise ServiceError("系统繁忙，请稍后再试")
