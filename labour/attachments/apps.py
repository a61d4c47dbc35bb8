from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "labour.attachments"
    verbose_name = "附件"
