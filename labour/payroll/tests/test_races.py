"""Races on PostgreSQL: the same click twice at once (or two people at once) leaves
one result. Each service locks the sheet row (SELECT … FOR UPDATE) before it looks
at the status, so the second call waits for the first to commit and then sees what
the first did. A sleep inside the transaction (in `record`, just before commit)
makes both calls overlap for sure; `test_without_the_sheet_lock_two_payments_…`
shows the harness catches a double payment when the lock is removed."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from labour.audit.models import Action, AuditEvent
from labour.core.errors import ServiceError
from labour.factories import AttachmentFactory
from labour.payroll import selectors, services
from labour.payroll.choices import LineStatus, SheetStatus
from labour.payroll.models import Payment, SheetSubmission, WageLine, WageSheet
from labour.reviews import services as review_services
from labour.testing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("november_20th")]
OCT = date(2026, 10, 1)
DELAY = 0.3


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock race needs PostgreSQL (SQLite serialises writers and ignores "
                    "SELECT FOR UPDATE): set DATABASE_URL=postgres://…")


@pytest.fixture
def slow(monkeypatch):
    """Sleep inside each service's transaction, after its locks, before it commits."""
    def slowed(original):
        def slow_record(*args, **kwargs):
            time.sleep(DELAY)
            return original(*args, **kwargs)
        return slow_record

    monkeypatch.setattr(services, "record", slowed(services.record))
    monkeypatch.setattr(review_services, "record", slowed(review_services.record))


def _create(world, actor="labour"):
    return lambda: services.create_sheet(actor=world[actor], code=world["project"].code,
                                         team_id=world["team"].pk, month=OCT)


def _ready(world):
    sheet = _create(world)()
    lines = {line.pk: services.LineInput(days="20", items={("gross", "计时工资"): "5000"})
             for line in WageLine.objects.filter(sheet=sheet)}
    services.save_lines(actor=world["labour"], number=sheet.number, lines=lines)
    services.attach_signed_scan(actor=world["labour"], number=sheet.number, scan=AttachmentFactory())
    return sheet


def _submitted(world):
    sheet = _ready(world)
    services.submit_sheet(actor=world["labour"], number=sheet.number)
    return sheet


def _confirmed(world):
    sheet = _submitted(world)
    services.confirm_sheet(actor=world["gc"], number=sheet.number)
    return sheet


def _one_winner(outcomes, message):
    winners = [i for i, (_result, exc) in enumerate(outcomes) if exc is None]
    assert len(winners) == 1, f"expected exactly one success, got {outcomes}"
    loser = outcomes[1 - winners[0]][1]
    assert isinstance(loser, ServiceError), f"the loser failed with {loser!r}, not a ServiceError"
    assert message in loser.message
    return winners[0]


def _events(sheet, action):
    return AuditEvent.objects.filter(action=action, object_id=str(sheet.pk))


def test_create_sheet_twice_for_one_team_and_month_makes_one(world, slow):
    outcomes = race(_create(world, "labour"), _create(world, "labour_project"))
    _one_winner(outcomes, "的工资表已存在")
    sheet = WageSheet.objects.get()
    assert (sheet.team, sheet.month, sheet.line_count) == (world["team"], OCT, 2)
    assert WageLine.objects.count() == 2
    assert _events(sheet, Action.WAGE_SHEET_CREATED).count() == 1


def test_double_submit_makes_one_submission(world, slow):
    sheet = _ready(world)

    def submit(actor):
        return lambda: services.submit_sheet(actor=world[actor], number=sheet.number)

    outcomes = race(submit("labour"), submit("labour_project"))
    _one_winner(outcomes, "待确认，不能修改")
    assert SheetSubmission.objects.filter(sheet=sheet).count() == 1
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert _events(sheet, Action.WAGE_SHEET_SUBMITTED).count() == 1


