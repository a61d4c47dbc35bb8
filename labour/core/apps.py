from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "labour.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from .menu import MenuItem, register

        register(MenuItem("首页", "home", kinds=("authority", "enterprise", "project"),
                          prefix="/home/", order=0))
