from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "labour.projects"
    verbose_name = "项目"

    def ready(self):
        from labour.core.menu import MenuItem, register

        from .selectors import info_review_queue

        register(MenuItem("项目管理", "projects:authority_list", kinds=("authority",),
                          prefix="/projects/manage/", order=20))
        register(MenuItem("项目信息审核", "projects:info_review_queue", kinds=("authority",),
                          prefix="/projects/review/", order=30,
                          pending=lambda user: info_review_queue(user).count()))
        register(MenuItem("我的项目", "projects:my_projects", kinds=("enterprise",),
                          prefix="/projects/my/", order=20))
        register(MenuItem("本项目", "projects:project_home", kinds=("project",),
                          prefix="/projects/", order=10))
