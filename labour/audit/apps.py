from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "labour.audit"
    verbose_name = "审计日志"
