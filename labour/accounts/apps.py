from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "labour.accounts"
    verbose_name = "账号"

    def ready(self):
        from labour.core.menu import MenuItem, Tile, register, register_tile

        from .selectors import project_accounts_of

        register(MenuItem("项目账号管理", "accounts:project_accounts", kinds=("enterprise",),
                          prefix="/enterprise/accounts/", order=40))
        register_tile(Tile("本单位的项目账号", "accounts:project_accounts", kinds=("enterprise",),
                           count=lambda user: project_accounts_of(user).count(), order=30))
