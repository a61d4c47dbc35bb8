"""A year of wages for the generated city (`generate_demo_data`): for each team and
each of the `plan.payroll_months` months before the current one in which some of
its workers were 在场, a confirmed sheet with a line per such worker (出勤天数 from
the worker's 进场/退场 events, a 计时工资 item, sometimes a 借支), its submission,
and mostly its payment. Some months are not as they should be, so that 欠薪预警 has
something true to find:

    on time   paid in full on the 5th–14th of the next month (before the pay day)
    late      paid in full after the pay day (20th–28th of the next month)
    partly    paid, but some lines 发放失败 (the sheet stays 发放中)
    unpaid    confirmed, nothing paid
    pending   last month only: submitted, not yet confirmed

and one worker is paid more than 50,000 元 in a month. Bulk loaded (COPY on
PostgreSQL, like the roster's big tables; bulk_create elsewhere), `chunk` projects
per transaction. The rows are valid by the platform's rules and its database checks
(totals are the sums of the items, a paid line has its date, payment and card)."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from labour.core.roles import AccountKind
from labour.projects.models import ProjectInformation
from labour.workforce import crypto
from labour.workforce.demo import CityPlan, copy_rows, demo_attachment
from labour.workforce.models import ProjectWorker, WageCard, WorkerEvent

from .choices import LineStatus, SheetStatus, SubmissionStatus
from .demo import days_on_site, entry_spans, next_month, previous_month
from .models import Payment, SheetSubmission, WageItem, WageLine, WageSheet

ZERO = Decimal("0.00")
BIG_EARNER = Decimal("56000.00")  # one worker over 50,000 元 in a month
FAILED_REASON = "账户状态异常，退回"
WAGE_BANK = "郑州银行郑州分行营业部"

SHEET_COLUMNS = ["id", "number", "project_id", "participant_id", "team_id", "month", "status",
                 "signed_scan_id", "line_count", "gross_total", "deduction_total", "net_total",
                 "paid_total", "created_by_id", "created_at", "updated_at", "confirmed_at", "paid_at"]
SUBMISSION_COLUMNS = ["sheet_id", "project_id", "participant_id", "status", "submitted_at",
                      "submitted_by_id", "reviewer_id", "reviewed_at", "return_reason", "line_count",
                      "net_total", "signed_scan_id"]
PAYMENT_COLUMNS = ["id", "sheet_id", "paid_on", "batch_number", "receipt_id", "payer_bank",
                   "payer_account_name", "payer_account_token", "paid_count", "failed_count",
                   "paid_amount", "recorded_by_id", "recorded_at"]
LINE_COLUMNS = ["id", "sheet_id", "worker_id", "days", "gross_total", "deduction_total",
                "net_amount", "is_back_pay", "pay_status", "payment_id", "paid_on", "failure_reason",
                "card_bank_code", "card_bank_name", "card_number_token"]
ITEM_COLUMNS = ["line_id", "kind", "name", "amount"]


def year_of_months(today: dt.date, count: int) -> list[dt.date]:
    """The `count` months before the current one, oldest first."""
    months, month = [], today.replace(day=1)
    for _ in range(count):
        month = previous_month(month)
        months.append(month)
    return months[::-1]


def fate(rng: random.Random, *, last_month: bool) -> str:
    roll = rng.random()
    if last_month:
        return ("pending" if roll < 0.03 else "unpaid" if roll < 0.07 else "partly" if roll < 0.10
                else "late" if roll < 0.15 else "on_time")
    return ("unpaid" if roll < 0.015 else "partly" if roll < 0.035 else "late" if roll < 0.08
            else "on_time")


class Ids:
    """Ids for rows loaded with their id: a block of the table's sequence on
    PostgreSQL (this process is the only writer while generating), else max + 1."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model

    def take(self, count: int) -> Iterator[int]:
        if count == 0:
            return iter(())
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))",
                               [self.model._meta.db_table])
                first = cursor.fetchone()[0]
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                               [self.model._meta.db_table, first + count - 1])
        else:
            first = (self.model._default_manager.aggregate(top=Max("id"))["top"] or 0) + 1
        return iter(range(first, first + count))


def load(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        copy_rows(model, columns, rows)
        return
    # the ledger's rows are saved by their managers' bulk_create, which the retention
    # rule leaves alone (it refuses deletes only)
    model._default_manager.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500)


