"""Benchmark: a 2,000-line wage sheet on the generated city — 「新建工资表」
(create_sheet), saving its lines (one page of 50, and all 2,000 at once as an
import does), and its page (paged, 50 lines a page) for the labour subcontractor
that prepares it and the general contractor that reads it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/payscale_big .venv/bin/python manage.py \\
        generate_demo_data --projects 5000 --workers 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/payscale_big .venv/bin/python \\
        scripts/bench_payroll.py

Uses the database as it is (run generate_demo_data first). Makes once, on a project
of median size, a team of --lines workers 在场 for three years (with contracts and
cards) and the two accounts. create_sheet and save_lines are timed inside a
transaction that is rolled back (the same month every time, nothing kept); the
page is timed on one draft sheet kept for it. Prints medians, 95th percentiles and
statements, and the size of the data.
"""

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TEAM = "基准测试班组"


class Rollback(Exception):
    pass


def _timed(call, repeat):
    """(median ms, p95 ms, statements, last result) of `call` run in a rolled-back
    transaction `repeat` times."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    timings, statements, result = [], 0, None
    for _ in range(repeat):
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                result = call()
                timings.append((time.perf_counter() - t0) * 1000)
                statements = len(queries)
                raise Rollback
        except Rollback:
            pass
    timings.sort()
    return (statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)],
            statements, result)


def _bench_team(project, participant, size, creator):
    """The team of `size` workers on site for three years (made once, through the
    roster generator's bulk loader)."""
    from django.utils import timezone

    from labour.workforce import crypto
    from labour.workforce.demo import _bulk, demo_attachment, generated_id_number, person_name
    from labour.workforce.models import ProjectWorker, Team
    from labour.workforce.selectors import CARD_PURPOSE, PHONE_PURPOSE, id_number_hash

    team = Team.objects.filter(project=project, participant=participant, name=TEAM).first()
    if team is not None and ProjectWorker.objects.filter(team=team).count() >= size:
        return team
    team = team or Team.objects.create(project=project, participant=participant, name=TEAM,
                                       created_by=creator)
    rng = random.Random(2000)  # noqa: S311 - benchmark data
    photo = demo_attachment(actor=None, kind="photo", text="BENCH")
    now, today = timezone.now(), timezone.localdate()
    entered = today - dt.timedelta(days=3 * 365)
    persons, workers, contracts, cards, events = [], [], [], [], []
    base = 50_000_000 + team.pk * 10_000
    for k in range(size):
        number = generated_id_number(base + k)
        phone = f"15{(base + k) % 10**9:09d}"
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        persons.append((k, person_name(rng), "01", crypto.encrypt(number), id_number_hash(number),
                        "0" if int(number[16]) % 2 else "1", born, "汉", "郑州市公安局",
                        dt.date(2018, 1, 1), dt.date(2038, 1, 1), "河南省郑州市", crypto.encrypt(phone),
                        crypto.lookup_hash(phone, purpose=PHONE_PURPOSE), "13", "02", photo.pk, "", "",
                        creator.pk, now, now))
        workers.append((k, project.pk, participant.pk, k, team.pk, "20", "020", False,
                        entered - dt.timedelta(days=2), True, "on_site", entered, creator.pk, now))
        contracts.append((k, "labour_contract", "0", entered - dt.timedelta(days=5),
                          today + dt.timedelta(days=365), "", creator.pk, now))
        card = f"6228{rng.randrange(10**14, 10**15)}"
        cards.append((k, "313", "郑州银行", "郑州银行某支行", "", crypto.encrypt(card),
                      crypto.lookup_hash(card, purpose=CARD_PURPOSE), creator.pk, now))
        events.append((k, "1", entered, creator.pk, now))
    _bulk(persons, workers, contracts, cards, events)
    return team


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--page-repeat", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from labour.core.roles import AccountKind
    from labour.enterprises.models import Enterprise
    from labour.payroll import services
    from labour.payroll.models import WageLine, WageSheet
    from labour.payroll.rules import this_month
    from labour.projects.models import Participant, Project
    from labour.workforce.models import ProjectWorker, Team

    settings.ALLOWED_HOSTS = ["testserver"]
    workers = ProjectWorker.objects.count()
    if not workers:
        sys.exit("no workers: run manage.py generate_demo_data first")
    with connection.cursor() as cursor:  # estimates: a count of 10 M rows takes seconds
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relname IN "
                       "('payroll_wagesheet', 'payroll_wageline', 'payroll_wageitem')"
                       if connection.vendor == "postgresql" else "SELECT 'none', 0")
        sizes = dict(cursor.fetchall())
    print(f"data: {Project.objects.count()} projects, {workers} project workers, "
          f"~{sizes.get('payroll_wagesheet', 0)} sheets, ~{sizes.get('payroll_wageline', 0)} lines, "
          f"~{sizes.get('payroll_wageitem', 0)} items on {connection.vendor}")

    counts = list(ProjectWorker.objects.values("project_id").annotate(n=Count("id")).order_by("n")
                  .values_list("project_id", "n"))
    made = Team.objects.filter(name=TEAM).select_related("project", "participant").first()
    if made is not None:  # the team of an earlier run (its project is no longer the median)
        project, participant = made.project, made.participant
    else:
        project = Project.objects.get(pk=counts[len(counts) // 2][0])
        participant = Participant.objects.filter(project=project, role="labour_subcontractor").first()
    before = ProjectWorker.objects.filter(project=project).exclude(team__name=TEAM).count()
    gc = Participant.objects.get(project=project, role="general_contractor")
    users = get_user_model().objects
    creator = users.get(username="generator")

    def account(prefix, unit):
        user, _ = users.get_or_create(username=f"{prefix}_{project.pk}", defaults={
            "kind": AccountKind.PROJECT, "project": project, "display_name": "bench",
            "enterprise": Enterprise.objects.get(credit_code=unit.credit_code)})
        return user

    preparer, reader = account("bench_lab", participant), account("bench_gc", gc)
    t0 = time.perf_counter()
    team = _bench_team(project, participant, args.lines, creator)
    size = ProjectWorker.objects.filter(team=team).count()
    print(f"team: {TEAM} of {size} workers on project {project.code} "
          f"({before} workers besides), ready in {time.perf_counter() - t0:.1f} s")

    months = [this_month()]
    while len(months) < 36:
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    used = set(WageSheet.objects.filter(team=team).values_list("month", flat=True))
    free = [m for m in months if m not in used]
    timed_month, kept_month = free[0], free[-1]

    def create(month):
        return lambda: services.create_sheet(actor=preparer, code=project.code, team_id=team.pk,
                                             month=month)

    median, p95, statements, sheet = _timed(create(timed_month), args.repeat)
    print(f"{'step':<34}{'median ms':>10}{'p95 ms':>10}{'statements':>11}")
    label = f"create_sheet ({sheet.line_count} lines)"
    print(f"{label:<34}{median:>10.1f}{p95:>10.1f}{statements:>11}")

    kept = WageSheet.objects.filter(team=team, month=kept_month).first() or create(kept_month)()
    ids = list(WageLine.objects.filter(sheet=kept).order_by("id").values_list("id", flat=True))

    def typed(line_ids, wage):
        return {i: services.LineInput(days="22", work_hours="176", items={
            ("gross", "计时工资"): wage, ("gross", "加班工资"): "300", ("deduction", "借支"): "200"})
            for i in line_ids}

    for label, line_ids in (("save_lines (one page, 50)", ids[:50]),
                            (f"save_lines (all {len(ids)})", ids)):
        median, p95, statements, _ = _timed(
            lambda line_ids=line_ids: services.save_lines(actor=preparer, number=kept.number,
                                                          lines=typed(line_ids, "6600")), args.repeat)
        print(f"{label:<34}{median:>10.1f}{p95:>10.1f}{statements:>11}")
    services.save_lines(actor=preparer, number=kept.number, lines=typed(ids, "6600"))  # kept typed

    pages = (len(ids) + 49) // 50
    clients = {}
    for label, user, page in (("page 1 (preparer, editable)", preparer, 1),
                              (f"page {pages // 2} (preparer, editable)", preparer, pages // 2),
                              (f"page {pages} (general contractor)", reader, pages)):
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = Client()
            client.force_login(user)
        url = f"/payroll/sheet/{kept.number}/"
        client.get(url, {"page": page})  # warm
        timings = []
        for _ in range(args.page_repeat):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url, {"page": page})
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{label:<34}{statistics.median(timings):>10.1f}{p95:>10.1f}{len(queries):>11}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
