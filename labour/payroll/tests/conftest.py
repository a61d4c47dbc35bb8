"""The payroll tests' world: a project (its information approved) with a general
contractor and a labour subcontractor whose team 木工班 has workers in and out around
October 2026. `november_20th` stops the clock on 2026-11-20."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from labour.factories import (
    EnterpriseAccountFactory,
    EnterpriseFactory,
    ParticipantFactory,
    ProjectAccountFactory,
    ProjectFactory,
    ProjectInformationFactory,
    ProjectWorkerFactory,
    TeamFactory,
    WageCardFactory,
    WorkerEventFactory,
)
from labour.projects.choices import InfoStatus, ParticipantRole


@pytest.fixture
def november_20th():
    """Today is 2026-11-20 (10:00, the clock stopped)."""
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 20, 10, 0)),
                             tick=False):
        yield


@pytest.fixture
def world():
    gc_unit, labour_unit = EnterpriseFactory(name="总包公司"), EnterpriseFactory(name="劳务公司")
    project = ProjectFactory(info_status=InfoStatus.APPROVED,
                             units={"general_contractor": gc_unit})
    ProjectInformationFactory(project=project)
    sub = ParticipantFactory(project=project, enterprise=labour_unit,
                             role=ParticipantRole.LABOUR_SUBCONTRACTOR)
    team = TeamFactory(participant=sub, project=project, name="木工班")
    people = {}
    for key, events in {
        "whole": [("1", date(2026, 9, 1))],                            # 在场 all October
        "part": [("1", date(2026, 10, 10)), ("0", date(2026, 10, 20))],  # in and out in October
        "later": [("1", date(2026, 11, 2))],                           # came in November
        "gone": [("1", date(2026, 8, 1)), ("0", date(2026, 9, 30))],   # left before October
    }.items():
        worker = ProjectWorkerFactory(participant=sub, project=project, team=team)
        for kind, day in events:
            WorkerEventFactory(worker=worker, kind=kind, date=day)
        people[key] = worker
    WageCardFactory(worker=people["whole"])
    return {
        "project": project, "team": team, "people": people,
        "labour": EnterpriseAccountFactory(enterprise=labour_unit),
        "labour_project": ProjectAccountFactory(enterprise=labour_unit, project=project),
        "gc": EnterpriseAccountFactory(enterprise=gc_unit),
        "gc_project": ProjectAccountFactory(enterprise=gc_unit, project=project),
    }