@dataclass
class Batch:
    sheets: list[tuple[Any, ...]] = field(default_factory=list)
    submissions: list[tuple[Any, ...]] = field(default_factory=list)
    payments: list[tuple[Any, ...]] = field(default_factory=list)
    lines: list[tuple[Any, ...]] = field(default_factory=list)
    items: list[tuple[Any, ...]] = field(default_factory=list)

    def load(self) -> None:
        load(WageSheet, SHEET_COLUMNS, self.sheets)
        load(SheetSubmission, SUBMISSION_COLUMNS, self.submissions)
        load(Payment, PAYMENT_COLUMNS, self.payments)
        load(WageLine, LINE_COLUMNS, self.lines)
        load(WageItem, ITEM_COLUMNS, self.items)


@dataclass
class Context:
    months: list[dt.date]
    today: dt.date
    creator: Any
    scan_id: Any
    receipt_id: Any
    rng: random.Random
    numbers: dict[dt.date, int]
    counts: dict[str, int]
    big_earner_done: bool = False


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def generate_payroll(plan: CityPlan, project_ids: list[int], say: Callable[[str], None] = print,
                     *, chunk: int = 100) -> None:
    """The city step (registered by the payroll app): a year of sheets for the workers
    of the projects just generated."""
    if plan.payroll_months <= 0 or not project_ids:
        return
    started = time.monotonic()
    today = timezone.localdate()
    creator, _ = get_user_model().objects.get_or_create(
        username="generator", defaults={"kind": AccountKind.OPERATOR, "display_name": "演示数据生成"})
    months = year_of_months(today, plan.payroll_months)
    numbers = {}
    for month in months:
        last = (WageSheet.objects.filter(number__startswith=f"GZ{month:%Y%m}")
                .order_by("-number").values_list("number", flat=True).first())
        numbers[month] = int(last[8:]) if last else 0
    context = Context(
        months=months, today=today, creator=creator,
        scan_id=demo_attachment(actor=None, kind="signed_scan", text="SIGNED").pk,
        receipt_id=demo_attachment(actor=None, kind="receipt", text="BANK").pk,
        rng=random.Random(plan.seed * 7919), numbers=numbers,  # noqa: S311 - generated demo data
        counts={"wage_sheets": 0, "wage_lines": 0, "wage_items": 0, "payments": 0})
    fast = _without_row_triggers()
    for first in range(0, len(project_ids), chunk):
        with transaction.atomic():
            if fast:
                _set_local("session_replication_role", "replica")
            if connection.vendor == "postgresql":
                _set_local("synchronous_commit", "off")  # demo data: a crash just means run again
            _generate_chunk(project_ids[first:first + chunk], context)
        done = first + chunk
        if (first // chunk) % 10 == 9 or done >= len(project_ids):
            say(f"  工资表：{min(done, len(project_ids))} 个项目，{context.counts['wage_lines']} 条工资明细")
    for key, value in context.counts.items():
        plan.counts[key] = plan.counts.get(key, 0) + value
    say(f"  工资表用时 {time.monotonic() - started:.1f} 秒")


def _set_local(name: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {name} = {value}")


def _without_row_triggers() -> bool:
    """On PostgreSQL as a superuser, the bulk load skips the per-row foreign-key
    checks (session_replication_role = replica, SET LOCAL: this transaction only),
    as pg_restore --disable-triggers does: the rows are consistent by construction
    (every id comes from rows just read or just made) and the tests check them."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _generate_chunk(project_ids: list[int], context: Context) -> None:
    ProjectInformation.objects.filter(project_id__in=project_ids, wage_account_no="").update(
        wage_bank=WAGE_BANK, wage_account_no="41050100000000001", wage_account_name="农民工工资专用账户")
    payer_token = crypto.encrypt("41050100000000001")
    workers = list(ProjectWorker.objects.filter(project_id__in=project_ids)
                   .values_list("id", "project_id", "participant_id", "team_id").order_by("team_id", "id"))
    ids = [w[0] for w in workers]
    spans = entry_spans(WorkerEvent.objects.filter(worker__project_id__in=project_ids))
    cards = {row[0]: row[1:] for row in WageCard.objects.filter(worker_id__in=ids).values_list(
        "worker_id", "bank_code", "bank_name", "branch_name", "card_number_token")}
    teams: dict[int, list[tuple[int, int, int, int]]] = {}
    for worker in workers:
        if worker[0] in spans:
            teams.setdefault(worker[3], []).append(worker)
    planned = []
    for team_id, members in teams.items():
        for month in context.months:
            present = [(w, days_on_site(spans[w[0]], month)) for w in members]
            present = [(w, d) for w, d in present if d > 0]
            if present:
                planned.append((team_id, month, present))
    # ids in blocks: a few statements per chunk, however many rows
    blocks = Ids(WageSheet).take(len(planned)), Ids(Payment).take(len(planned)), Ids(WageLine).take(
        sum(len(present) for _t, _m, present in planned))
    batch = Batch()
    for team_id, month, present in planned:
        _sheet(batch, team_id, month, present, cards, payer_token, context, blocks)
    batch.load()
    context.counts["wage_items"] += len(batch.items)


def _sheet(batch: Batch, team_id: int, month: dt.date, present: list[tuple[tuple[int, int, int, int], int]],
           cards: dict[int, tuple[str, str, str, str]], payer_token: str, context: Context,
           ids: tuple[Iterator[int], Iterator[int], Iterator[int]]) -> None:
    rng = context.rng
    what = fate(rng, last_month=month == context.months[-1])
    _worker_id, project_id, participant_id, _team = present[0][0]
    pay_month = next_month(month)
    submitted_on = min(pay_month + dt.timedelta(days=1), context.today)
    if what == "late":
        paid_on = pay_month.replace(day=rng.randint(20, 28))
    else:
        paid_on = pay_month.replace(day=rng.randint(5, 14))
    paid_on = max(min(paid_on, context.today), submitted_on)
    paying = what in ("on_time", "late", "partly")
    sheet_id = next(ids[0])
    payment_id = next(ids[1])  # unused (a gap) when nothing is paid
    line_ids = [next(ids[2]) for _ in present]
    failed_share = rng.uniform(0.1, 0.3) if what == "partly" else 0.0
    gross_sum = deduction_sum = paid_sum = ZERO
    paid_count = failed_count = 0
    for (worker, days), line_id in zip(present, line_ids, strict=True):
        worker_id = worker[0]
        days = min(days, 26)
        gross = Decimal(days * (200 + (worker_id * 7) % 25 * 10)).quantize(Decimal("0.01"))
        name = "计时工资"
        if not context.big_earner_done and month == context.months[-2 if len(context.months) > 1 else -1]:
            gross, name, context.big_earner_done = BIG_EARNER, "计件工资", True
        deduction = Decimal("500.00") if worker_id % 10 == 3 and gross > 1000 else ZERO
        net = gross - deduction
        batch.items.append((line_id, "gross", name, gross))
        if deduction:
            batch.items.append((line_id, "deduction", "借支", deduction))
        card = cards.get(worker_id)
        pay_status, line_payment, line_paid_on, reason = LineStatus.UNPAID, None, None, ""
        card_cols = ("", "", "")
        if paying:
            line_payment = payment_id
            if card is None or (failed_share and rng.random() < failed_share):
                pay_status, reason = LineStatus.FAILED, FAILED_REASON if card else "未登记工资卡"
                failed_count += 1
            else:
                pay_status, line_paid_on = LineStatus.PAID, paid_on
                card_cols = (card[0], f"{card[1]} {card[2]}".strip(), card[3])
                paid_count += 1
                paid_sum += net
        batch.lines.append((line_id, sheet_id, worker_id, Decimal(days), gross, deduction, net, False,
                            str(pay_status), line_payment, line_paid_on, reason, *card_cols))
        gross_sum += gross
        deduction_sum += deduction
    net_sum = gross_sum - deduction_sum
    context.numbers[month] += 1
    submitted = at(submitted_on, 9)
    confirmed = at(submitted_on, 11)
    if what == "pending":
        status = SheetStatus.SUBMITTED
    elif not paying:
        status = SheetStatus.CONFIRMED
    else:
        status = SheetStatus.PAID if failed_count == 0 else SheetStatus.PAYING
    batch.sheets.append((
        sheet_id, f"GZ{month:%Y%m}{context.numbers[month]:06d}", project_id, participant_id, team_id,
        month, str(status), context.scan_id, len(present), gross_sum, deduction_sum, net_sum,
        paid_sum, context.creator.pk, at(submitted_on, 8), confirmed if paying else submitted,
        None if what == "pending" else confirmed,
        at(paid_on, 16) if status == SheetStatus.PAID else None))
    batch.submissions.append((
        sheet_id, project_id, participant_id,
        str(SubmissionStatus.SUBMITTED if what == "pending" else SubmissionStatus.CONFIRMED),
        submitted, context.creator.pk, None if what == "pending" else context.creator.pk,
        None if what == "pending" else confirmed, "", len(present), net_sum, context.scan_id))
    if paying:
        batch.payments.append((
            payment_id, sheet_id, paid_on, f"DF{month:%Y%m}{sheet_id:09d}", context.receipt_id, WAGE_BANK,
            "农民工工资专用账户", payer_token, paid_count, failed_count, paid_sum, context.creator.pk,
            at(paid_on, 16)))
        context.counts["payments"] += 1
    context.counts["wage_sheets"] += 1
    context.counts["wage_lines"] += len(present)
