from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .menu import PENDING_ATTR, entries_for
from .roles import RESTORE_SESSION_KEY

PLATFORM_NAME = "郑州市建设劳务服务平台"


def _restore_typed(request: HttpRequest) -> bool:
    """True once, on the page a user came back to after logging in again: its script
    puts back what was typed when the login had expired."""
    session = getattr(request, "session", None)
    if session is None or RESTORE_SESSION_KEY not in session:
        return False
    if session[RESTORE_SESSION_KEY] != request.path:
        return False
    del session[RESTORE_SESSION_KEY]
    return True


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "PLATFORM_NAME": PLATFORM_NAME, "DEBUG": settings.DEBUG,
        "PLATFORM_SPONSOR": settings.PLATFORM_SPONSOR, "SERVICE_HOTLINE": settings.SERVICE_HOTLINE,
        "RESTORE_TYPED": _restore_typed(request),
        # computed only when a page shows the menu (its counts are queries)
        "menu_entries": SimpleLazyObject(lambda: entries_for(
            user, request.path, getattr(request, PENDING_ATTR, None))),
    }
