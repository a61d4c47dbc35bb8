import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from labour.workforce.crypto import new_key


class Command(BaseCommand):
    help = ("本地开发：在 var/ 下生成个人号码加密和检索摘要的开发密钥文件（已有则不变）。"
            "生产环境用环境变量 FIELD_ENCRYPTION_KEYS 和 LOOKUP_HMAC_KEY。")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("生产环境不使用开发密钥文件：请设置 FIELD_ENCRYPTION_KEYS 和 LOOKUP_HMAC_KEY")
        path = settings.DEV_KEYS_FILE
        if path.exists():
            self.stdout.write(f"开发密钥文件已存在：{path}")
            return
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"FIELD_ENCRYPTION_KEYS": [new_key()],
                                    "LOOKUP_HMAC_KEY": secrets.token_hex(32)}), encoding="utf-8")
        path.chmod(0o600)
        self.stdout.write(f"已生成开发密钥文件：{path}（勿提交、勿用于生产）")
