"""The orphan-file sweep: files in private storage that no database row names.

A file is written before the row that names it is committed (the upload, then the
INSERT in the same transaction). When the database goes away in between (a cut,
a killed worker, a rollback), the file stays with no row: the draft purge, which
walks rows, never sees it. This walks the storage instead and deletes every file
older than ORPHAN_FILE_GRACE_HOURS that no row names: no FileField of any model
(attachments, thumbnails, and any model that holds a file itself) and no column
registered with register_file_column() (a path kept in a CharField, as an import's
encrypted upload). The grace period is far longer than any transaction, so a file
whose row is still being committed is never taken.

The private storage must hold only the platform's files (docs/deploy.md)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import cast

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.utils import timezone

from .storage import private_storage

logger = logging.getLogger("labour.attachments")

BATCH = 500
_NAME_COLUMNS: list[tuple[type[models.Model], str]] = []


def register_file_column(model: type[models.Model], field: str) -> None:
    """`model.field` (not a FileField) holds names of files in private storage: the
    sweep keeps the files it names. Call from the owning app's ready()."""
    if (model, field) not in _NAME_COLUMNS:
        _NAME_COLUMNS.append((model, field))


def file_columns() -> list[tuple[type[models.Model], str]]:
    """(model, column) of every FileField of every installed model, and the
    registered columns."""
    found = [(model, field.attname) for model in apps.get_models()
             for field in model._meta.concrete_fields if isinstance(field, models.FileField)]
    return found + [c for c in _NAME_COLUMNS if c not in found]


def named_by_a_row(names: Iterable[str]) -> set[str]:
    """Those of `names` that some row names."""
    wanted = list(names)
    used: set[str] = set()
    for model, column in file_columns():
        used.update(model._base_manager.filter(**{f"{column}__in": wanted})
                    .values_list(column, flat=True))
    return used


def stored_files(storage: Storage) -> Iterator[tuple[str, datetime]]:
    """(name, last modified) of every file in the storage."""
    if isinstance(storage, FileSystemStorage):
        root = storage.location
        for folder, _dirs, files in os.walk(root):
            for file in files:
                path = os.path.join(folder, file)
                try:
                    mtime = os.stat(path).st_mtime
                except FileNotFoundError:  # deleted meanwhile
                    continue
                name = os.path.relpath(path, root).replace(os.sep, "/")
                yield name, datetime.fromtimestamp(mtime, tz=timezone.get_current_timezone())
        return
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:  # S3: one listing gives names and times
        prefix = (getattr(storage, "location", "") or "").strip("/")
        prefix = f"{prefix}/" if prefix else ""
        for obj in bucket.objects.filter(Prefix=prefix):
            yield obj.key[len(prefix):], obj.last_modified
        return
    yield from _walk(storage, "")


def _walk(storage: Storage, folder: str) -> Iterator[tuple[str, datetime]]:
    dirs, files = storage.listdir(folder)
    for file in files:
        name = f"{folder}/{file}" if folder else file
        yield name, storage.get_modified_time(name)
    for sub in dirs:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


@dataclass
class SweepResult:
    seen: int = 0
    old: int = 0
    removed: int = 0
    removed_bytes: int = 0


def sweep_orphan_files(*, older_than_hours: float | None = None, dry_run: bool = False,
                       storage: Storage | None = None) -> SweepResult:
    """Delete the files of private storage older than the grace period that no row
    names. Returns what it saw and removed."""
    if storage is None:
        storage = cast(Storage, private_storage)
    hours = settings.ORPHAN_FILE_GRACE_HOURS if older_than_hours is None else older_than_hours
    cutoff = timezone.now() - timedelta(hours=hours)
    result = SweepResult()

    def old_files() -> Iterator[str]:
        for name, modified in stored_files(storage):
            result.seen += 1
            if modified < cutoff and not os.path.basename(name).startswith("."):
                result.old += 1
                yield name

    files = old_files()
    while batch := list(islice(files, BATCH)):
        # the rows are read after the files were listed: a row committed meanwhile
        # names a file at least `hours` old, which no transaction lasts
        for name in sorted(set(batch) - named_by_a_row(batch)):
            size = 0
            try:
                size = storage.size(name)
            except OSError:
                pass
            if not dry_run:
                storage.delete(name)
            result.removed += 1
            result.removed_bytes += size
    if result.removed:
        logger.warning("orphan-file sweep: %s files (%s bytes) no row names%s", result.removed,
                       result.removed_bytes, " (dry run: kept)" if dry_run else " removed",
                       extra={"removed": result.removed, "removed_bytes": result.removed_bytes,
                              "dry_run": dry_run})
    return result
