"""The rules of 欠薪预警 that need no database: the pay day of a month (moved before
holidays), the level and the reasons of a project-month from its facts, and the
expected monthly 工资性工程款. Every threshold is a setting (ARREARS_*); none is law
unless cited. Money is Decimal with 2 places."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings

from labour.payroll.rules import CENT, days_in, minimum_monthly_wage, month_label

DATA = Path(__file__).resolve().parent / "data"
ZERO = Decimal("0.00")

NONE, YELLOW, RED = "", "yellow", "red"
LEVEL_LABELS = {RED: "红色", YELLOW: "黄色", NONE: "无"}
LEVEL_RANK = {NONE: 0, YELLOW: 1, RED: 2}


# ------------------------------------------------------------------ 约定发薪日

@cache
def official_days() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(holidays, make-up workdays) of the 国务院办公厅 notices (data/holidays.csv)."""
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    with (DATA / "holidays.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            day = dt.date.fromisoformat(row["date"])
            (holidays if row["kind"] == "holiday" else workdays).add(day)
    return frozenset(holidays), frozenset(workdays)


def is_working_day(day: dt.date) -> bool:
    holidays, workdays = official_days()
    if day in workdays:
        return True
    if day in holidays:
        return False
    return not (settings.ARREARS_PAY_DAY_SKIPS_WEEKENDS and day.weekday() >= 5)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def pay_deadline(month: dt.date, pay_day: int) -> dt.date:
    """The last day month `month` may be paid: the 约定发薪日 in the following month, or,
    when that is a holiday (or a rest day), the last working day before it
    (工资支付暂行规定 第七条: 如遇节假日或休息日，则应提前在最近的工作日支付)."""
    following = next_month(month)
    day = following.replace(day=min(max(int(pay_day), 1), days_in(following)))
    while not is_working_day(day) and day > following - dt.timedelta(days=31):
        day -= dt.timedelta(days=1)
    return day


def default_pay_day() -> int:
    return int(settings.PAYROLL_DEFAULT_PAY_DAY)


# ------------------------------------------------------------------ levels and reasons

class MonthFacts(Protocol):
    month: dt.date
    on_site: int
    paid_workers: int
    unpaid_workers: int
    line_workers: int
    line_days: Decimal
    due: Decimal
    paid: Decimal
    last_paid_on: dt.date | None
    max_worker_net: Decimal
    exited_unpaid: int
    pay_deadline: dt.date


def unpaid_red_ratio() -> Decimal:
    return Decimal(str(settings.ARREARS_UNPAID_RED_RATIO))


def max_worker_pay() -> Decimal:
    return Decimal(str(settings.ARREARS_MAX_WORKER_MONTHLY_PAY)).quantize(CENT)


@dataclass
class Assessment:
    level: str = NONE
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def raise_to(self, level: str, reason: str) -> None:
        if LEVEL_RANK[level] > LEVEL_RANK[self.level]:
            self.level = level
        self.reasons.append(reason)

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]


def full_month_days() -> Decimal:
    """月计薪天数 (劳社部发〔2008〕3号: 21.75): the days of work one monthly minimum
    wage stands for."""
    return Decimal(str(settings.ARREARS_FULL_MONTH_DAYS))


def average_net(facts: MonthFacts) -> Decimal | None:
    """实发 per worker-month: the month's 实发 over its 出勤天数 counted in statutory
    months (a line at most one month; a line without days one whole month), so that
    a worker who came on the 25th does not pull the average under the minimum wage."""
    if not facts.line_days:
        return None
    return (facts.due * full_month_days() / facts.line_days).quantize(CENT, rounding=ROUND_HALF_UP)


def assess(facts: MonthFacts, *, today: dt.date | None = None) -> Assessment:
    """The level of a project-month once its pay day has passed (with `today`: nothing
    before it), each reason in words. The same rules are written in SQL by
    facts.LEVEL_SQL for the stored level; the tests hold the two together."""
    result = Assessment()
    deadline = facts.pay_deadline
    if today is not None and today <= deadline:
        result.notes.append(f"约定发薪日（{deadline:%Y-%m-%d}）未到，暂不预警")
        return result
    when = f"约定发薪日（{deadline:%Y-%m-%d}）已过"
    if facts.on_site and facts.unpaid_workers == facts.on_site:
        result.raise_to(RED, f"{when}，{facts.on_site}名在场工人均没有已发放的工资")
    elif facts.unpaid_workers:
        share = Decimal(facts.unpaid_workers) / Decimal(facts.on_site or 1)
        percent = (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        level = RED if share > unpaid_red_ratio() else YELLOW
        result.raise_to(level, f"{when}，{facts.on_site}名在场工人中{facts.unpaid_workers}名"
                               f"没有已发放的工资（{percent}%）")
    average = average_net(facts)
    minimum = minimum_monthly_wage()
    if average is not None and average < minimum:
        result.raise_to(RED, f"按出勤天数折算，人均月实发{average}元，低于当地最低月工资标准{minimum}元")
    if facts.max_worker_net > max_worker_pay():
        result.raise_to(RED, f"有工人当月实发{facts.max_worker_net}元，超过{max_worker_pay()}元"
                             "（疑经班组长代领）")
    if facts.exited_unpaid:
        result.raise_to(RED, f"{facts.exited_unpaid}名当月退场的工人没有当月已发放的工资")
    if facts.last_paid_on and facts.last_paid_on > deadline and not facts.unpaid_workers:
        late = f"工资于约定发薪日后发放（最后发放日期 {facts.last_paid_on:%Y-%m-%d}）"
        if settings.ARREARS_WARN_LATE_PAYMENT:
            result.raise_to(YELLOW, late)
        else:
            result.notes.append(late)
    return result


# ------------------------------------------------------------------ 工资性工程款

RATIO_SETTING = {
    "building": "ARREARS_WAGE_RATIO_BUILDING",      # 建筑土建
    "municipal": "ARREARS_WAGE_RATIO_MUNICIPAL",    # 市政桥梁
    "water": "ARREARS_WAGE_RATIO_WATER",            # 排水
    "road": "ARREARS_WAGE_RATIO_ROAD",              # 道路
    "rail": "ARREARS_WAGE_RATIO_RAIL",              # 地铁土建
}


def wage_ratio(category: str) -> Decimal:
    """The share of the contract amount that is 工资性工程款 for a 项目类别
    (安装, 装饰, 园林 and the rest: ARREARS_WAGE_RATIO_OTHER)."""
    name = RATIO_SETTING.get(category, "ARREARS_WAGE_RATIO_OTHER")
    return Decimal(str(getattr(settings, name)))


def contract_months(start: dt.date, end: dt.date) -> int:
    """Months of the contract period, counting a started month (at least 1)."""
    return max((end.year - start.year) * 12 + end.month - start.month + (end.day > start.day), 1)


def expected_monthly_wages(*, contract_amount_wan: Decimal | None, category: str,
                           start: dt.date, end: dt.date) -> Decimal | None:
    """合同金额（万元）× 比例 ÷ 合同月数, in 元; None without a contract amount."""
    if contract_amount_wan is None:
        return None
    total = contract_amount_wan * Decimal(10000) * wage_ratio(category)
    return (total / contract_months(start, end)).quantize(CENT, rounding=ROUND_HALF_UP)


__all__ = ["month_label", "ZERO"]
