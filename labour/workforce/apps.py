from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "labour.workforce"
    verbose_name = "实名制用工"

    def ready(self):
        from labour.core.menu import MenuItem, register

        kinds = ("enterprise", "project")
        register(MenuItem("人员管理", "workforce:roster_index", kinds=(*kinds, "authority"),
                          prefix="/workforce/roster/", order=45))
        register(MenuItem("班组管理", "workforce:team_index", kinds=kinds,
                          prefix="/workforce/teams/", order=46))
        register(MenuItem("人员总览", "workforce:overview", kinds=("enterprise",),
                          prefix="/workforce/overview/", order=47))

        # an import's encrypted upload is named by ImportJob.stored_file (a CharField):
        # the orphan-file sweep keeps it
        from labour.attachments.sweep import register_file_column

        from .models import ImportJob

        register_file_column(ImportJob, "stored_file")
