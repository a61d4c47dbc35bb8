"""Checks made when an application server starts (config/wsgi.py): a production
server that would answer every page with 500 refuses to start instead, loudly."""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("labour.startup")


def check_static_manifest() -> None:
    """In production the stylesheet and script are named by the manifest that
    `collectstatic` writes; without it every page fails. Refuse to start."""
    if not settings.PRODUCTION:
        return
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest and not staticfiles_storage.exists(manifest):
        message = (f"静态文件清单 {settings.STATIC_ROOT}/{manifest} 不存在：请先运行 "
                   "`manage.py collectstatic --noinput`（make prod 与 systemd 单元会自动运行）")
        logger.critical(message)
        raise ImproperlyConfigured(message)
