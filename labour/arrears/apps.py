from django.apps import AppConfig


class ArrearsConfig(AppConfig):
    name = "labour.arrears"
    verbose_name = "欠薪预警"

    def ready(self) -> None:
        from labour.core.menu import MenuItem, Panel, Tile, register, register_panel, register_tile
        from labour.payroll.services import register_change_hook
        from labour.projects.information import register_information_hook
        from labour.workforce.services import register_roster_hook

        from .facts import refresh, refresh_project
        from .selectors import home_panel, warning_count

        register_change_hook(refresh)
        register_roster_hook(refresh)
        register_information_hook(refresh_project)  # 约定发薪日 changed
        register(MenuItem("欠薪预警", "arrears:warnings", kinds=("authority",),
                          prefix="/arrears/warnings/", order=55))
        register(MenuItem("工资发放情况", "arrears:enterprise", kinds=("enterprise", "project"),
                          prefix="/arrears/enterprise/", order=55))
        register_tile(Tile("欠薪预警的项目月份", "arrears:warnings", kinds=("authority",),
                           count=warning_count, order=40, note="红色、黄色预警"))
        register_panel(Panel("arrears/home_panel.html", kinds=("authority",), context=home_panel,
                             order=40))
