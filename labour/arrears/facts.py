"""The facts of 欠薪预警, computed by one set-based SQL statement per table, for one
project-month (`refresh`, called by the payroll and roster services on every write,
inside their transaction) or for everything (`rebuild`, `manage.py rebuild_arrears`).
The two run the same statements, only the scope differs.

Per worker and month M:
  在场     any day of M lies between a 进场 and the following 退场 (or today)
  line     his lines for M (the sheet's month, or 补发月份 = M) on a confirmed sheet
           (已确认/发放中/已发放): 应发 = their 实发, 已发 = those 已发放
  paid     the first 发放日期 of a paid line for M (none: unpaid)
  exited   a 退场 dated in M
summed per participant (UnitMonth) and per project (ProjectMonth, with the pay
deadline and the level of rules.assess, written here in SQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from labour.payroll.rules import days_in, minimum_monthly_wage, this_month

from .rules import default_pay_day, full_month_days, max_worker_pay, pay_deadline, unpaid_red_ratio

CONFIRMED = ("confirmed", "paying", "paid")  # SheetStatus values whose lines are due
ENTRY, EXIT = "1", "0"  # EventKind
PAID = "paid"  # LineStatus


def _date() -> str:
    return "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"


def _months_cte(months: list[dt.date]) -> tuple[str, list[Any]]:
    d = _date()
    rows = ", ".join(f"({d}, {d})" for _ in months)
    params: list[Any] = []
    for month in months:
        params += [month.isoformat(), month.replace(day=days_in(month)).isoformat()]
    return f"months(m_first, m_last) AS (VALUES {rows})", params


def _deadlines_cte(months: list[dt.date]) -> tuple[str, list[Any]]:
    d = _date()
    rows, params = [], []
    for month in months:
        for day in range(1, 29):
            rows.append(f"({d}, %s, {d})")
            params += [month.isoformat(), day, pay_deadline(month, day).isoformat()]
    return f"deadlines(d_month, d_day, d_deadline) AS (VALUES {', '.join(rows)})", params


def _number(value: Decimal) -> str:
    """A setting as an SQL literal (a Decimal from settings, never user input)."""
    return str(Decimal(value))


def _unit_sql(months: list[dt.date], project_id: int | None) -> tuple[str, list[Any]]:
    months_cte, params = _months_cte(months)
    full = _number(full_month_days())
    confirmed = ", ".join(f"'{s}'" for s in CONFIRMED)
    of_project = "AND w.project_id = %s" if project_id is not None else ""
    sheet_of_project = "AND s.project_id = %s" if project_id is not None else ""
    scope = [project_id] if project_id is not None else []
    # only constants and placeholders are formatted in (no value from a user)
    sql = f"""
INSERT INTO arrears_unitmonth (project_id, participant_id, month, on_site, paid_workers,
    unpaid_workers, line_workers, due, paid, last_paid_on, max_worker_net, exited_unpaid,
    line_days)
