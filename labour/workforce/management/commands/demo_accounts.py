import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from labour.workforce import demo


class Command(BaseCommand):
    help = "列出演示账号，每行一个：角色<TAB>账号<TAB>密码（密码已被修改的账号注明）。"

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_AUTHORITY_PASSWORD", "Demo2026")
        users = get_user_model().objects
        for role, username in demo.demo_accounts():
            user = users.get(username=username)
            shown = password if user.check_password(password) else "（已修改，演示密码不再有效）"
            self.stdout.write(f"{role}\t{username}\t{shown}")
