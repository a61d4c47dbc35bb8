import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from labour.workforce.demo import CityPlan, generate_city


class Command(BaseCommand):
    help = ("生成一座城市的演示数据（用于性能测试）：企业、项目（信息已审核）及参建单位、班组、"
            "人员（证件号码校验位有效，号码加密存储）、劳动合同、工资卡和进退场记录。批量插入。")

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=50)
        parser.add_argument("--workers", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--chunk", type=int, default=50, help="每个事务的项目数")

    def handle(self, *args, projects, workers, seed, chunk, **options):
        if projects < 1 or workers < projects:
            raise CommandError("--projects 至少为1，--workers 不少于项目数")
        started = time.monotonic()
        self.stdout.write(f"生成 {projects} 个项目、{workers} 名人员（{connection.vendor}）…")
        counts = generate_city(CityPlan(projects=projects, workers=workers, seed=seed),
                               say=self.stdout.write, chunk=chunk)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(", ".join(f"{k} {v}" for k, v in counts.items()))
        self.stdout.write(f"用时 {elapsed:.1f} 秒")
