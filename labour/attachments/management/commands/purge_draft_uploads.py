from django.core.management.base import BaseCommand

from labour.attachments.services import purge_abandoned_drafts


class Command(BaseCommand):
    help = "删除超过指定时间、未被任何认证申请使用的草稿上传文件（每日定时运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=int, default=48)

    def handle(self, *args, older_than_hours, **options):
        removed = purge_abandoned_drafts(older_than_hours=older_than_hours)
        self.stdout.write(f"已删除 {removed} 个未提交的上传文件")
