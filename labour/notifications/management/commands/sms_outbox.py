from django.core.management.base import BaseCommand

from labour.notifications.models import SmsMessage


class Command(BaseCommand):
    help = "打印发给某手机号的最近短信内容，每条一行（按时间先后）。"

    def add_arguments(self, parser):
        parser.add_argument("--phone", required=True)
        parser.add_argument("--last", type=int, default=1)

    def handle(self, *args, phone, last, **options):
        messages = list(SmsMessage.objects.filter(phone=phone).order_by("-created_at", "-id")
                        .values_list("text", flat=True)[:max(last, 0)])
        for text in reversed(messages):
            self.stdout.write(" ".join(text.split()))
