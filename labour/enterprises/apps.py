from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "labour.enterprises"
    verbose_name = "企业"

    def ready(self):
        from labour.core.menu import MenuItem, register

        register(MenuItem("企业信息", "enterprises:home", kinds=("enterprise",),
                          prefix="/enterprise/", order=10))
