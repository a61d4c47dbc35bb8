"""The menu and the home page as data: each app registers its entries, its home-page
tiles (a count with a link) and panels from its AppConfig.ready().

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

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .links import url_for

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


@dataclass(frozen=True)
class Tile:
    """A count on the home page of some kinds of account, linking to its list."""

    label: str
    url_name: str
    kinds: tuple[str, ...]
    count: Callable[[Actor], int]
    order: int = 100
    note: str = ""


@dataclass(frozen=True)
class Panel:
    """A block of the home page: a template and what it shows (`context(user)`)."""

    template: str
    kinds: tuple[str, ...]
    context: Callable[[Actor], dict[str, Any]]
    order: int = 100


_ITEMS: list[MenuItem] = []
_TILES: list[Tile] = []
_PANELS: list[Panel] = []


def register(item: MenuItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)


def register_tile(tile: Tile) -> None:
    if all(existing.label != tile.label or existing.kinds != tile.kinds for existing in _TILES):
        _TILES.append(tile)


def register_panel(panel: Panel) -> None:
    if all(existing.template != panel.template for existing in _PANELS):
        _PANELS.append(panel)


def home_for(user: Actor) -> dict[str, Any]:
    """The home page of `user`: its tiles (label, url, count) and panels."""
    kind = getattr(user, "kind", "")
    tiles = [{"label": t.label, "url": reverse(t.url_name), "count": t.count(user), "note": t.note}
             for t in sorted(_TILES, key=lambda t: t.order) if kind in t.kinds]
    panels = [{"template": p.template, **p.context(user)}
              for p in sorted(_PANELS, key=lambda p: p.order) if kind in p.kinds]
    return {"tiles": tiles, "panels": panels}


def registered() -> list[MenuItem]:
    return sorted(_ITEMS, key=lambda item: (item.order, item.label))


PENDING_ATTR = "_menu_pending"


def _pending_key(user: Actor, url_name: str) -> str:
    return f"menu-pending:{getattr(user, 'pk', '')}:{url_name}"


def note_pending(request: Any, url_name: str, count: int, *, keep: bool = True) -> None:
    """The page has just counted what the menu entry `url_name` counts (a queue's
    pending tab, unfiltered, counted by its paginator): the menu shows that number
    instead of counting again, and (`keep`) keeps it for the next pages."""
    known = getattr(request, PENDING_ATTR, None)
    if known is None:
        known = {}
        setattr(request, PENDING_ATTR, known)
    known[url_name] = count
    user = getattr(request, "user", None)
    if keep and user is not None and settings.MENU_PENDING_CACHE_SECONDS:
        cache.set(_pending_key(user, url_name), count, settings.MENU_PENDING_CACHE_SECONDS)


def _pending_counts(items: list[MenuItem], user: Actor, known: dict[str, int]) -> dict[str, int]:
    """The entries' badges: counted at most once per MENU_PENDING_CACHE_SECONDS per user
    (every page shows the menu; a count of a growing queue on each would make every
    page's cost grow with the data), read from the cache in one call. The queue's own
    page gives the count it shows (`known`)."""
    wanted = {item.url_name: item.pending for item in items
              if item.pending is not None and item.url_name not in known}
    counts = dict(known)
    if not settings.MENU_PENDING_CACHE_SECONDS:
        counts.update({name: pending(user) for name, pending in wanted.items()})
        return counts
    keys = {name: _pending_key(user, name) for name in wanted}
    cached = cache.get_many(list(keys.values())) if keys else {}
    fresh = {}
    for name, pending in wanted.items():
        value = cached.get(keys[name])
        if value is None:
            value = fresh[keys[name]] = pending(user)
        counts[name] = int(value)
    if fresh:
        cache.set_many(fresh, settings.MENU_PENDING_CACHE_SECONDS)
    return counts


def entries_for(user: Actor, path: str, known: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """The menu of `user` on the page `path`: label, url, active, pending count
    (`known`: counts the page already made, by URL name)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    kind = getattr(user, "kind", "")
    items = [item for item in registered() if kind in item.kinds
             and (item.shown is None or item.shown(user))]
    counts = _pending_counts(items, user, known or {})
    return [{"label": item.label, "url": url_for(item.url_name),
             "active": path.startswith(item.prefix), "pending": counts.get(item.url_name, 0)}
            for item in items]


def menu_html(entries: list[dict[str, Any]]) -> SafeString:
    """The menu of `entries_for` as HTML (written here rather than in a template: every
    logged-in page shows it, and a loop of a template costs several times this). A test
    compares it with the template it replaced."""
    links = []
    for entry in entries:
        active = ' class="active" aria-current="page"' if entry["active"] else ""
        pending = entry["pending"]
        badge = (f' <span class="badge" aria-label="待处理 {escape(pending)} 项">{escape(pending)}</span>'
                 if pending else "")
        links.append(f'\n  <a href="{escape(entry["url"])}"{active}>{escape(entry["label"])}{badge}</a>\n')
    return mark_safe(  # noqa: S308 - every value is escaped
        '\n<nav class="menu" aria-label="功能">\n' + "".join(links) + "\n</nav>\n")
