from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from labour.accounts.services import save_authority_user


class Command(BaseCommand):
    help = "创建或更新主管部门审核账号，例如：create_authority_user zzjsj --region 410100 " \
           "--name 郑州市城乡建设局 --password Abc12345"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--region", required=True, help="管辖地区编码（6位）")
        parser.add_argument("--name", required=True, help="主管部门名称")
        parser.add_argument("--password", required=True)

    def handle(self, *args, username, region, name, password, **options):
        try:
            user, created = save_authority_user(actor=None, username=username, region_code=region,
                                                name=name, password=password)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"{'已创建' if created else '已更新'}主管部门账号 {user.username}"
                          f"（{user.display_name}，管辖地区 {user.region_code}）")
