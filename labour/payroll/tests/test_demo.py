"""make run's demo: paid months through the services, one partly paid, last month
left for the new user to make; prepare_demo run twice makes nothing twice."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from labour.payroll import services
from labour.payroll.choices import LineStatus, SheetStatus
from labour.payroll.demo import FAILED_REASON, days_on_site, demo_months
from labour.payroll.models import Payment, SheetSubmission, WageLine, WageSheet
from labour.projects.models import Project
from labour.workforce.demo import LAB_PROJECT_ACCOUNT
from labour.workforce.models import Team, WorkerEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_20th")]
OCT = date(2026, 10, 1)


def _prepare():
    out = io.StringIO()
    call_command("prepare_demo", "--workers", "12", stdout=out)
    return out.getvalue()


def test_the_demo_has_paid_months_one_partly_paid_and_last_month_left_to_make():
    said = _prepare()
    assert "演示工资表" in said and "2026-10 尚未制表" in said
    project = Project.objects.get(name__contains="演示")
    first_entry = WorkerEvent.objects.filter(worker__project=project).order_by("date").first().date
    assert first_entry <= date(2026, 7, 31)  # 在场 since several months ago
    sheets = WageSheet.objects.filter(project=project)
    months = sorted(set(sheets.values_list("month", flat=True)))
    assert months[-1] == date(2026, 9, 1) and len(months) >= 3
    assert not sheets.filter(month__gte=OCT).exists()  # last month: not made
    # every sheet went through 提交 and 确认 and was paid, but for one failed line
    assert all(SheetSubmission.objects.filter(sheet=s, status="confirmed").exists() for s in sheets)
    assert sheets.exclude(status=SheetStatus.PAID).count() == 1
    partly = sheets.get(status=SheetStatus.PAYING)
    assert partly.month < date(2026, 9, 1) and partly.paid_total < partly.net_total
    failed = WageLine.objects.get(pay_status=LineStatus.FAILED)
    assert failed.sheet == partly and failed.failure_reason == FAILED_REASON
    assert not WageLine.objects.exclude(pay_status=LineStatus.PAID).exclude(pk=failed.pk).exists()
    for payment in Payment.objects.all():  # paid on the 10th of the month after
        assert payment.paid_on.day == 10 and payment.paid_on > payment.sheet.month
    # prepare_demo again: nothing made twice
    counts = (WageSheet.objects.count(), WageLine.objects.count(), Payment.objects.count())
    assert "演示工资表已存在" in _prepare()
    assert (WageSheet.objects.count(), WageLine.objects.count(), Payment.objects.count()) == counts
    # the new user makes last month's sheet at once, with the team's workers on it
    user = get_user_model().objects.get(username=LAB_PROJECT_ACCOUNT)
    team = Team.objects.filter(project=project).first()
    sheet = services.create_sheet(actor=user, code=project.code, team_id=team.pk, month=OCT)
    assert sheet.line_count > 0


def test_months_and_days_of_the_demo():
    assert demo_months(date(2026, 5, 28), date(2026, 11, 20)) == [
        date(2026, m, 1) for m in (5, 6, 7, 8, 9)]
    assert demo_months(date(2026, 10, 3), date(2026, 11, 20)) == []
    spans = [(date(2026, 5, 28), date(2026, 6, 10)), (date(2026, 6, 20), None)]
    assert days_on_site(spans, date(2026, 5, 1)) == 4
    assert days_on_site(spans, date(2026, 6, 1)) == 10 + 11
    assert days_on_site(spans, date(2026, 7, 1)) == 31
