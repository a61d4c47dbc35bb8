"""Benchmark: the authority's review queue with many pending applications.

    .venv/bin/python scripts/bench_review_queue.py --applications 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python scripts/bench_review_queue.py

Builds a throwaway test database, fills it with N pending applications spread
over Henan's regions, and times the queue page (first page, a search, a late
page) as a 410100 reviewer sees it. Prints queries and milliseconds per page.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        setup_test_environment,
        teardown_test_environment,
    )
    from django.utils import timezone

    setup_test_environment()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from labour.accounts.services import save_authority_user
        from labour.attachments.services import store_upload
        from labour.certification.models import EnterpriseApplication
        from labour.testing import make_uscc, upload

        reviewer, _ = save_authority_user(actor=None, username="bench", region_code="410100",
                                          name="郑州市城乡建设局", password="Bench2026")
        files = {f: store_upload(actor=None, uploaded=upload(f"{f}.png"), kind=f)
                 for f in ("certificate", "authorisation_letter", "id_card_front", "id_card_back")}
        regions = ["410102", "410103", "410105", "410171", "410173", "410300", "410700"]
        now = timezone.now()
        rows = [EnterpriseApplication(
            number=f"QYBENCH{i:08d}", name=f"河南测试建设工程有限公司{i}", unit_type="construction",
            credit_code=make_uscc(regions[i % len(regions)], i + 1),
            certificate_valid_until=None, registered_on=now.date() - timedelta(days=3000),
            region_code=regions[i % len(regions)], admin_name="张三",
            admin_phone=f"138{i:08d}", submitted_at=now - timedelta(minutes=args.applications - i),
            **files) for i in range(args.applications)]
        started = time.perf_counter()
        EnterpriseApplication.objects.bulk_create(rows, batch_size=2000)
        print(f"{args.applications} applications created in {time.perf_counter() - started:.1f} s "
              f"on {connection.vendor}")
        client = Client()
        client.force_login(reviewer)
        last_page = (args.applications * 5 // 7) // 20
        for label, url in [("first page", "/certification/review/"),
                           ("search by name", "/certification/review/?q=公司1234"),
                           ("search by code", "/certification/review/?q=" + rows[70].credit_code[:12]),
                           (f"page {last_page}", f"/certification/review/?page={last_page}")]:
            timings = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            print(f"{label:18s} queries={len(queries):2d}  median={statistics.median(timings):7.1f} ms"
                  f"  max={max(timings):7.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
