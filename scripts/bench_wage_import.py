"""Benchmark: 导入工资明细 of a 2,000-line wage sheet — 「下载模板」, the check (preview)
and 「确认导入」 (save_lines in one transaction).

    .venv/bin/python scripts/bench_wage_import.py --lines 2000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/payimportdb .venv/bin/python scripts/bench_wage_import.py

Builds a throwaway test database (SQLite by default), a labour subcontractor's team
with --lines workers 在场 last month and its sheet, downloads the template, types
出勤天数, 工时 and three items into every row, then times template_workbook,
start_import + check_import (the preview) and confirm_import + run_import, as the
pages call them. Prints seconds and the process's peak memory (RSS).
"""

import argparse
import datetime as dt
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
    parser.add_argument("--lines", type=int, default=2000)
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
               "OPTIONS": {"location": tempfile.mkdtemp(prefix="bench-wage-import-"), "base_url": None}}
    settings.STORAGES = {**settings.STORAGES, "default": private, "private": private}
    settings.CELERY_TASK_ALWAYS_EAGER = True
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from labour.factories import (
        EnterpriseFactory,
        ParticipantFactory,
        ProjectAccountFactory,
        ProjectFactory,
        ProjectWorkerFactory,
        TeamFactory,
        WorkerEventFactory,
    )
    from labour.payroll import importing, services
    from labour.payroll.models import WageLine
    from labour.payroll.rules import this_month
    from labour.workforce.importing import check_import, run_import

    lab = EnterpriseFactory()
    project = ProjectFactory(info_status="approved")
    part = ParticipantFactory(project=project, role="labour_subcontractor", enterprise=lab)
    actor = ProjectAccountFactory(enterprise=lab, project=project)
    team = TeamFactory(participant=part, project=project, name="钢筋一班")
    month = (this_month() - dt.timedelta(days=1)).replace(day=1)
    started = time.monotonic()
    for _ in range(args.lines):
        worker = ProjectWorkerFactory(participant=part, project=project, team=team)
        WorkerEventFactory(worker=worker, kind="1", date=month - dt.timedelta(days=30))
    print(f"setup: {args.lines} workers in {time.monotonic() - started:.1f} s")
    sheet = services.create_sheet(actor=actor, code=project.code, team_id=team.pk, month=month)

    started = time.monotonic()
    data = importing.template_workbook(sheet)
    template_s = time.monotonic() - started
    book = load_workbook(io.BytesIO(data))
    ws = book["工资明细"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=col["出勤天数"], value=21.5)
        ws.cell(row=r, column=col["工时"], value=172)
        ws.cell(row=r, column=col["计时工资"], value=6000 + r)
        ws.cell(row=r, column=col["加班工资"], value=350.5)
        ws.cell(row=r, column=col["借支"], value=200)
    buffer = io.BytesIO()
    book.save(buffer)
    upload = buffer.getvalue()

    started = time.monotonic()
    job = importing.start_import(actor=actor, number=sheet.number,
                                 upload=SimpleUploadedFile("工资明细.xlsx", upload))
    check_import(job.pk)
    job.refresh_from_db()
    check_s = time.monotonic() - started
    assert job.accepted_count == args.lines, job.refusals[:5]

    started = time.monotonic()
    job = importing.confirm_import(actor=actor, number=sheet.number, job_id=job.pk)
    job = run_import(job.pk)
    confirm_s = time.monotonic() - started
    job.refresh_from_db()
    assert job.status == "imported", job.message
    sheet.refresh_from_db()
    assert WageLine.objects.filter(sheet=sheet, days=21.5).count() == args.lines
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}; lines: {args.lines}; file: {len(upload) // 1024} KB")
    print(f"下载模板: {template_s:.2f} s")
    print(f"check (preview): {check_s:.2f} s")
    print(f"确认导入 (save_lines, one transaction): {confirm_s:.2f} s")
    print(f"sheet 实发合计: {sheet.net_total} 元; peak RSS {peak:.0f} MB")
    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
