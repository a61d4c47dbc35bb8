import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("labour")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_the_platform_logging(**kwargs):
    """Worker and beat log like the web servers: JSON lines, personal data masked."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
