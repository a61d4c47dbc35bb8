from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "labour.payroll"
    verbose_name = "工资核算与发放"

    def ready(self) -> None:
        from labour.core.menu import MenuItem, register
        from labour.workforce.demo import register_city_step, register_demo_step

        from . import importing  # noqa: F401  (registers the 工资明细 importer)
        from .demo import prepare_payroll
        from .generated import generate_payroll

        register(MenuItem("工资核算", "payroll:index", kinds=("enterprise", "project", "authority"),
                          prefix="/payroll/", order=50))
        register_demo_step(prepare_payroll)
        register_city_step(generate_payroll)
