from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "labour.certification"
    verbose_name = "账号认证"

    def ready(self):
        from labour.attachments.selectors import register_access

        from .selectors import attachment_visible_to

        register_access(attachment_visible_to)
