"""Synthetic wage ledger for the 欠薪预警 benchmark, on PostgreSQL only, by set-based
INSERT … SELECT: WORKERS persons and project workers spread over the teams already
there (run `generate_demo_data --projects 5000 --workers 5000` first), each entered
some day before the first month, 4 % leaving in the last months; then MONTHS monthly
sheets per team ending last month, one line per worker 在场, the older months paid
(one payment per sheet) a few days before the 15th, last month confirmed but unpaid
for 10 % of teams and partly paid for 5 %, a few low-paid and over-paid workers.
Personal-number columns hold placeholders (never decrypted by these pages).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/payarrears_big \\
        .venv/bin/python scripts/arrears_synthetic.py --workers 1000000 --months 12
    … manage.py rebuild_arrears ; scripts/bench_arrears.py

Refuses to run on a database that already holds synthetic rows."""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def month_back(month: dt.date, n: int) -> dt.date:
    for _ in range(n):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only")
    last = month_back(timezone.localdate().replace(day=1), 1)  # last month
    first = month_back(last, args.months - 1)
    entered = first - dt.timedelta(days=20)

    def run(label: str, sql: str, params: list | None = None) -> None:
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            rows = cursor.rowcount
        print(f"{label}: {rows} rows, {time.monotonic() - started:.1f} s", flush=True)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM workforce_person WHERE name LIKE '合成%%'")
        if cursor.fetchone()[0]:
            sys.exit("synthetic rows already there")
        cursor.execute("SELECT min(id) FROM accounts_user")
        creator = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM attachments_attachment LIMIT 1")
        attachment = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM workforce_team")
        teams = cursor.fetchone()[0]
    if not teams:
        sys.exit("no teams: run generate_demo_data first")
    print(f"{args.workers} workers over {teams} teams, months {first:%Y-%m}..{last:%Y-%m}")

    big = ["workforce_person", "workforce_projectworker", "workforce_workerevent",
           "payroll_wageline"]
    with transaction.atomic():
        # secondary indexes off during the load, built once at the end (an index kept
        # row by row over 12 million random inserts is what makes such a load slow)
        with connection.cursor() as cursor:
            cursor.execute("""SELECT indexname, indexdef FROM pg_indexes
                WHERE tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)""",
                           [big])
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        print(f"{len(indexes)} secondary indexes dropped for the load", flush=True)
        run("teams", """CREATE TEMP TABLE syn_team ON COMMIT DROP AS
            SELECT id, participant_id, project_id, row_number() OVER (ORDER BY id) - 1 AS k
            FROM workforce_team""")
        run("persons", """INSERT INTO workforce_person (name, id_type, id_number_token, id_number_hmac,
            gender, birth_date, nation, grant_org, address, phone_token, phone_hmac, politics_type,
            culture_level, urgent_contact_name, urgent_contact_phone_token, created_at, updated_at,
            created_by_id)
            SELECT '合成' || g, '01', 'synthetic', md5('synthetic-' || g), '0', DATE '1985-01-01',
                   '01', '郑州市公安局', '郑州市', 'synthetic', md5('phone-' || g), '', '', '', '',
                   now(), now(), %s
            FROM generate_series(1, %s) g""", [creator, args.workers])
        run("workers", """INSERT INTO workforce_projectworker (work_role, work_type, is_team_leader,
            safety_training_date, has_insurance, status, last_event_date, created_at, created_by_id,
            participant_id, person_id, project_id, team_id)
            SELECT '20', '020', false, %s, true, 'on_site', %s, now(), %s,
                   t.participant_id, p.id, t.project_id, t.id
            FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM workforce_person
                  WHERE name LIKE '合成%%') p
            JOIN syn_team t ON t.k = p.rn %% %s""",
            [entered, entered, creator, teams])
        run("entries", """INSERT INTO workforce_workerevent (kind, date, recorded_at, recorded_by_id,
            worker_id)
            SELECT '1', %s - (w.id %% 40)::int, now(), %s, w.id
            FROM workforce_projectworker w JOIN workforce_person p ON p.id = w.person_id
            WHERE p.name LIKE '合成%%'""", [entered, creator])
        # 4 %% leave during the last two months
        run("exits", """INSERT INTO workforce_workerevent (kind, date, recorded_at, recorded_by_id,
            worker_id)
            SELECT '0', %s + (w.id %% 50)::int, now(), %s, w.id
            FROM workforce_projectworker w JOIN workforce_person p ON p.id = w.person_id
            WHERE p.name LIKE '合成%%' AND w.id %% 25 = 0""", [month_back(last, 1), creator])
        run("exited status", """UPDATE workforce_projectworker w SET status = 'exited'
            FROM workforce_workerevent e WHERE e.worker_id = w.id AND e.kind = '0'
            AND e.recorded_by_id = %s""", [creator])
        for table in big[:3]:  # the planner's counts for the joins below
            run(f"analyze {table}", f"ANALYZE {table}")
        run("months", """CREATE TEMP TABLE syn_month ON COMMIT DROP AS
            SELECT m::date AS month, (m + interval '1 month' - interval '1 day')::date AS month_end,
                   (m + interval '1 month' + interval '9 days')::date AS paid_on
            FROM generate_series(%s::date, %s::date, interval '1 month') m""", [first, last])
        # last month: 10 %% of teams confirmed and unpaid, 5 %% partly paid, the rest paid
        run("sheets", """INSERT INTO payroll_wagesheet (number, month, status, line_count, gross_total,
            deduction_total, net_total, paid_total, created_at, updated_at, confirmed_at, paid_at,
            created_by_id, participant_id, project_id, team_id)
            SELECT 'SY' || to_char(m.month, 'YYMM') || t.id, m.month,
                   CASE WHEN m.month = %s AND t.id %% 10 = 0 THEN 'confirmed'
                        WHEN m.month = %s AND t.id %% 20 = 1 THEN 'paying' ELSE 'paid' END,
                   0, 0, 0, 0, 0, now(), now(), now(), now(), %s, t.participant_id, t.project_id, t.id
            FROM syn_team t CROSS JOIN syn_month m""", [last, last, creator])
        run("payments", """INSERT INTO payroll_payment (paid_on, batch_number, payer_bank,
            payer_account_name, payer_account_token, paid_count, failed_count, paid_amount,
            recorded_at, receipt_id, recorded_by_id, sheet_id)
            SELECT m.paid_on, 'PC' || s.id, '中国建设银行', '工资专用账户', 'synthetic', 0, 0, 0, now(),
                   %s, %s, s.id
            FROM payroll_wagesheet s JOIN syn_month m ON m.month = s.month
            WHERE s.status IN ('paid', 'paying') AND s.number LIKE 'SY%%'""", [attachment, creator])
        run("lines", """INSERT INTO payroll_wageline (days, gross_total, deduction_total, net_amount,
            is_back_pay, pay_status, paid_on, failure_reason, card_bank_code, card_bank_name,
            card_number_token, payment_id, worker_id, sheet_id)
            SELECT 22, x.net, 0, x.net, false,
                   CASE WHEN s.status = 'paid' OR (s.status = 'paying' AND w.id %% 4 <> 0)
                        THEN 'paid' ELSE 'unpaid' END,
                   CASE WHEN s.status = 'paid' OR (s.status = 'paying' AND w.id %% 4 <> 0)
                        THEN m.paid_on END,
                   '', '105', '中国建设银行', 'synthetic',
                   CASE WHEN s.status = 'paid' OR (s.status = 'paying' AND w.id %% 4 <> 0)
                        THEN pay.id END,
                   w.id, s.id
            FROM workforce_projectworker w
            JOIN workforce_person p ON p.id = w.person_id AND p.name LIKE '合成%%'
            JOIN payroll_wagesheet s ON s.team_id = w.team_id AND s.number LIKE 'SY%%'
            JOIN syn_month m ON m.month = s.month
            LEFT JOIN payroll_payment pay ON pay.sheet_id = s.id
            CROSS JOIN LATERAL (SELECT CASE WHEN w.id %% 997 = 0 THEN 60000.00
                                            WHEN w.id %% 211 = 0 THEN 800.00
                                            ELSE 5000 + (w.id %% 3000) END::numeric(14, 2) AS net) x
            WHERE NOT EXISTS (SELECT 1 FROM workforce_workerevent e WHERE e.worker_id = w.id
                              AND e.kind = '0' AND e.date < m.month)""")
        # Django's foreign keys are deferred: check them now (an index cannot be built
        # on a table with pending checks)
        run("foreign keys checked", "SET CONSTRAINTS ALL IMMEDIATE")
        run("work_mem", "SELECT set_config('maintenance_work_mem', '256MB', true)")
        for name, definition in indexes:
            run(f"index {name}", definition)
    run("analyze", "ANALYZE")


if __name__ == "__main__":
    main()