def test_double_confirm_makes_one_decision(world, slow):
    sheet = _submitted(world)

    def confirm(actor):
        return lambda: services.confirm_sheet(actor=world[actor], number=sheet.number)

    outcomes = race(confirm("gc"), confirm("gc_project"))
    _one_winner(outcomes, "已确认，不能重复审核")
    submission = SheetSubmission.objects.get(sheet=sheet)
    assert submission.status == "confirmed"
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.CONFIRMED
    assert _events(sheet, Action.WAGE_SHEET_CONFIRMED).count() == 1


@pytest.mark.parametrize("confirm_first", [True, False])
def test_confirm_and_return_at_once_make_one_decision(world, slow, confirm_first):
    sheet = _submitted(world)
    calls = [lambda: services.confirm_sheet(actor=world["gc"], number=sheet.number),
             lambda: services.return_sheet(actor=world["gc_project"], number=sheet.number,
                                           reason="出勤天数与考勤不符")]
    if not confirm_first:
        calls.reverse()
    outcomes = race(*calls)
    winner = _one_winner(outcomes, "不能重复审核")
    confirmed = (winner == 0) == confirm_first
    submission = SheetSubmission.objects.get(sheet=sheet)
    sheet.refresh_from_db()
    if confirmed:
        assert (submission.status, sheet.status) == ("confirmed", SheetStatus.CONFIRMED)
        assert not _events(sheet, Action.WAGE_SHEET_RETURNED).exists()
    else:
        assert (submission.status, sheet.status) == ("returned", SheetStatus.RETURNED)
        assert submission.return_reason == "出勤天数与考勤不符"
        assert not _events(sheet, Action.WAGE_SHEET_CONFIRMED).exists()


def _pay(world, sheet, line, actor, batch):
    return lambda: services.record_payment(
        actor=world[actor], number=sheet.number, paid_on=date(2026, 11, 10), batch_number=batch,
        receipt=AttachmentFactory(), outcomes={line.pk: None})


def _whole_line(world, sheet):
    return WageLine.objects.get(sheet=sheet, worker=world["people"]["whole"])


def test_two_payments_of_one_line_in_parallel_pay_it_once(world, slow):
    sheet = _confirmed(world)
    line = _whole_line(world, sheet)
    outcomes = race(_pay(world, sheet, line, "gc", "PC0001"),
                    _pay(world, sheet, line, "gc_project", "PC0002"))
    _one_winner(outcomes, "不能重复发放")
    line.refresh_from_db()
    assert line.pay_status == LineStatus.PAID
    assert Payment.objects.filter(sheet=sheet).count() == 1
    payment = Payment.objects.get(sheet=sheet)
    assert line.payment == payment and payment.paid_amount == Decimal("5000.00")
    sheet.refresh_from_db()
    assert sheet.paid_total == Decimal("5000.00") and sheet.status == SheetStatus.PAYING
    assert _events(sheet, Action.WAGE_PAID).count() == 1


def test_without_the_sheet_lock_two_payments_of_one_line_both_go_through(world, slow, monkeypatch):
    """Control: with the sheet and line locks removed, the same race pays the line
    twice, so the test above would fail if record_payment stopped locking."""
    sheet = _confirmed(world)
    line = _whole_line(world, sheet)
    original = selectors.access_sheet

    def unlocked(user, number, *, owned=False, for_update=False):
        return original(user, number, owned=owned, for_update=False)

    monkeypatch.setattr(services, "access_sheet", unlocked)
    monkeypatch.setattr(services.WageLine.objects, "select_for_update",
                        lambda *a, **k: services.WageLine.objects.all())
    outcomes = race(_pay(world, sheet, line, "gc", "PC0001"),
                    _pay(world, sheet, line, "gc_project", "PC0002"))
    assert all(exc is None for _result, exc in outcomes), outcomes
    assert Payment.objects.filter(sheet=sheet).count() == 2  # what the lock prevents
