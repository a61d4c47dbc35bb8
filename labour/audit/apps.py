from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "labour.audit"
    verbose_name = "审计日志"

    def ready(self):
        from labour.core.menu import MenuItem, register

        register(MenuItem("操作日志", "audit:log", kinds=("authority", "enterprise", "project"),
                          prefix="/audit/", order=90))
