from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "labour.certification"
    verbose_name = "账号认证"

    def ready(self):
        from labour.core.menu import MenuItem, Tile, register, register_tile
        from labour.projects.selectors import register_row_annotation

        from .selectors import project_account_columns, project_review_queue, review_queue

        register(MenuItem("企业账号认证审核", "certification:review_queue", kinds=("authority",),
                          prefix="/certification/review", order=10,
                          pending=lambda user: review_queue(user).count()))
        register(MenuItem("项目账号审核", "certification:project_review_queue",
                          kinds=("enterprise",), prefix="/certification/project/review",
                          order=30, pending=lambda user: project_review_queue(user).count()))
        register_tile(Tile("待审核的企业账号认证", "certification:review_queue", kinds=("authority",),
                           count=lambda user: review_queue(user).count(), order=10))
        register_tile(Tile("待审核的项目账号认证", "certification:project_review_queue",
                           kinds=("enterprise",), order=20,
                           count=lambda user: project_review_queue(user).count()))
        # 「我的项目」 shows each participation's project account
        register_row_annotation(project_account_columns)
