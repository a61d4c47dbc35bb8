from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "labour.accounts"
    verbose_name = "账号"
