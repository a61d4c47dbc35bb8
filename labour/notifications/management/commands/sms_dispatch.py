from django.core.management.base import BaseCommand

from labour.notifications.services import deliver, due_messages


class Command(BaseCommand):
    help = "发送所有到期的待发送/待重试短信（无 Celery beat 时可由定时任务调用）。"

    def handle(self, *args, **options):
        ids = list(due_messages())
        results = [deliver(pk) for pk in ids]
        self.stdout.write(f"处理 {len(ids)} 条：" + "，".join(str(r) for r in results))
