"""The payroll of `make run`'s demo project, made through the services as users
would: for each team, a sheet for every month from the workers' first 进场 up to the
month before last, typed, signed, 提交, 确认 and paid through the wage account.
One earlier month is paid only in part (a 发放失败 line), so that the demo
authority's 欠薪预警 has something true to show; last month's sheets are NOT made,
so that a new user makes one at once. Idempotent: nothing is made twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from labour.projects.models import Project
from labour.workforce.choices import EventKind
from labour.workforce.demo import DEMO_PROJECT, GC_PROJECT_ACCOUNT, LAB_PROJECT_ACCOUNT, demo_attachment
from labour.workforce.models import Team, WorkerEvent

from . import services
from .models import WageLine, WageSheet
from .rules import days_in, month_label
from .selectors import workers_on_site

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from labour.accounts.models import User

FAILED_REASON = "户名与卡号不符"


def previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def demo_months(first_entry: dt.date, today: dt.date) -> list[dt.date]:
    """The months paid in the demo: from the first 进场 up to the month before last."""
    last_month = previous_month(today.replace(day=1))
    months, month = [], first_entry.replace(day=1)
    while month < last_month:
        months.append(month)
        month = next_month(month)
    return months


def days_on_site(spans: list[tuple[dt.date, dt.date | None]], month: dt.date) -> int:
    """Days of `month` within the worker's 进场–退场 spans."""
    first, last = month, month.replace(day=days_in(month))
    total = 0
    for entered, left in spans:
        start, end = max(first, entered), min(last, left or last)
        if start <= end:
            total += (end - start).days + 1
    return total


def entry_spans(events: QuerySet[WorkerEvent]) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
    """Each worker's stays (进场 date, 退场 date or None while 在场) from `events`."""
    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    for worker_id, kind, day in (events.order_by("worker_id", "date", "id")
                                 .values_list("worker_id", "kind", "date")):
        rows = spans.setdefault(worker_id, [])
        if kind == EventKind.ENTRY:
            rows.append((day, None))
        elif rows:
            rows[-1] = (rows[-1][0], day)
    return spans


def prepare_payroll(say: Callable[[str], None] = print) -> None:
    """The demo project's paid months (see the module's doc); nothing if the demo
    project is missing or already has sheets."""
    project = Project.objects.filter(name=DEMO_PROJECT).first()
    if project is None:
        return
    if WageSheet.objects.filter(project=project).exists():
        say("演示工资表已存在，未重复创建。")
        return
    users = get_user_model().objects
    preparer, payer = users.get(username=LAB_PROJECT_ACCOUNT), users.get(username=GC_PROJECT_ACCOUNT)
    today = timezone.localdate()
    teams = list(Team.objects.filter(project=project).order_by("id"))
    first = (WorkerEvent.objects.filter(worker__project=project, kind=EventKind.ENTRY)
             .order_by("date").values_list("date", flat=True).first())
    if first is None or not teams:
        return
    months = demo_months(first, today)
    partly_paid = months[-2] if len(months) >= 2 else (months[-1] if months else None)
    made = 0
    with transaction.atomic():
        for team in teams:
            for month in months:
                if _month(project, team, month, preparer=preparer, payer=payer, today=today,
                          fail_one=month == partly_paid and team == teams[0]):
                    made += 1
    if months:
        say(f"演示工资表：{made} 张（{month_label(months[0])} 至 {month_label(months[-1])} 已发放，"
            f"其中 {month_label(partly_paid or months[-1])} 有 1 人发放失败；"
            f"{month_label(previous_month(today.replace(day=1)))} 尚未制表）。")


def _month(project: Project, team: Team, month: dt.date, *, preparer: User, payer: User,
           today: dt.date, fail_one: bool) -> bool:
    if not workers_on_site(team, month).exists():
        return False  # nobody of the team was there that month
    sheet = services.create_sheet(actor=preparer, code=project.code, team_id=team.pk, month=month)
    lines = list(WageLine.objects.filter(sheet=sheet).order_by("id"))
    spans = entry_spans(WorkerEvent.objects.filter(worker_id__in=[line.worker_id for line in lines]))
    typed = {}
    for line in lines:
        days = min(26, days_on_site(spans.get(line.worker_id, []), month)) or 1
        rate = Decimal(260 + (line.worker_id % 5) * 20)
        items: dict[tuple[str, str], object] = {("gross", "计时工资"): days * rate}
        if line.worker_id % 3 == 0:
            items[("gross", "加班工资")] = Decimal("300.00")
        if line.worker_id % 4 == 1 and days >= 10:
            items[("deduction", "借支")] = Decimal("500.00")
        typed[line.pk] = services.LineInput(days=str(days), work_hours=str(days * 8), items=items)
    services.save_lines(actor=preparer, number=sheet.number, lines=typed)
    scan = demo_attachment(actor=preparer, kind="signed_scan", text=f"SIGNED {month_label(month)}")
    services.attach_signed_scan(actor=preparer, number=sheet.number, scan=scan)
    services.submit_sheet(actor=preparer, number=sheet.number)
    services.confirm_sheet(actor=payer, number=sheet.number)
    # paid on the 10th of the next month, before the agreed pay day
    paid_on = min(next_month(month).replace(day=10), today)
    outcomes: dict[int, str | None] = {line.pk: None for line in lines}
    if fail_one:
        outcomes[lines[-1].pk] = FAILED_REASON
    receipt = demo_attachment(actor=payer, kind="receipt", text=f"BANK {month_label(month)}")
    services.record_payment(actor=payer, number=sheet.number, paid_on=paid_on,
                            batch_number=f"DF{month:%Y%m}{team.pk:04d}", receipt=receipt,
                            outcomes=outcomes)
    return True
