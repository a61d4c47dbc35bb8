"""Every warning rule on hand-built months of the payroll world (October 2026: 「whole」
在场 all month, 「part」 in on 10-10 and out on 10-20; today 2026-11-20; October's pay
day, the 15th of November, is a Sunday: the 13th)."""

from datetime import date
from decimal import Decimal

import pytest

from labour.arrears.facts import rebuild
from labour.arrears.models import ProjectMonth
from labour.arrears.rules import assess, contract_months, expected_monthly_wages, pay_deadline
from labour.arrears.selectors import warnings_for

from .helpers import NOV, OCT, extra_workers, facts, line, sheet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_20th")]


def _check(fact, level):
    """The stored level (SQL) and the rules read in Python agree."""
    assert fact.level == level
    assert assess(fact).level == level
    return assess(fact).reasons


@pytest.mark.parametrize(("month", "pay_day", "deadline"), [
    (date(2026, 10, 1), 15, date(2026, 11, 13)),   # Sunday 11-15 → Friday
    (date(2026, 10, 1), 16, date(2026, 11, 16)),   # a Monday: kept
    (date(2026, 9, 1), 5, date(2026, 9, 30)),      # 国庆 10-01..07 → the last working day before
    (date(2026, 9, 1), 10, date(2026, 10, 10)),    # Saturday 10-10 is a 上班 day (调休)
    (date(2026, 1, 1), 15, date(2026, 2, 14)),     # 春节 02-15..23; Saturday 02-14 上班
    (date(2026, 4, 1), 5, date(2026, 4, 30)),      # 劳动节 05-01..05 (04-30 Thursday)
    (date(2025, 9, 1), 8, date(2025, 9, 30)),      # 2025 国庆中秋 10-01..08
    (date(2025, 9, 1), 11, date(2025, 10, 11)),    # 2025-10-11 Saturday 上班
])
def test_the_pay_day_moves_before_holidays_and_rest_days(month, pay_day, deadline):
    assert pay_deadline(month, pay_day) == deadline


def test_holidays_only_when_weekends_do_not_move_it(settings):
    settings.ARREARS_PAY_DAY_SKIPS_WEEKENDS = False
    assert pay_deadline(date(2026, 10, 1), 15) == date(2026, 11, 15)
    assert pay_deadline(date(2026, 9, 1), 5) == date(2026, 9, 30)


def test_paid_in_time_no_warning(world):
    oct_sheet = sheet(world)
    line(oct_sheet, world["people"]["whole"], "6000", paid_on=date(2026, 11, 10))
    line(oct_sheet, world["people"]["part"], "3000", paid_on=date(2026, 11, 10))
    fact = facts(world)
    assert (fact.on_site, fact.paid_workers, fact.unpaid_workers) == (2, 2, 0)
    assert (fact.due, fact.paid) == (Decimal("9000.00"), Decimal("9000.00"))
    assert fact.last_paid_on == date(2026, 11, 10) and fact.pay_deadline == date(2026, 11, 13)
    assert _check(fact, "") == []


def test_unpaid_month_is_red(world):
    fact = facts(world)  # no sheet at all
    assert (fact.on_site, fact.paid_workers, fact.due) == (2, 0, Decimal("0.00"))
    reasons = _check(fact, "red")
    assert "2名在场工人均没有已发放的工资" in reasons[0]
    assert "约定发薪日（2026-11-13）已过" in reasons[0]
    assert any("1名当月退场的工人" in r for r in reasons)  # 「part」 left in October


def test_a_confirmed_sheet_not_yet_paid_is_due_and_red(world):
    oct_sheet = sheet(world, status="confirmed")
    line(oct_sheet, world["people"]["whole"], "6000")
    line(oct_sheet, world["people"]["part"], "3000")
    fact = facts(world)
    assert (fact.due, fact.paid, fact.line_workers) == (Decimal("9000.00"), Decimal("0.00"), 2)
    _check(fact, "red")


def test_partly_paid_yellow_under_ten_percent_red_above(world):
    crew = extra_workers(world, 9)  # 11 在场 in October
    oct_sheet = sheet(world)
    for worker in [world["people"]["whole"], world["people"]["part"], *crew[:8]]:
        line(oct_sheet, worker, "6000", paid_on=date(2026, 11, 10))
    line(oct_sheet, crew[8], "6000", failed=True)
    fact = facts(world)
    assert (fact.on_site, fact.paid_workers, fact.unpaid_workers) == (11, 10, 1)
    reasons = _check(fact, "yellow")
    assert reasons == ["约定发薪日（2026-11-13）已过，11名在场工人中1名没有已发放的工资（9.1%）"]

    lonely = extra_workers(world, 1)[0]  # a 12th, nobody paid him: 2 of 12 = 16.7 %
    line(oct_sheet, lonely, "6000")
    fact = facts(world)
    assert "12名在场工人中2名没有已发放的工资（16.7%）" in _check(fact, "red")[0]


def test_paid_late_is_noted_and_a_setting_makes_it_yellow(world, settings):
    oct_sheet = sheet(world)
    line(oct_sheet, world["people"]["whole"], "6000", paid_on=date(2026, 11, 10))
    line(oct_sheet, world["people"]["part"], "3000", paid_on=date(2026, 11, 18))
    fact = facts(world)
    assert fact.last_paid_on == date(2026, 11, 18)
    _check(fact, "")
    assert assess(fact).notes == ["工资于约定发薪日后发放（最后发放日期 2026-11-18）"]
    settings.ARREARS_WARN_LATE_PAYMENT = True
    fact = facts(world)
    assert _check(fact, "yellow") == ["工资于约定发薪日后发放（最后发放日期 2026-11-18）"]


