"""Hand-built months: sheets and lines written directly (factories), facts rebuilt."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from labour.arrears.facts import rebuild
from labour.arrears.models import ProjectMonth
from labour.factories import (
    PaymentFactory,
    ProjectWorkerFactory,
    WageLineFactory,
    WageSheetFactory,
    WorkerEventFactory,
)

OCT = date(2026, 10, 1)
NOV = date(2026, 11, 1)


def sheet(world, month=OCT, status="paid", team=None):
    return WageSheetFactory(team=team or world["team"], month=month, status=status)


def line(sheet, worker, net, paid_on=None, back_pay_month=None, failed=False):
    """A line of `net` 元 (paid on `paid_on`, else unpaid or failed)."""
    options = {}
    if paid_on:
        options = {"pay_status": "paid", "paid_on": paid_on,
                   "payment": PaymentFactory(sheet=sheet, paid_on=paid_on)}
    elif failed:
        options = {"pay_status": "failed", "failure_reason": "户名不符"}
    return WageLineFactory(sheet=sheet, worker=worker, gross_total=Decimal(net),
                           is_back_pay=back_pay_month is not None, back_pay_month=back_pay_month,
                           **options)


def extra_workers(world, n, entered=date(2026, 9, 1)):
    team = world["team"]
    workers = []
    for _ in range(n):
        worker = ProjectWorkerFactory(participant=team.participant, project=team.project, team=team)
        WorkerEventFactory(worker=worker, kind="1", date=entered)
        workers.append(worker)
    return workers


def facts(world, month=OCT):
    rebuild()
    return ProjectMonth.objects.get(project=world["project"], month=month)
