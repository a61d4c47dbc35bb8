"""`manage.py rebuild_arrears [--since 2026-01]`: recompute every fact of 欠薪预警 from
the roster and the wage ledger, set-based (one INSERT … SELECT per table). The
services keep the facts correct on every write; this repairs them after a bulk load,
a change of settings (thresholds, holidays) or of a project's 约定发薪日, and may run
nightly."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from labour.arrears.facts import rebuild
from labour.payroll.rules import RuleError, parse_month


class Command(BaseCommand):
    help = "重新计算欠薪预警的项目月度数据"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", default="", help="从该月份（如 2026-01）起重新计算")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            try:
                since = parse_month(options["since"], label="--since")
            except RuleError as exc:
                raise CommandError(exc.message) from None
        started = time.monotonic()
        units, projects = rebuild(since=since)
        self.stdout.write(f"参建单位月度 {units} 行，项目月度 {projects} 行，"
                          f"用时 {time.monotonic() - started:.1f} 秒")
