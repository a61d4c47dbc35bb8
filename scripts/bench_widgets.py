"""Benchmark: the review queue's filter form (an authority of 410100: tabs, search, two
dates, order, districts) rendered field by field, `[str(f) for f in form]`, with
Django's template renderer and with labour.core.form_renderer.FastRenderer.

    .venv/bin/python scripts/bench_widgets.py [--repeat 200]

Needs no database (the user is not saved). Prints the median and 95th percentile of
each, unbound and bound.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.forms.renderers import DjangoTemplates
    from django.http import QueryDict

    from labour.accounts.models import User
    from labour.core.form_renderer import FastRenderer
    from labour.core.roles import AccountKind
    from labour.reviews.queue import QueueForm

    user = User(username="bench", kind=AccountKind.AUTHORITY, region_code="410100", is_active=True)
    data = QueryDict("tab=approved&q=%E9%83%91%E5%B7%9E&since=2026-01-01&until=2026-11-30"
                     "&order=new&district=410102")

    def timed(renderer, bound):
        times, html = [], None
        for _ in range(args.repeat):
            form = QueueForm(data if bound else None, user=user, search_label="项目名称或编号")
            form.renderer = renderer
            start = time.perf_counter()
            html = [str(f) for f in form]
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.95) - 1], html

    results = {}
    for bound in (False, True):
        for renderer in (DjangoTemplates(), FastRenderer()):
            timed(renderer, bound)  # warm: templates loaded and cached
            median, p95, html = timed(renderer, bound)
            results.setdefault(bound, []).append(html)
            print(f"{'bound' if bound else 'unbound':8} {type(renderer).__name__:16} "
                  f"median {median:.3f} ms  p95 {p95:.3f} ms  ({len(html)} fields)")
        assert results[bound][0] == results[bound][1], "the two renderers differ"


if __name__ == "__main__":
    main()
