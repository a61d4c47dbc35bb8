from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "labour.notifications"
    verbose_name = "短信与验证码"
