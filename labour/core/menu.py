"""The menu as data: each app registers its entries from its AppConfig.ready().

    register(MenuItem("项目管理", "projects:authority_list", kinds=("authority",),
                      prefix="/projects/manage/", order=20))

An entry shows for the kinds of account it names (and, if given, when `shown(user)`
is true), is marked active under its path prefix, and may carry a pending count
(`pending(user)` → int, shown as a badge when above zero).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse

if TYPE_CHECKING:
    from .visibility import Actor


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    kinds: tuple[str, ...]
    prefix: str
    order: int = 100
    pending: Callable[[Actor], int] | None = None
    shown: Callable[[Actor], bool] | None = None


_ITEMS: list[MenuItem] = []


def register(item: MenuItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)


def registered() -> list[MenuItem]:
    return sorted(_ITEMS, key=lambda item: (item.order, item.label))


def entries_for(user: Actor, path: str) -> list[dict[str, Any]]:
    """The menu of `user` on the page `path`: label, url, active, pending count."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    kind = getattr(user, "kind", "")
    entries = []
    for item in registered():
        if kind not in item.kinds or (item.shown is not None and not item.shown(user)):
            continue
        url = reverse(item.url_name)
        entries.append({
            "label": item.label, "url": url,
            "active": path.startswith(item.prefix),
            "pending": item.pending(user) if item.pending is not None else 0,
        })
    return entries
