from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "labour.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from . import listcache
        from .menu import MenuItem, register

        connection_created.connect(listcache.install, dispatch_uid="listcache")
        pre_migrate.connect(listcache.migrating, dispatch_uid="listcache")
        post_migrate.connect(listcache.migrated, dispatch_uid="listcache")

        register(MenuItem("首页", "home", kinds=("authority", "enterprise", "project"),
                          prefix="/home/", order=0))
