import os

from django.core.management.base import BaseCommand

from labour.workforce import demo


class Command(BaseCommand):
    help = ("准备演示数据（仅用于本地开发）：主管部门账号；一个项目信息已审核通过的演示项目，"
            "其施工总承包单位和劳务分包单位各有企业账号和项目账号，两个班组和数十名人员。")

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=36)

    def handle(self, *args, workers, **options):
        password = os.environ.get("DEMO_AUTHORITY_PASSWORD", "Demo2026")
        demo.prepare(password=password, workers=workers, say=self.stdout.write)
        self.stdout.write("")
        self.stdout.write("演示账号（manage.py demo_accounts 可再次列出）：")
        for role, username in demo.demo_accounts():
            self.stdout.write(f"  {role}：{username}  密码：{password}")
        self.stdout.write(f"  主管部门管辖：{demo.AUTHORITY_NAME}（{demo.AUTHORITY_REGION}）")
        self.stdout.write("")
