"""The rows of a list page, rendered once and kept until the data under them changes.

A list page (its table, the pager, the count) is rendered from a small template of
its own (a *fragment*) with nothing but what `build()` returns: no request, no user,
no CSRF token, no context processor. Its queryset is built inside `build()` from the
actor's scope and the query string. What makes it differ from one request to another
is then only

- the actor: its account and what the visibility rules read of it
  (`core.visibility.scope_key`), so no entry is ever shared between two accounts;
- the query string (the filters, the order, the page, and the links that keep them);
- the data in the tables its queries read.

The first two make the key. For the third, every table has a version (a random
token in the cache), and an entry holds the versions of the tables it read: it is
served only while they are unchanged. A version changes whenever a row of the table
does: every statement Django runs passes `track_writes` (installed on each database
connection by `CoreConfig.ready`), which reads the table from an INSERT, UPDATE or
DELETE and changes its version when the transaction commits (before the writer's
response, so its next page shows its write; a page rendered by another process before
the commit, from the rows as they were, is stored under the version the commit
replaces). A thread with writes not yet committed renders its lists afresh. A
statement whose table it cannot read (a CTE, TRUNCATE) changes every version (`ANY`).
Writes that bypass Django's cursor (COPY) call `changed(table)` themselves.

The tables an entry depends on are read from the SQL its rendering ran (FROM and
JOIN), so a new join in a selector or a template is picked up without a list to
update. A process learns a list's tables at its first rendering and stores
entries from its second on (an entry is only stored when the versions of every
table it read were read before its data).

Entries live `LIST_CACHE_SECONDS` (0 turns the cache off); the key holds a digest
of the platform's code, so a new release never serves an old release's markup.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cache as memoize
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from . import ratelimit
from .visibility import scope_key

logger = logging.getLogger(__name__)

VERSION_PREFIX = "listcache:v:"
ENTRY_PREFIX = "listcache:e:"
ANY = "*"  # the version every entry also holds: changed by a write whose table is unknown

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# statements that change no row; or change the schema, which comes with a new release
# (migrations), whose entries are new anyway
_NOT_WRITES = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN", "SET ",
               "SHOW", "EXPLAIN", "PRAGMA", "LOCK ", "VALUES", "ANALYZE", "CREATE ", "ALTER ",
               "DROP ", "COMMENT ", "GRANT ", "REVOKE ")
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)

_local = threading.local()
_learned: dict[str, frozenset[str]] = {}  # list name -> the tables its rendering read


@dataclass
class Fragment:
    html: SafeString
    meta: dict[str, Any] = field(default_factory=dict)  # small values the view needs too
    hit: bool = False


# ------------------------------------------------------------------ writes

def _ignored() -> frozenset[str]:
    """Tables no list shows and that change on every request: the database cache's own
    (its writes would bump versions through the cache they are written to) and the
    sessions."""
    tables = {"django_session", "django_migrations"}
    for options in settings.CACHES.values():
        if options["BACKEND"].endswith("DatabaseCache"):
            tables.add(options["LOCATION"])
    return frozenset(tables)


class _Changed:
    """The on_commit callback of one table in one transaction (found again by `table`,
    so a transaction registers it once; a savepoint rolled back drops it with the rest)."""

    __slots__ = ("table",)

    def __init__(self, table: str) -> None:
        self.table = table

    def __call__(self) -> None:
        changed(self.table)


def _pending_tables(connection: Any) -> set[str]:
    """The tables whose versions change when `connection`'s open transaction commits."""
    return {entry[1].table for entry in connection.run_on_commit if isinstance(entry[1], _Changed)}


def written_table(sql: str) -> str | None:
    """The table a statement changes; `ANY` when it may change rows of a table it does
    not name in a way read here; None when it changes none."""
    head = sql.lstrip(" \t\n(")[:10].upper()  # "(SELECT …) UNION (SELECT …)" too
    if head.startswith(_NOT_WRITES):
        return None
    match = _WRITE.match(sql)
    return match.group(1) if match else ANY


def track_writes(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                 context: dict[str, Any]) -> Any:
    """An execute wrapper (`connection.execute_wrappers`): runs the statement, then, if it
    changed a table, changes that table's version when the transaction commits (at once
    in autocommit). Until then other processes render the rows as they were, which is
    what they can read; this thread renders afresh (`_uncommitted_writes`)."""
    result = execute(sql, params, many, context)
    if not isinstance(sql, str) or _migrating.is_set():
        return result
    table = written_table(sql)
    if table is None or table in _ignored():
        return result
    connection = context["connection"]
    if not connection.in_atomic_block:
        changed(table)  # autocommit: the statement is committed
        return result
    if table not in _pending_tables(connection):
        transaction.on_commit(_Changed(table), using=connection.alias)
    return result


_migrating = threading.Event()  # set from pre_migrate to post_migrate (the whole command)


def migrating(**_: Any) -> None:
    """`pre_migrate` receiver: a migration's writes (table rebuilds, data migrations) are
    not tracked one by one: they come with a new release, and `migrated` changes every
    version at the end."""
    _migrating.set()


def migrated(sender: Any, **_: Any) -> None:
    """`post_migrate` receiver: sent for each app in turn (after the receivers of
    contenttypes and auth, connected before this one); tracking resumes after the last."""
    from django.apps import apps

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is last:
        _migrating.clear()
        changed(ANY, quiet=True)


