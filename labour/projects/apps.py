from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "labour.projects"
    verbose_name = "项目"

    def ready(self):
        from labour.core.menu import MenuItem, Panel, Tile, register, register_panel, register_tile

        from .selectors import home_projects, info_review_queue, participations_of, projects_for_authority

        register(MenuItem("项目管理", "projects:authority_list", kinds=("authority",),
                          prefix="/projects/manage/", order=20))
        register(MenuItem("项目信息审核", "projects:info_review_queue", kinds=("authority",),
                          prefix="/projects/review/", order=30,
                          pending=lambda user: info_review_queue(user).count()))
        register(MenuItem("我的项目", "projects:my_projects", kinds=("enterprise",),
                          prefix="/projects/my/", order=20))
        register(MenuItem("本项目", "projects:project_home", kinds=("project",),
                          prefix="/projects/", order=10))
        register_tile(Tile("待审核的项目信息", "projects:info_review_queue", kinds=("authority",),
                           count=lambda user: info_review_queue(user).count(), order=20))
        register_tile(Tile("管辖范围内的项目", "projects:authority_list", kinds=("authority",),
                           count=lambda user: projects_for_authority(user).count(), order=30))
        register_tile(Tile("参建的项目", "projects:my_projects", kinds=("enterprise",),
                           count=lambda user: participations_of(user).values("project").distinct()
                           .count(), order=10))
        register_panel(Panel("projects/home_panel.html", kinds=("enterprise", "project"),
                             context=home_projects, order=10))
