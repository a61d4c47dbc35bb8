"""Benchmark: the payroll PDFs of one big sheet (打印工资支付表, 工资清单, 代发凭证).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paypdfdb .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paypdfdb .venv/bin/python \\
        scripts/bench_payroll_pdf.py --lines 2000

Builds (with the test factories, inside a transaction rolled back at the end) a
project whose labour subcontractor has a team of --lines workers, and a paid sheet
with one line each (计时工资, 加班工资, 借支, 个税), then requests each document
--repeat times through the whole Django stack as the preparing participant (ID
numbers in full: the most decryption). Prints the median time (wall clock, and the
CPU time of this process: on a shared machine the honest figure), the PDF's size and
pages, and the peak memory Python allocated while making the document (tracemalloc,
in a separate run: it slows the code down).
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class Rollback(Exception):
    pass


def build(lines):
    """The sheet and its preparer's account: rows built by the factories (valid by the
    platform's rules) and written with bulk_create (no password hashed per worker)."""
    from datetime import date
    from decimal import Decimal

    from labour.factories import (
        AttachmentFactory,
        EnterpriseAccountFactory,
        EnterpriseFactory,
        ParticipantFactory,
        PaymentFactory,
        PersonFactory,
        ProjectFactory,
        ProjectInformationFactory,
        ProjectWorkerFactory,
        TeamFactory,
        WageCardFactory,
        WageItemFactory,
        WageLineFactory,
        WageSheetFactory,
    )
    from labour.payroll.models import WageItem, WageLine, WageSheet
    from labour.workforce.models import Person, ProjectWorker, WageCard

    gc, unit = EnterpriseFactory(name="基准总包公司"), EnterpriseFactory(name="基准劳务公司")
    project = ProjectFactory(info_status="approved", units={"general_contractor": gc})
    ProjectInformationFactory(project=project)
    sub = ParticipantFactory(project=project, enterprise=unit)
    team = TeamFactory(participant=sub, project=project, name="基准班组")
    account = EnterpriseAccountFactory(enterprise=unit)
    sheet = WageSheetFactory(team=team, month=date(2026, 10, 1), created_by=account,
                             status="paid")
    payment = PaymentFactory(sheet=sheet, paid_on=date(2026, 11, 10), paid_count=lines)
    photo = AttachmentFactory()
    people = Person.objects.bulk_create(
        [PersonFactory.build(photo=photo, created_by=account) for _ in range(lines)])
    workers = ProjectWorker.objects.bulk_create(
        [ProjectWorkerFactory.build(participant=sub, project=project, team=team, person=person,
                                    created_by=account) for person in people])
    WageCard.objects.bulk_create([WageCardFactory.build(worker=w, updated_by=account)
                                  for w in workers])
    rows = WageLine.objects.bulk_create([WageLineFactory.build(
        sheet=sheet, worker=w, gross_total=Decimal("5680.50"), deduction_total=Decimal("512.30"),
        pay_status="paid", payment=payment, paid_on=date(2026, 11, 10),
        card_bank_name="中国建设银行 郑州中原路支行", card_number_token=w.wage_card.card_number_token)
        for w in workers])
    items = [("gross", "计时工资", Decimal("5200.00")), ("gross", "加班工资", Decimal("480.50")),
             ("deduction", "借支", Decimal("500.00")), ("deduction", "个人所得税", Decimal("12.30"))]
    WageItem.objects.bulk_create([WageItemFactory.build(line=line, kind=kind, name=name,
                                                        amount=amount)
                                  for line in rows for kind, name, amount in items])
    WageSheet.objects.filter(pk=sheet.pk).update(
        line_count=lines, gross_total=Decimal("5680.50") * lines,
        deduction_total=Decimal("512.30") * lines, net_total=Decimal("5168.20") * lines,
        paid_total=Decimal("5168.20") * lines)
    return sheet, account


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse
    from pypdf import PdfReader

    settings.ALLOWED_HOSTS = ["testserver"]
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            sheet, account = build(args.lines)
            print(f"built a sheet of {args.lines} lines in {time.perf_counter() - t0:.0f} s "
                  f"on {connection.vendor}")
            client = Client()
            client.force_login(account)
            print(f"{'document':<16}{'median s':>10}{'cpu s':>8}{'queries':>9}{'pages':>7}"
                  f"{'KB':>8}{'peak MB':>9}")
            for label, name in (("工资支付表", "payroll:pay_table"), ("工资清单", "payroll:wage_slips"),
                                ("代发凭证", "payroll:voucher")):
                url = reverse(name, args=[sheet.number])
                timings, cpu = [], []
                for _ in range(args.repeat):
                    queries = []

                    def count(run, sql, *rest, queries=queries):
                        queries.append(sql)
                        return run(sql, *rest)

                    with connection.execute_wrapper(count):
                        t0, c0 = time.perf_counter(), time.process_time()
                        response = client.get(url)
                        timings.append(time.perf_counter() - t0)
                        cpu.append(time.process_time() - c0)
                    assert response.status_code == 200, (label, response.status_code)
                tracemalloc.start()
                client.get(url)
                peak = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
                pages = len(PdfReader(__import__("io").BytesIO(response.content)).pages)
                print(f"{label:<16}{statistics.median(timings):>10.2f}{statistics.median(cpu):>8.2f}"
                      f"{len(queries):>9}{pages:>7}{len(response.content) / 1024:>8.0f}{peak:>9.1f}")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