def install(connection: Any, **_: Any) -> None:
    """`connection_created` receiver: every connection tracks its writes."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


def changed(*tables: str, quiet: bool = False) -> None:
    """Give the tables new versions: every entry that read one of them is gone. Called
    for each write Django runs; call it after a write that bypasses Django's cursor."""
    if getattr(_local, "bumping", False):
        return
    _local.bumping = True
    try:
        caches["default"].set_many({VERSION_PREFIX + t: secrets.token_hex(8) for t in tables},
                                   timeout=None)
    except Exception as error:  # the cache is down: its entries cannot be read either
        if not quiet:
            logger.warning("list cache: versions of %s not changed (%s)", ", ".join(tables),
                           type(error).__name__)
    finally:
        _local.bumping = False


# ------------------------------------------------------------------ reads

@contextmanager
def _reading(tables: set[str]) -> Iterator[None]:
    """Collects the tables read by the statements run inside (on every connection)."""
    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool,
               context: dict[str, Any]) -> Any:
        if isinstance(sql, str):
            tables.update(_READ.findall(sql))
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(record))
        yield


@memoize
def release() -> str:
    """A digest of the platform's code, templates and data files (1.2 MB, read once per
    process): entries of another release never match."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not {"tests", "static", "__pycache__"} & set(relative.parts):
            digest.update(relative.as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def request_key(request: HttpRequest) -> str:
    """What, besides the data, decides a list's rows and links: the actor (its account and
    everything the visibility rules read of it) and the query string."""
    return f"{scope_key(request.user)!r}\x00{sorted(request.GET.lists())!r}"


@contextmanager
def disabled() -> Iterator[None]:
    """Render afresh inside (scripts/bench_http.py measures a list page on a miss)."""
    _local.disabled = True
    try:
        yield
    finally:
        _local.disabled = False


def _versions(cache: Any, tables: list[str], got: dict[str, Any]) -> dict[str, str]:
    versions = {t: got.get(VERSION_PREFIX + t) for t in tables}
    missing = [t for t, v in versions.items() if v is None]
    if missing:  # new, or evicted: a fresh token (never an old one again)
        for t in missing:
            cache.add(VERSION_PREFIX + t, secrets.token_hex(8), timeout=None)
        again = cache.get_many([VERSION_PREFIX + t for t in missing])
        versions.update({t: again.get(VERSION_PREFIX + t) for t in missing})
    return {t: v for t, v in versions.items() if v is not None}


def _uncommitted_writes() -> bool:
    """This thread has written in a transaction still open: its lists are rendered
    afresh (an entry may predate its writes; and what it renders is nobody else's)."""
    return any(_pending_tables(connection)
               for connection in connections.all(initialized_only=True))


def fragment(*, name: str, key: str, template: str,
             build: Callable[[], tuple[dict[str, Any], dict[str, Any]]],
             budget: str = "") -> Fragment:
    """The list `name` rendered with `template` from the context `build()` returns
    (with `meta`, small values kept beside the markup), from the cache when the tables it
    read have not changed since. `budget` (the account) stores at most
    LIST_CACHE_STORES_PER_MINUTE entries a minute: an account walking through free search
    terms or dates fills the cache with at most that many. `key` is `request_key(request)`
    (see `list_fragment`)."""
    def render() -> Fragment:
        context, meta = build()
        return Fragment(mark_safe(get_template(template).render(context)), meta)  # noqa: S308 - a template's output

    seconds = settings.LIST_CACHE_SECONDS
    if not seconds or getattr(_local, "disabled", False) or _uncommitted_writes():
        return render()
    cache = caches["default"]
    entry_key = ENTRY_PREFIX + hashlib.sha256(
        f"{release()}\x00{name}\x00{template}\x00{key}".encode()).hexdigest()
    known = sorted(_learned.get(name, frozenset()) | {ANY})
    versions: dict[str, str] | None
    try:
        got = cache.get_many([entry_key] + [VERSION_PREFIX + t for t in known])
        versions = _versions(cache, known, got)
    except Exception as error:
        logger.warning("list cache: not read (%s)", type(error).__name__)
        got, versions = {}, None
    entry = got.get(entry_key)
    if (versions is not None and entry is not None
            and all(versions.get(t) == v for t, v in entry["versions"].items())):
        return Fragment(mark_safe(entry["html"]), entry["meta"], hit=True)  # noqa: S308 - our own rendering
    read: set[str] = set()
    with _reading(read):
        rendered = render()
    read -= _ignored()
    if versions is not None and read | {ANY} <= versions.keys():
        try:
            if ratelimit.hit(f"listcache:{budget}", settings.LIST_CACHE_STORES_PER_MINUTE, 60):
                cache.set(entry_key, {"versions": {t: versions[t] for t in read | {ANY}},
                                      "html": str(rendered.html), "meta": rendered.meta}, seconds)
        except Exception as error:
            logger.warning("list cache: not stored (%s)", type(error).__name__)
    else:
        _learned[name] = _learned.get(name, frozenset()) | read
    return rendered


Rows = Callable[[], "tuple[QuerySet[Any], dict[str, Any], dict[str, Any]]"]


def list_fragment(request: HttpRequest, rows: Rows, *, name: str, template: str,
                  per_page: int = 20) -> Fragment:
    """A list page's fragment, kept until its data changes. `rows()` returns the queryset,
    the context beside it (the filter form, tabs: built from the actor's scope and the
    query string only) and `meta` (small values the view needs on a hit too); it is
    called only to render, inside the tracking, so whatever it reads is tracked. The
    template gets that context, `page` and `query` (for `{% page_query %}`);
    `meta["count"]` is the paginator's count. `name` names the list (its URL name)."""
    def build() -> tuple[dict[str, Any], dict[str, Any]]:
        qs, context, meta = rows()
        page = Paginator(qs, per_page).get_page(request.GET.get("page"))
        return ({**context, "page": page, "query": request.GET},
                {**meta, "count": page.paginator.count})

    return fragment(name=name, key=request_key(request), template=template, build=build,
                    budget=str(getattr(request.user, "pk", None)))