WITH {months_cte},
ev AS (
    SELECT e.worker_id, e.kind, e.date,
           LEAD(e.date) OVER (PARTITION BY e.worker_id ORDER BY e.date, e.id) AS next_date
    FROM workforce_workerevent e JOIN workforce_projectworker w ON w.id = e.worker_id
    WHERE 1 = 1 {of_project}
),
presence AS (
    SELECT DISTINCT w.project_id, w.participant_id, ev.worker_id, m.m_first AS month
    FROM ev JOIN workforce_projectworker w ON w.id = ev.worker_id
    JOIN months m ON ev.date <= m.m_last AND (ev.next_date IS NULL OR ev.next_date >= m.m_first)
    WHERE ev.kind = '{ENTRY}'
),
exits AS (
    SELECT DISTINCT e.worker_id, m.m_first AS month
    FROM workforce_workerevent e JOIN workforce_projectworker w ON w.id = e.worker_id
    JOIN months m ON e.date >= m.m_first AND e.date <= m.m_last
    WHERE e.kind = '{EXIT}' {of_project}
),
lines AS (
    SELECT s.project_id, s.participant_id, l.worker_id,
           COALESCE(l.back_pay_month, s.month) AS month,
           SUM(l.net_amount) AS due,
           SUM(CASE WHEN l.pay_status = '{PAID}' THEN l.net_amount ELSE 0 END) AS paid,
           MIN(CASE WHEN l.pay_status = '{PAID}' THEN l.paid_on END) AS first_paid,
           SUM(CASE WHEN l.days <= 0 OR l.days > {full} THEN {full} ELSE l.days END) AS days
    FROM payroll_wageline l JOIN payroll_wagesheet s ON s.id = l.sheet_id
    WHERE s.status IN ({confirmed}) {sheet_of_project}
      AND COALESCE(l.back_pay_month, s.month) IN (SELECT m_first FROM months)
    GROUP BY s.project_id, s.participant_id, l.worker_id, COALESCE(l.back_pay_month, s.month)
),
keys AS (
    SELECT project_id, participant_id, worker_id, month FROM presence
    UNION SELECT project_id, participant_id, worker_id, month FROM lines
),
per_worker AS (
    SELECT k.project_id, k.participant_id, k.worker_id, k.month,
           CASE WHEN p.worker_id IS NULL THEN 0 ELSE 1 END AS present,
           CASE WHEN x.worker_id IS NULL THEN 0 ELSE 1 END AS exited,
           CASE WHEN li.worker_id IS NULL THEN 0 ELSE 1 END AS has_line,
           COALESCE(li.due, 0) AS due, COALESCE(li.paid, 0) AS paid, li.first_paid,
           COALESCE(li.days, 0) AS days
    FROM keys k
    LEFT JOIN presence p ON p.worker_id = k.worker_id AND p.month = k.month
                        AND p.participant_id = k.participant_id
    LEFT JOIN lines li ON li.worker_id = k.worker_id AND li.month = k.month
                      AND li.participant_id = k.participant_id
    LEFT JOIN exits x ON x.worker_id = k.worker_id AND x.month = k.month
)
SELECT project_id, participant_id, month,
       SUM(present),
       SUM(CASE WHEN first_paid IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN present = 1 AND first_paid IS NULL THEN 1 ELSE 0 END),
       SUM(has_line), SUM(due), SUM(paid),
       MAX(CASE WHEN present = 1 THEN first_paid END),
       MAX(due),
       SUM(CASE WHEN exited = 1 AND first_paid IS NULL THEN 1 ELSE 0 END),
       SUM(days)
FROM per_worker
GROUP BY project_id, participant_id, month
"""  # noqa: S608
    # placeholders in order: months, ev (project), exits (project), lines (project)
    return sql, params + scope + scope + scope


LEVEL_SQL = """
CASE
  WHEN (on_site > 0 AND unpaid_workers = on_site)
    OR (on_site > 0 AND unpaid_workers > on_site * {ratio})
    OR (line_days > 0 AND due * {full} < line_days * {minimum})
    OR max_worker_net > {max_pay}
    OR exited_unpaid > 0 THEN 'red'
  WHEN unpaid_workers > 0 {late} THEN 'yellow'
  ELSE ''
END"""


def _level_sql() -> str:
    late = ("OR (last_paid_on IS NOT NULL AND last_paid_on > pay_deadline)"
            if settings.ARREARS_WARN_LATE_PAYMENT else "")
    return LEVEL_SQL.format(ratio=_number(unpaid_red_ratio()), minimum=_number(minimum_monthly_wage()),
                            full=_number(full_month_days()),
                            max_pay=_number(max_worker_pay()), late=late)


def _project_sql(months: list[dt.date], project_id: int | None) -> tuple[str, list[Any]]:
    deadlines_cte, params = _deadlines_cte(months)
    d = _date()
    first, last = months[0].isoformat(), months[-1].isoformat()
    of_project = "AND u.project_id = %s" if project_id is not None else ""
    sql = f"""
INSERT INTO arrears_projectmonth (project_id, region_code, month, on_site, paid_workers,
    unpaid_workers, line_workers, due, paid, last_paid_on, max_worker_net, exited_unpaid,
    line_days, pay_deadline, level, refreshed_at)
