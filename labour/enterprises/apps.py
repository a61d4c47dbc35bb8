from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "labour.enterprises"
    verbose_name = "企业"
