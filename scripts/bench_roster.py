"""Benchmark: 人员管理 (a project's roster) and 人员总览 (an enterprise's workers
across its projects) on a generated city.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wfdb .venv/bin/python manage.py \\
        generate_demo_data --projects 5000 --workers 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wfdb .venv/bin/python scripts/bench_roster.py

Uses the database as it is (run generate_demo_data first). Picks a project of
median size and the enterprise with the most workers, makes (once) a general
contractor's project account for that project and an enterprise account for that
enterprise, and requests each page variant --repeat times through the whole
Django stack (middleware, session, templates, decrypting the page's rows).
Prints the median and 95th percentile in ms and the queries per page.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
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
    from labour.projects.models import Participant, Project
    from labour.workforce.models import ProjectWorker

    settings.ALLOWED_HOSTS = ["testserver"]
    workers = ProjectWorker.objects.count()
    projects = Project.objects.count()
    if not workers:
        sys.exit("no workers: run manage.py generate_demo_data first")
    print(f"data: {projects} projects, {workers} project workers on {connection.vendor}")

    counts = list(ProjectWorker.objects.values("project_id").annotate(n=Count("id")).order_by("n")
                  .values_list("project_id", "n"))
    project_id, size = counts[len(counts) // 2]
    project = Project.objects.get(pk=project_id)
    gc = Participant.objects.get(project=project, role="general_contractor")
    top = (ProjectWorker.objects.values("participant__credit_code").annotate(n=Count("id"))
           .order_by("-n").first())
    enterprise = Enterprise.objects.get(credit_code=top["participant__credit_code"])
    users = get_user_model().objects
    gc_enterprise = Enterprise.objects.get(credit_code=gc.credit_code)
    reader, _ = users.get_or_create(username=f"bench_gc_{project.pk}", defaults={
        "kind": AccountKind.PROJECT, "enterprise": gc_enterprise, "project": project,
        "display_name": "bench"})
    owner, _ = users.get_or_create(username=f"bench_ent_{enterprise.pk}", defaults={
        "kind": AccountKind.ENTERPRISE, "enterprise": enterprise, "display_name": "bench"})
    sample = (ProjectWorker.objects.filter(project=project).select_related("person", "team")
              .order_by("id")[size // 2])
    own_sample = (ProjectWorker.objects.filter(participant__credit_code=enterprise.credit_code)
                  .select_related("person").order_by("id").first())
    print(f"roster: project {project.code} with {size} workers (median project), read by its "
          f"general contractor's project account")
    print(f"overview: enterprise {enterprise.name} with {top['n']} workers on "
          f"{Participant.objects.filter(credit_code=enterprise.credit_code).count()} projects")
    base = f"/workforce/roster/{project.code}/"
    variants = [
        ("roster", reader, base, {}),
        ("roster 在场", reader, base, {"status": "on_site"}),
        ("roster 工种", reader, base, {"work_type": sample.work_type}),
        ("roster 班组", reader, base, {"team": sample.team_id}),
        ("roster 参建单位+已退场", reader, base, {"unit": sample.participant_id, "status": "exited"}),
        ("roster 姓名", reader, base, {"q": sample.person.name}),
        ("roster 证件号码", reader, base, {"q": sample.person.id_number}),
        ("roster page 3", reader, base, {"page": 3}),
        ("人员总览", owner, "/workforce/overview/", {}),
        ("人员总览 在场", owner, "/workforce/overview/", {"status": "on_site"}),
        ("人员总览 姓名", owner, "/workforce/overview/", {"q": own_sample.person.name}),
        ("人员总览 证件号码", owner, "/workforce/overview/", {"q": own_sample.person.id_number}),
        ("人员总览 项目", owner, "/workforce/overview/", {"project": own_sample.project_id}),
        ("人员总览 page 50", owner, "/workforce/overview/", {"page": 50}),
    ]
    clients = {}
    print(f"{'page':<26}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'rows':>7}")
    for label, user, url, query in variants:
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = Client()
            client.force_login(user)
        client.get(url, query)  # warm
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url, query)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        rows = response.content.decode().count('<td class="c-date">')
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{label:<26}{statistics.median(timings):>10.1f}{p95:>10.1f}{len(queries):>9}{rows:>7}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
