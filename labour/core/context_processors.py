from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .menu import entries_for


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "PLATFORM_NAME": "郑州市建设劳务服务平台", "DEBUG": settings.DEBUG,
        # computed only when a page shows the menu (its counts are queries)
        "menu_entries": SimpleLazyObject(lambda: entries_for(user, request.path)),
    }
