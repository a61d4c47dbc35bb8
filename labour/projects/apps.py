from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "labour.projects"
    verbose_name = "项目"

    def ready(self):
        from labour.attachments.selectors import register_access

        from .selectors import attachment_visible_to

        register_access(attachment_visible_to)
