import os

from django.core.management.base import BaseCommand

from labour.accounts.services import save_authority_user

DEMO_USERNAME = "zzjsj"
DEMO_REGION = "410100"
DEMO_NAME = "郑州市城乡建设局"


class Command(BaseCommand):
    help = "准备演示用主管部门账号并打印登录信息（仅用于本地开发）。"

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_AUTHORITY_PASSWORD", "Demo2026")
        save_authority_user(actor=None, username=DEMO_USERNAME, region_code=DEMO_REGION, name=DEMO_NAME,
                            password=password)
        self.stdout.write("")
        self.stdout.write("演示主管部门账号（登录页“主管部门”栏）：")
        self.stdout.write(f"  账号：{DEMO_USERNAME}")
        self.stdout.write(f"  密码：{password}")
        self.stdout.write(f"  管辖：{DEMO_NAME}（{DEMO_REGION}）")
        self.stdout.write("")
