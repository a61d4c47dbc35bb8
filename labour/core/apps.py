from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "labour.core"
    verbose_name = "基础"
