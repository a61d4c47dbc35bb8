from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "labour.projects"
    verbose_name = "项目"
