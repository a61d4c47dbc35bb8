"""The facts are kept correct on every write: after sheets confirmed and paid, a
failed line paid again, a 补发 line, a 进场 and a 退场 — each through its service,
whose hooks refresh the months they touch — the facts equal a full rebuild."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from labour.arrears import facts
from labour.arrears.facts import rebuild, refresh
from labour.arrears.models import ProjectMonth, UnitMonth
from labour.factories import AttachmentFactory, ProjectWorkerFactory, WageCardFactory, WorkerContractFactory
from labour.payroll import services as payroll
from labour.payroll.models import WageLine
from labour.workforce import services as roster
from labour.workforce.choices import RosterStatus

from .helpers import NOV, OCT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_20th")]
FIELDS = ("month", "on_site", "paid_workers", "unpaid_workers", "line_workers", "due", "paid",
          "last_paid_on", "max_worker_net", "exited_unpaid")


def snapshot():
    units = sorted(UnitMonth.objects.values_list("participant_id", *FIELDS))
    projects = sorted(ProjectMonth.objects.values_list(
        "project_id", "region_code", "pay_deadline", "level", *FIELDS))
    return units, projects


def _confirmed_sheet(world, month, amounts):
    sheet = payroll.create_sheet(actor=world["labour"], code=world["project"].code,
                                 team_id=world["team"].pk, month=month)
    lines = {line.pk: payroll.LineInput(days="20", items={("gross", "计时工资"): amounts.get(
        line.worker_id, "5000")}) for line in WageLine.objects.filter(sheet=sheet)}
    payroll.save_lines(actor=world["labour"], number=sheet.number, lines=lines)
    payroll.attach_signed_scan(actor=world["labour"], number=sheet.number, scan=AttachmentFactory())
    payroll.submit_sheet(actor=world["labour"], number=sheet.number)
    payroll.confirm_sheet(actor=world["gc"], number=sheet.number)
    return sheet


def _pay(world, sheet, outcomes, day):
    payroll.record_payment(actor=world["gc"], number=sheet.number, paid_on=day,
                           batch_number=f"PC{day:%m%d}", receipt=AttachmentFactory(),
                           outcomes=outcomes)


def _line(sheet, worker, back_pay=False):
    return WageLine.objects.get(sheet=sheet, worker=worker, is_back_pay=back_pay)


def _month(world, month):
    return ProjectMonth.objects.get(project=world["project"], month=month)


def test_incremental_equals_rebuild(world):
    people = world["people"]
    rebuild()
    start = snapshot()
    october = ProjectMonth.objects.get(project=world["project"], month=OCT)
    assert (october.level, october.due) == ("red", Decimal("0.00"))

    # October confirmed: due, not yet paid
    oct_sheet = _confirmed_sheet(world, OCT, {people["whole"].pk: "6000", people["part"].pk: "3000"})
    october = _month(world, OCT)
    assert (october.due, october.paid, october.line_workers) == (Decimal("9000.00"), 0, 2)
    assert snapshot() != start

    # paid: 「whole」 on 11-10, 「part」 failed (no card) then paid on 11-12
    _pay(world, oct_sheet, {_line(oct_sheet, people["whole"]).pk: None,
                            _line(oct_sheet, people["part"]).pk: "户名不符"}, date(2026, 11, 10))
    october = _month(world, OCT)
    assert (october.paid_workers, october.unpaid_workers, october.level) == (1, 1, "red")
    WageCardFactory(worker=people["part"])
    _pay(world, oct_sheet, {_line(oct_sheet, people["part"]).pk: None}, date(2026, 11, 12))
    october = _month(world, OCT)
    assert (october.paid_workers, october.unpaid_workers, october.level) == (2, 0, "")
    assert october.last_paid_on == date(2026, 11, 12)

    # a new worker enters on 11-03 (roster hook: November), 「whole」 leaves on 11-19
    newcomer = ProjectWorkerFactory(participant=world["team"].participant,
                                    project=world["project"], team=world["team"])
    WorkerContractFactory(worker=newcomer)
    roster.record_entry(actor=world["labour"], code=world["project"].code,
                        worker_id=newcomer.pk, date=date(2026, 11, 3))
    people["whole"].status = RosterStatus.ON_SITE
    people["whole"].save(update_fields=["status"])
    roster.record_exit(actor=world["labour"], code=world["project"].code,
                       worker_id=people["whole"].pk, date=date(2026, 11, 19))
    november = ProjectMonth.objects.get(project=world["project"], month=NOV)
    assert (november.on_site, november.exited_unpaid) == (3, 1)  # whole, later, newcomer

    # November's sheet with a 补发 line for October
    nov_sheet = payroll.create_sheet(actor=world["labour"], code=world["project"].code,
                                     team_id=world["team"].pk, month=NOV)
    payroll.add_line(actor=world["labour"], number=nov_sheet.number,
                     worker_id=people["part"].pk, back_pay_month=OCT)
    lines = {line.pk: payroll.LineInput(days="5", items={("gross", "计时工资"): "800"})
             for line in WageLine.objects.filter(sheet=nov_sheet)}
    payroll.save_lines(actor=world["labour"], number=nov_sheet.number, lines=lines)
    payroll.attach_signed_scan(actor=world["labour"], number=nov_sheet.number,
                               scan=AttachmentFactory())
    payroll.submit_sheet(actor=world["labour"], number=nov_sheet.number)
    payroll.confirm_sheet(actor=world["gc"], number=nov_sheet.number)
    october = _month(world, OCT)
    assert october.due == Decimal("9800.00")  # the 补发 line counts for October
    WageCardFactory(worker=people["later"])
    WageCardFactory(worker=newcomer)
    _pay(world, nov_sheet, {line.pk: None for line in WageLine.objects.filter(sheet=nov_sheet)},
         date(2026, 11, 20))

    incremental = snapshot()
    rebuild()
    assert snapshot() == incremental
    october = _month(world, OCT)
    assert (october.due, october.paid) == (Decimal("9800.00"), Decimal("9800.00"))


def test_a_refresh_of_a_month_with_nothing_left_removes_its_rows(world):
    rebuild()
    assert ProjectMonth.objects.filter(project=world["project"], month=OCT).exists()
    for worker in world["people"].values():
        worker.events.all().delete()
    refresh(world["project"].pk, OCT)
    assert not ProjectMonth.objects.filter(project=world["project"], month=OCT).exists()
    assert not UnitMonth.objects.filter(project=world["project"], month=OCT).exists()


def test_a_new_pay_day_is_taken_by_refreshing_the_project(world):
    rebuild()
    assert _month(world, OCT).pay_deadline == date(2026, 11, 13)
    info = world["project"].information
    info.pay_day = 10
    info.save()
    facts.refresh_project(world["project"].pk)
    assert _month(world, OCT).pay_deadline == date(2026, 11, 10)
    incremental = snapshot()
    rebuild()
    assert snapshot() == incremental


def test_the_command_rebuilds(world, capsys):
    call_command("rebuild_arrears")
    out = capsys.readouterr().out
    assert "项目月度 4 行" in out
    assert ProjectMonth.objects.filter(project=world["project"]).count() == 4
    call_command("rebuild_arrears", "--since", "2026-10")
    assert ProjectMonth.objects.filter(project=world["project"]).count() == 4


def test_a_new_pay_day_moves_the_deadline_of_the_stored_months(world):
    """The general contractor changes 约定发薪日 in 项目信息完善: the months already kept
    are recomputed in the same transaction (October: the 15th is a Sunday, so the 13th;
    the 20th is a Friday, kept)."""
    from labour.projects import information

    rebuild()
    october = ProjectMonth.objects.get(project=world["project"], month=OCT)
    assert october.pay_deadline == date(2026, 11, 13) and october.level == "red"
    world["project"].info_status = "returned"  # the information is being corrected
    world["project"].save(update_fields=["info_status"])
    information.save_information(actor=world["gc"], code=world["project"].code, data={"pay_day": "20"})
    october = ProjectMonth.objects.get(project=world["project"], month=OCT)  # recomputed: a new row
    assert october.pay_deadline == date(2026, 11, 20)
    assert ProjectMonth.objects.get(project=world["project"], month=date(2026, 9, 1)).pay_deadline \
        == date(2026, 10, 20)
