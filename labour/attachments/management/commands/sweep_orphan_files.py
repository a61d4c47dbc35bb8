from django.conf import settings
from django.core.management.base import BaseCommand

from labour.attachments.sweep import sweep_orphan_files


class Command(BaseCommand):
    help = ("删除私有存储中没有任何数据库记录引用、且早于宽限期的文件（如上传中途数据库中断留下的文件；"
            "Celery beat 每日运行）。")

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=float, default=None,
                            help=f"宽限期（小时），默认 ORPHAN_FILE_GRACE_HOURS"
                                 f"（{settings.ORPHAN_FILE_GRACE_HOURS}）")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, older_than_hours, dry_run, **options):
        result = sweep_orphan_files(older_than_hours=older_than_hours, dry_run=dry_run)
        verb = "将删除" if dry_run else "已删除"
        self.stdout.write(f"检查 {result.seen} 个文件，{result.old} 个早于宽限期；"
                          f"{verb} {result.removed} 个无记录引用的文件（{result.removed_bytes} 字节）")