def test_back_pay_on_a_later_sheet_pays_the_month(world):
    oct_sheet = sheet(world)
    line(oct_sheet, world["people"]["whole"], "6000", paid_on=date(2026, 11, 10))
    nov_sheet = sheet(world, month=NOV)
    line(nov_sheet, world["people"]["part"], "3000", paid_on=date(2026, 11, 12), back_pay_month=OCT)
    fact = facts(world)
    assert (fact.paid_workers, fact.unpaid_workers, fact.paid) == (2, 0, Decimal("9000.00"))
    _check(fact, "")


def test_average_below_the_minimum_wage_is_red(world, settings):
    oct_sheet = sheet(world)
    line(oct_sheet, world["people"]["whole"], "2500", paid_on=date(2026, 11, 10))
    line(oct_sheet, world["people"]["part"], "1500", paid_on=date(2026, 11, 10))
    fact = facts(world)  # two whole months of attendance (22 days each): average 2000 < 2100
    assert fact.line_days == Decimal("43.50")
    assert _check(fact, "red") == ["按出勤天数折算，人均月实发2000.00元，低于当地最低月工资标准2100.00元"]
    settings.MINIMUM_MONTHLY_WAGE = "2000.00"
    _check(facts(world), "")


def test_a_worker_who_came_late_in_the_month_does_not_pull_the_average_down(world):
    """「part」 worked 5 days for 480 元 beside a whole month at 2600: per worker 1540 元,
    but per month of attendance (21.75 + 5 days) 2503.55 元, above the minimum."""
    oct_sheet = sheet(world)
    line(oct_sheet, world["people"]["whole"], "2600", paid_on=date(2026, 11, 10))
    short = line(oct_sheet, world["people"]["part"], "480", paid_on=date(2026, 11, 10))
    short.days = Decimal("5.0")
    short.save(update_fields=["days"])
    rebuild()
    fact = ProjectMonth.objects.get(project=world["project"], month=OCT)
    assert fact.line_days == Decimal("26.75")
    assert _check(fact, "") == []
    short.days = Decimal("0.0")  # no attendance typed: counted as a whole month
    short.save(update_fields=["days"])
    rebuild()
    fact = ProjectMonth.objects.get(project=world["project"], month=OCT)
    assert _check(fact, "red") == ["按出勤天数折算，人均月实发1540.00元，低于当地最低月工资标准2100.00元"]


def test_one_worker_over_fifty_thousand_is_red(world, settings):
    oct_sheet = sheet(world)
    line(oct_sheet, world["people"]["whole"], "50000.01", paid_on=date(2026, 11, 10))
    line(oct_sheet, world["people"]["part"], "3000", paid_on=date(2026, 11, 10))
    fact = facts(world)
    assert fact.max_worker_net == Decimal("50000.01")
    assert _check(fact, "red") == ["有工人当月实发50000.01元，超过50000.00元（疑经班组长代领）"]
    settings.ARREARS_MAX_WORKER_MONTHLY_PAY = "60000"
    _check(facts(world), "")


def test_a_worker_who_left_without_his_last_month_paid_is_red(world):
    crew = extra_workers(world, 20)  # 22 在场: one unpaid is under 10 %
    oct_sheet = sheet(world)
    for worker in [world["people"]["whole"], *crew]:
        line(oct_sheet, worker, "6000", paid_on=date(2026, 11, 10))
    fact = facts(world)
    assert (fact.unpaid_workers, fact.exited_unpaid) == (1, 1)  # 「part」 left on 10-20
    reasons = _check(fact, "red")
    assert reasons[-1] == "1名当月退场的工人没有当月已发放的工资"


def test_nothing_is_warned_before_the_pay_day(world, time_machine):
    time_machine.move_to(date(2026, 11, 13))  # October's pay day itself
    fact = facts(world)
    assert fact.level == "red"  # what it will be once the day has passed
    assert assess(fact, today=date(2026, 11, 13)).level == ""
    assert assess(fact, today=date(2026, 11, 13)).notes == ["约定发薪日（2026-11-13）未到，暂不预警"]
    assert list(warnings_for(world["gc"])) == []


def test_a_project_pay_day_before_a_holiday_warns_sooner(world, time_machine):
    info = world["project"].information
    info.pay_day = 5
    info.save()
    time_machine.move_to(date(2026, 10, 3))  # September's pay day 10-05 moved to 09-30
    fact = facts(world, month=date(2026, 9, 1))
    assert fact.pay_deadline == date(2026, 9, 30)
    assert assess(fact, today=date(2026, 10, 3)).level == "red"


def test_no_facts_for_a_month_nobody_was_on_site(world):
    rebuild()
    months = set(ProjectMonth.objects.filter(project=world["project"]).values_list("month", flat=True))
    assert months == {date(2026, 8, 1), date(2026, 9, 1), OCT, NOV}


def test_expected_monthly_wage_funds():
    assert contract_months(date(2026, 3, 1), date(2028, 3, 1)) == 24
    assert contract_months(date(2026, 3, 5), date(2026, 3, 20)) == 1
    amount = expected_monthly_wages(contract_amount_wan=Decimal("1200"), category="building",
                                    start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert amount == Decimal("200000.00")  # 12,000,000 × 20 % ÷ 12
    assert expected_monthly_wages(contract_amount_wan=Decimal("1200"), category="municipal",
                                  start=date(2026, 1, 1), end=date(2026, 12, 31)) == Decimal("150000.00")
    assert expected_monthly_wages(contract_amount_wan=Decimal("1200"), category="rail",
                                  start=date(2026, 1, 1), end=date(2026, 12, 31)) == Decimal("100000.00")
    assert expected_monthly_wages(contract_amount_wan=None, category="building",
                                  start=date(2026, 1, 1), end=date(2026, 12, 31)) is None
