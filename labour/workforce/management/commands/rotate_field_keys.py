from django.core.management.base import BaseCommand
from django.db import transaction

from labour.workforce import crypto
from labour.workforce.models import ImportJob, Person, WageCard

# model → its encrypted columns
ENCRYPTED = {
    Person: ("id_number_token", "phone_token", "urgent_contact_phone_token"),
    WageCard: ("card_number_token",),
    ImportJob: ("payload_token",),
}


class Command(BaseCommand):
    help = ("用 FIELD_ENCRYPTION_KEYS 的第一个密钥重新加密全部个人号码（轮换密钥：新密钥放在最前，"
            "运行本命令，再去掉旧密钥）。")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, batch, **options):
        for model, fields in ENCRYPTED.items():
            done = 0
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), batch):
                with transaction.atomic():
                    rows = list(model._default_manager.select_for_update().filter(
                        pk__in=pks[start:start + batch]))
                    for row in rows:
                        for field in fields:
                            setattr(row, field, crypto.rotate(getattr(row, field)))
                    model._default_manager.bulk_update(rows, list(fields))
                    done += len(rows)
            self.stdout.write(f"{model._meta.verbose_name}：{done} 行已用新密钥加密")
