"""Benchmark: 批量导入 of a 5,000-row file — the check (preview) and 「确认导入」.

    .venv/bin/python scripts/bench_import.py --rows 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wfdb .venv/bin/python scripts/bench_import.py

Builds a throwaway test database (SQLite by default), a project with a labour
subcontractor and its team, writes a filled template with --rows valid rows
(every third with a wage card), then times start_import + check_import (the
preview) and confirm_import + run_import (one transaction), as the pages call
them. Prints seconds and the process's peak memory (RSS).
"""

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import setup_test_environment
    from openpyxl import load_workbook

    setup_test_environment()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    private = {"BACKEND": "labour.attachments.storage.PrivateFileSystemStorage",
               "OPTIONS": {"location": tempfile.mkdtemp(prefix="bench-import-"), "base_url": None}}
    settings.STORAGES = {**settings.STORAGES, "default": private, "private": private}
    settings.CELERY_TASK_ALWAYS_EAGER = True
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from labour.factories import EnterpriseFactory, ParticipantFactory, ProjectAccountFactory, ProjectFactory
    from labour.workforce import importing
    from labour.workforce.demo import generated_id_number, person_name
    from labour.workforce.importing import COLUMNS, template_workbook
    from labour.workforce.models import ProjectWorker, Team

    lab = EnterpriseFactory()
    project = ProjectFactory(info_status="approved")
    part = ParticipantFactory(project=project, role="labour_subcontractor", enterprise=lab)
    actor = ProjectAccountFactory(enterprise=lab, project=project)
    Team.objects.create(project=project, participant=part, name="钢筋一班", created_by=actor)

    import random

    rng = random.Random(5)
    book = load_workbook(io.BytesIO(template_workbook(["钢筋一班"], rows=args.rows + 1)))
    sheet = book["人员名单"]
    keys = [c.key for c in COLUMNS]
    for r in range(args.rows):
        row = {"name": person_name(rng), "id_type": "居民身份证", "id_number": generated_id_number(r),
               "nation": "汉族", "grant_org": "郑州市公安局", "id_valid_from": "2020-01-01",
               "id_valid_until": "长期", "address": "河南省郑州市中原区某路1号",
               "phone": f"139{r:08d}", "politics_type": "群众", "culture_level": "初中",
               "team": "钢筋一班", "work_role": "建筑工人", "work_type": "020 钢筋工",
               "is_team_leader": "否", "safety_training_date": "2026-01-05", "has_insurance": "是"}
        if r % 3 == 0:
            row.update(bank="郑州银行", branch_name="郑州银行中原支行", card_number=f"62284800{r:09d}")
        for c, key in enumerate(keys, start=1):
            if key in row:
                sheet.cell(row=r + 2, column=c, value=row[key])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    del book, sheet
    print(f"file: {args.rows} rows, {len(data) / 1024 / 1024:.1f} MB, database {connection.vendor}")

    import cProfile

    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    t0 = time.perf_counter()
    job = importing.start_import(actor=actor, code=project.code,
                                 upload=SimpleUploadedFile("人员名单.xlsx", data))
    importing.check_import(job.pk)
    job.refresh_from_db()
    t1 = time.perf_counter()
    assert job.status == "checked" and job.accepted_count == args.rows, (job.status, job.refusals[:3])
    job = importing.confirm_import(actor=actor, code=project.code, job_id=job.pk)
    importing.run_import(job.pk)
    job.refresh_from_db()
    t2 = time.perf_counter()
    assert job.status == "imported" and ProjectWorker.objects.count() == args.rows
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"preview (upload + check): {t1 - t0:.1f} s")
    print(f"确认导入 (one transaction): {t2 - t1:.1f} s")
    print(f"total: {t2 - t0:.1f} s; peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
