"""Two payments of two teams' October sheets of one project at once: both succeed and
October's facts count both (PostgreSQL: the refresh of a project-month waits for the
other's commit, then reads it; without that lock the second insert of the month's
rows would collide with the first's uncommitted ones, or miss its lines)."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from labour.arrears import facts
from labour.arrears.models import ProjectMonth
from labour.factories import (
    AttachmentFactory,
    ParticipantFactory,
    ProjectWorkerFactory,
    TeamFactory,
    WageCardFactory,
    WageLineFactory,
    WageSheetFactory,
    WorkerEventFactory,
)
from labour.payroll import services as payroll
from labour.projects.choices import ParticipantRole
from labour.testing import race

from .test_facts import snapshot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("november_20th")]
OCT = date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the refresh lock is PostgreSQL's: set DATABASE_URL=postgres://…")


def test_two_payments_of_one_project_month_at_once_are_both_counted(world, monkeypatch):
    project = world["project"]
    other_unit = ParticipantFactory(project=project, role=ParticipantRole.LABOUR_SUBCONTRACTOR)
    other_team = TeamFactory(participant=other_unit, project=project, name="钢筋班")
    mason = ProjectWorkerFactory(participant=other_unit, project=project, team=other_team)
    WorkerEventFactory(worker=mason, kind="1", date=date(2026, 9, 1))
    WageCardFactory(worker=mason)
    WageCardFactory(worker=world["people"]["part"])
    sheets = []
    for team, workers in ((world["team"], [world["people"]["whole"], world["people"]["part"]]),
                          (other_team, [mason])):
        sheet = WageSheetFactory(team=team, month=OCT, status="confirmed")
        for worker in workers:
            WageLineFactory(sheet=sheet, worker=worker, gross_total=Decimal("6000"))
        sheets.append(sheet)
    facts.rebuild()
    original = facts._lock

    def slow_lock(project_id, month):  # both payments reach the refresh together
        original(project_id, month)
        time.sleep(0.3)

    monkeypatch.setattr(facts, "_lock", slow_lock)

    def pay(sheet):
        return lambda: payroll.record_payment(
            actor=world["gc"], number=sheet.number, paid_on=date(2026, 11, 10),
            batch_number=f"PC{sheet.pk}", receipt=AttachmentFactory(),
            outcomes={line.pk: None for line in sheet.lines.all()})

    outcomes = race(pay(sheets[0]), pay(sheets[1]))
    assert [error for _, error in outcomes] == [None, None], outcomes
    october = ProjectMonth.objects.get(project=project, month=OCT)
    assert (october.on_site, october.paid_workers, october.paid) == (3, 3, Decimal("18000.00"))
    incremental = snapshot()
    facts.rebuild()
    assert snapshot() == incremental