WITH {deadlines_cte},
agg AS (
    SELECT u.project_id, p.region_code, u.month,
           SUM(u.on_site) AS on_site, SUM(u.paid_workers) AS paid_workers,
           SUM(u.unpaid_workers) AS unpaid_workers, SUM(u.line_workers) AS line_workers,
           SUM(u.due) AS due, SUM(u.paid) AS paid, MAX(u.last_paid_on) AS last_paid_on,
           MAX(u.max_worker_net) AS max_worker_net, SUM(u.exited_unpaid) AS exited_unpaid,
           SUM(u.line_days) AS line_days,
           COALESCE(i.pay_day, %s) AS pay_day
    FROM arrears_unitmonth u JOIN projects_project p ON p.id = u.project_id
    LEFT JOIN projects_projectinformation i ON i.project_id = u.project_id
    WHERE u.month >= {d} AND u.month <= {d} {of_project}
    GROUP BY u.project_id, p.region_code, u.month, COALESCE(i.pay_day, %s)
),
facts AS (
    SELECT agg.*, dl.d_deadline AS pay_deadline
    FROM agg JOIN deadlines dl ON dl.d_month = agg.month AND dl.d_day = agg.pay_day
)
SELECT project_id, region_code, month, on_site, paid_workers, unpaid_workers, line_workers,
       due, paid, last_paid_on, max_worker_net, exited_unpaid, line_days, pay_deadline,
       {_level_sql()}, %s
FROM facts
"""  # noqa: S608
    scope = [project_id] if project_id is not None else []
    return sql, [*params, default_pay_day(), first, last, *scope, default_pay_day(),
                 timezone.now()]


def _lock(project_id: int, month: dt.date) -> None:
    """One refresh of a project-month at a time (PostgreSQL): a second one waits for the
    first to commit, then reads what it wrote (READ COMMITTED: a fresh snapshot per
    statement), so no write is missed however they interleave."""
    if connection.vendor == "postgresql":
        key = (0x41 << 56) | (project_id << 20) | (month.year * 12 + month.month)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def refresh(project_id: int, month: dt.date) -> None:
    """Recompute one project-month (and its participants' months) from the roster and
    the ledger. Called inside the writing service's transaction, so that the facts
    commit (or roll back) with the write that changed them."""
    month = month.replace(day=1)
    with transaction.atomic():
        _lock(project_id, month)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM arrears_unitmonth WHERE project_id = %s AND month = %s",
                           [project_id, month])
            cursor.execute("DELETE FROM arrears_projectmonth WHERE project_id = %s AND month = %s",
                           [project_id, month])
            cursor.execute(*_unit_sql([month], project_id))
            cursor.execute(*_project_sql([month], project_id))


def refresh_project(project_id: int) -> None:
    """Recompute every month of one project (its 约定发薪日 changed, say): the hook a
    page that edits project information calls, inside its transaction."""
    first = _first_month()
    if first is None:
        return
    months = months_between(first, max(this_month(), first))
    with transaction.atomic():
        for month in months:
            _lock(project_id, month)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM arrears_unitmonth WHERE project_id = %s", [project_id])
            cursor.execute("DELETE FROM arrears_projectmonth WHERE project_id = %s", [project_id])
            cursor.execute(*_unit_sql(months, project_id))
            cursor.execute(*_project_sql(months, project_id))


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _first_month() -> dt.date | None:
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT MIN(d) FROM (
                SELECT MIN(date) AS d FROM workforce_workerevent
                UNION ALL SELECT MIN(month) FROM payroll_wagesheet
                UNION ALL SELECT MIN(back_pay_month) FROM payroll_wageline) x""")
        value = cursor.fetchone()[0]
    if value is None:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def rebuild(*, since: dt.date | None = None) -> tuple[int, int]:
    """Recompute every fact (from `since`, else from the first event or sheet) up to
    this month, set-based. Returns (unit months, project months)."""
    first = since or _first_month()
    if first is None:
        months = []
    else:
        months = months_between(first, max(this_month(), first.replace(day=1)))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE arrears_unitmonth, arrears_projectmonth IN EXCLUSIVE MODE")
            # the city's sorts and hashes in memory rather than on disk (this transaction only)
            cursor.execute("SELECT set_config('work_mem', %s, true)",
                           [settings.ARREARS_REBUILD_WORK_MEM])
        cutoff = months[0] if months and since else None
        if cutoff is None:
            cursor.execute("DELETE FROM arrears_unitmonth")
            cursor.execute("DELETE FROM arrears_projectmonth")
        else:
            cursor.execute("DELETE FROM arrears_unitmonth WHERE month >= %s", [cutoff])
            cursor.execute("DELETE FROM arrears_projectmonth WHERE month >= %s", [cutoff])
        if not months:
            return 0, 0
        cursor.execute(*_unit_sql(months, None))
        units = cursor.rowcount
        cursor.execute(*_project_sql(months, None))
        projects = cursor.rowcount
    return units, projects
