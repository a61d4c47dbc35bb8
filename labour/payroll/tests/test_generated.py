"""generate_demo_data's year of wages: rows valid by the platform's rules (totals
are the sums, a line only for a worker 在场 that month, a paid line has its date,
payment and card), most months paid, some not, and the services take it from there."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum

from labour.enterprises.models import Enterprise
from labour.factories import AttachmentFactory, EnterpriseAccountFactory
from labour.payroll import services
from labour.payroll.choices import LineStatus, SheetStatus
from labour.payroll.generated import BIG_EARNER, year_of_months
from labour.payroll.models import Payment, SheetSubmission, WageItem, WageLine, WageSheet
from labour.payroll.selectors import workers_on_site
from labour.projects.choices import ParticipantRole

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_20th")]


@pytest.fixture
def city():
    out = io.StringIO()
    call_command("generate_demo_data", "--projects", "6", "--workers", "600", stdout=out)
    return out.getvalue()


def test_a_year_of_months_before_this_one():
    assert year_of_months(date(2026, 11, 20), 3) == [date(2026, 8, 1), date(2026, 9, 1),
                                                     date(2026, 10, 1)]
    assert len(year_of_months(date(2026, 1, 5), 12)) == 12


def test_the_generated_year_is_valid_by_the_rules(city):
    assert "wage_lines" in city
    sheets = WageSheet.objects.all()
    months = sorted(set(sheets.values_list("month", flat=True)))
    assert months[0] >= date(2025, 11, 1) and months[-1] == date(2026, 10, 1)
    assert WageLine.objects.count() >= 4 * 600  # most workers are paid for many months
    # sheet totals are the sums of their lines, line totals the sums of their items
    for sheet in sheets.annotate(n=Count("lines"), net=Sum("lines__net_amount"))[:200]:
        assert (sheet.line_count, sheet.net_total) == (sheet.n, sheet.net)
    items = WageItem.objects.values("line").annotate(
        gross=Sum("amount", filter=Q(kind="gross")), deduction=Sum("amount", filter=Q(kind="deduction")))
    lines = {line.pk: line for line in WageLine.objects.all()}
    for row in items:
        line = lines[row["line"]]
        assert line.gross_total == row["gross"]
        assert line.deduction_total == (row["deduction"] or Decimal("0.00"))
    # a line only for a worker of the team 在场 that month (read from the events)
    for sheet in sheets.order_by("?")[:40]:
        expected = set(workers_on_site(sheet.team, sheet.month).values_list("pk", flat=True))
        assert set(sheet.lines.values_list("worker_id", flat=True)) == expected
    # paid lines: their payment, date and the card they went to
    paid = WageLine.objects.filter(pay_status=LineStatus.PAID)
    assert not paid.filter(Q(payment=None) | Q(paid_on=None) | Q(card_number_token="")).exists()
    assert not paid.filter(paid_on__lt=F("sheet__month")).exists()
    for payment in Payment.objects.all()[:200]:
        assert payment.paid_amount == (payment.lines.filter(pay_status=LineStatus.PAID)
                                       .aggregate(t=Sum("net_amount"))["t"] or 0)
    # every sheet was submitted; all but the pending ones confirmed
    assert SheetSubmission.objects.count() == sheets.count()
    assert not sheets.filter(status__in=["draft", "returned"]).exists()


def test_most_months_are_paid_and_some_are_not(city):
    sheets = WageSheet.objects.all()
    paid = sheets.filter(status=SheetStatus.PAID).count()
    assert paid / sheets.count() > 0.8
    assert sheets.filter(status=SheetStatus.CONFIRMED).exists()  # nothing paid
    assert WageLine.objects.filter(pay_status=LineStatus.FAILED).exists()  # partly paid
    late = Payment.objects.filter(paid_on__day__gt=15, paid_on__month=F("sheet__month__month") % 12 + 1)
    assert late.exists()  # paid after the pay day
    assert WageLine.objects.filter(net_amount=BIG_EARNER).count() == 1  # one over 50,000


def test_the_services_take_the_generated_year_from_there(city):
    """An unpaid sheet is paid through record_payment (the project has its wage
    account); the current month's sheet gets the next number."""
    sheet = WageSheet.objects.filter(status=SheetStatus.CONFIRMED).first()
    gc = sheet.project.participants.get(role=ParticipantRole.GENERAL_CONTRACTOR)
    payer = EnterpriseAccountFactory(enterprise=Enterprise.objects.get(credit_code=gc.credit_code))
    outcomes = {line.pk: None for line in sheet.lines.all() if hasattr(line.worker, "wage_card")}
    services.record_payment(actor=payer, number=sheet.number, paid_on=date(2026, 11, 20),
                            batch_number="PC9", receipt=AttachmentFactory(), outcomes=outcomes)
    sheet.refresh_from_db()
    assert sheet.paid_total > 0
    preparer = payer if sheet.participant == gc else EnterpriseAccountFactory(
        enterprise=Enterprise.objects.get(credit_code=sheet.participant.credit_code))
    made = services.create_sheet(actor=preparer, code=sheet.project.code, team_id=sheet.team_id,
                                 month=date(2026, 11, 1))
    assert made.number.startswith("GZ202611") and made.line_count > 0
