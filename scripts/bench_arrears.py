"""Benchmark: 「欠薪预警」 (the city authority's page and its variants, 导出), a project's
months, and 「工资发放情况」 (an enterprise account, a general contractor's project
account), on an existing database given by DATABASE_URL; and, with --rebuild, the
set-based `rebuild_arrears` itself.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/payarrears_big \\
        .venv/bin/python scripts/bench_arrears.py --repeat 20 [--rebuild]

Fill the database first (generate_demo_data, then scripts/arrears_synthetic.py or the
payroll generator) and run rebuild_arrears once. Makes (once) a city authority
(410100), an enterprise account for the enterprise with the most participations and
a project account for the general contractor of the largest project. Each page is
requested through the whole Django stack; prints the row counts, then the median and
95th percentile in ms and the queries per page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true", help="time rebuild_arrears too")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from labour.arrears.facts import rebuild, refresh
    from labour.arrears.models import ProjectMonth, UnitMonth
    from labour.core.roles import AccountKind
    from labour.enterprises.models import Enterprise
    from labour.payroll.models import WageLine, WageSheet
    from labour.projects.models import Participant, Project
    from labour.workforce.models import ProjectWorker, WorkerEvent

    settings.ALLOWED_HOSTS = ["testserver"]
    import logging

    logging.getLogger("labour.access").setLevel(logging.WARNING)  # one line per request

    def count(table: str) -> int:  # the planner's estimate is enough for the big tables
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
                row = cursor.fetchone()
                if row and row[0] > 0:
                    return int(row[0])
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - table names above
            return int(cursor.fetchone()[0])

    if args.rebuild:
        t0 = time.perf_counter()
        units, months = rebuild()
        print(f"rebuild_arrears: {units} participant-months, {months} project-months in "
              f"{time.perf_counter() - t0:.1f} s")
    print(f"data on {connection.vendor}: {Project.objects.count()} projects, "
          f"{count(ProjectWorker._meta.db_table)} project workers, "
          f"{count(WorkerEvent._meta.db_table)} events, {count(WageSheet._meta.db_table)} sheets, "
          f"{count(WageLine._meta.db_table)} wage lines, {ProjectMonth.objects.count()} project-months "
          f"({ProjectMonth.objects.exclude(level='').count()} with a level), "
          f"{UnitMonth.objects.count()} participant-months")
    if not ProjectMonth.objects.exists():
        sys.exit("no facts: run manage.py rebuild_arrears first")

    users = get_user_model().objects
    city, _ = users.get_or_create(username="bench_arrears_city", defaults={
        "kind": AccountKind.AUTHORITY, "region_code": "410100", "display_name": "郑州市（bench）"})
    top = (Participant.objects.values("credit_code").annotate(n=Count("id")).order_by("-n").first())
    enterprise = Enterprise.objects.get(credit_code=top["credit_code"])
    owner, _ = users.get_or_create(username=f"bench_arrears_ent_{enterprise.pk}", defaults={
        "kind": AccountKind.ENTERPRISE, "enterprise": enterprise, "display_name": "bench"})
    largest = (ProjectWorker.objects.values("project_id").annotate(n=Count("id")).order_by("-n")
               .first())
    project = Project.objects.get(pk=largest["project_id"])
    gc = Participant.objects.get(project=project, role="general_contractor")
    gc_enterprise = Enterprise.objects.get(credit_code=gc.credit_code)
    reader, _ = users.get_or_create(username=f"bench_arrears_gc_{project.pk}", defaults={
        "kind": AccountKind.PROJECT, "enterprise": gc_enterprise, "project": project,
        "display_name": "bench"})
    print(f"enterprise view: {enterprise.name} on {top['n']} projects; project account of the "
          f"general contractor of {project.code} ({largest['n']} workers)")
    from django.utils import timezone

    month = ProjectMonth.objects.exclude(level="").filter(
        pay_deadline__lt=timezone.localdate()).order_by("-month").values_list(
        "month", flat=True).first()  # the latest month warned (its pay day passed)
    month_text = f"{month:%Y-%m}" if month else ""
    variants = [
        ("欠薪预警 city", city, "GET", "/arrears/warnings/", {}),
        ("欠薪预警 红色", city, "GET", "/arrears/warnings/", {"level": "red"}),
        ("欠薪预警 区县", city, "GET", "/arrears/warnings/", {"district": "410102"}),
        ("欠薪预警 月份", city, "GET", "/arrears/warnings/", {"month": month_text}),
        ("欠薪预警 按应发", city, "GET", "/arrears/warnings/", {"sort": "due"}),
        ("欠薪预警 page 100", city, "GET", "/arrears/warnings/", {"page": 100}),
        ("欠薪预警 项目", city, "GET", f"/arrears/warnings/project/{project.code}/", {}),
        ("首页 (tile+panel)", city, "GET", "/home/", {}),
        ("导出 (one month)", city, "POST", "/arrears/warnings/export/", {"month": month_text}),
        ("导出 (all, limited)", city, "POST", "/arrears/warnings/export/", {}),
        ("工资发放情况 enterprise", owner, "GET", "/arrears/enterprise/", {}),
        ("工资发放情况 ent. month", owner, "GET", "/arrears/enterprise/", {"month": month_text}),
        ("工资发放情况 GC project", reader, "GET", "/arrears/enterprise/", {}),
    ]
    # what every payment, confirmation, 进场 or 退场 adds to its transaction
    timings = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        refresh(project.pk, month or project.created_at.date().replace(day=1))
        timings.append((time.perf_counter() - t0) * 1000)
    print(f"refresh of one project-month ({project.code}, {largest['n']} workers): median "
          f"{statistics.median(timings):.1f} ms")
    clients: dict[int, Client] = {}
    print(f"{'page':<26}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for label, user, method, url, query in variants:
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = Client()
            client.force_login(user)
        call = client.post if method == "POST" else client.get
        call(url, query)  # warm
        timings = []
        repeat = max(3, args.repeat // 4) if method == "POST" else args.repeat
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = call(url, query)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{label:<26}{statistics.median(timings):>10.1f}{p95:>10.1f}{len(queries):>9}",
              flush=True)


if __name__ == "__main__":
    main()
