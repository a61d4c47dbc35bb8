"""The orphan-file sweep (issue 10 §3): a file whose row never committed (the database
cut mid-upload) is deleted once older than the grace period; a file any row names
(an attachment, its thumbnail, a payroll scan, an import's encrypted upload) is kept,
and so is a young orphan (its row may still be committing)."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction

from labour.attachments.models import Attachment
from labour.attachments.services import store_checked
from labour.attachments.storage import private_storage
from labour.attachments.sweep import file_columns, sweep_orphan_files
from labour.attachments.validation import validate_upload
from labour.core.tests.test_s3_storage import BUCKET, s3, s3_endpoint  # noqa: F401 - fixtures
from labour.factories import AttachmentFactory, ImportJobFactory, WageSheetFactory
from labour.testing import png_bytes, upload

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def _age(name, seconds):
    """Make the stored file `seconds` old."""
    path = private_storage.path(name)
    then = time.time() - seconds
    os.utime(path, (then, then))


def _exists(name):
    return private_storage.exists(name)


class Cut(Exception):
    pass


def _upload_cut_before_commit():
    """An upload whose transaction never commits: the file is written, the row is not."""
    before = set(Attachment.objects.values_list("file", flat=True))
    with pytest.raises(Cut), transaction.atomic():
        store_checked(actor=None, checked=validate_upload(upload("身份证正面.png")),
                      kind="id_card_front")
        names = set(Attachment.objects.values_list("file", flat=True)) - before
        raise Cut
    (name,) = names
    assert _exists(name) and not Attachment.objects.filter(file=name).exists()
    return name


def test_a_file_whose_row_never_committed_is_swept_after_the_grace_period(settings):
    settings.ORPHAN_FILE_GRACE_HOURS = 24
    orphan = _upload_cut_before_commit()
    young = _upload_cut_before_commit()
    _age(orphan, 2 * DAY)
    _age(young, 3600)

    result = sweep_orphan_files()

    assert not _exists(orphan)
    assert _exists(young)  # its row may still be committing
    assert result.removed == 1 and result.removed_bytes == len(png_bytes())
    assert result.seen == 2 and result.old == 1


def test_every_file_a_row_names_is_kept():
    attachment = AttachmentFactory()
    thumb = private_storage.save("thumbnails/2026/11/t.jpg", ContentFile(b"jpeg"))
    Attachment.objects.filter(pk=attachment.pk).update(thumbnail=thumb)
    scan = AttachmentFactory(content_type="application/pdf")
    WageSheetFactory(signed_scan=scan)
    job = ImportJobFactory()
    job.stored_file = private_storage.save(f"imports/{job.pk}.bin", ContentFile(b"encrypted"))
    job.save(update_fields=["stored_file"])
    orphan = private_storage.save("id_card_back/2026/11/gone.png", ContentFile(png_bytes()))
    kept = [attachment.file.name, thumb, scan.file.name, job.stored_file]
    for name in [*kept, orphan]:
        _age(name, 30 * DAY)

    result = sweep_orphan_files(older_than_hours=1)

    assert [n for n in kept if not _exists(n)] == []
    assert not _exists(orphan)
    assert result.removed == 1


def test_every_file_column_is_looked_at():
    columns = {(m._meta.label, c) for m, c in file_columns()}
    assert {("attachments.Attachment", "file"), ("attachments.Attachment", "thumbnail"),
            ("workforce.ImportJob", "stored_file")} <= columns


def test_the_command_counts_and_a_dry_run_keeps(settings):
    orphan = private_storage.save("certificate/2026/11/x.pdf", ContentFile(b"%PDF-1.4 x"))
    _age(orphan, 3 * DAY)

    out = call_command_output("--dry-run")
    assert "将删除 1 个" in out and _exists(orphan)
    out = call_command_output()
    assert "已删除 1 个" in out and not _exists(orphan)
    assert "已删除 0 个" in call_command_output()


def call_command_output(*args):
    from io import StringIO

    out = StringIO()
    call_command("sweep_orphan_files", *args, stdout=out)
    return out.getvalue()


def test_beat_runs_the_sweep_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-orphan-files"]
    assert entry["task"] == "labour.attachments.tasks.sweep_orphan_files"
    from labour.attachments.tasks import sweep_orphan_files as task

    orphan = private_storage.save("certificate/2026/11/y.png", ContentFile(png_bytes()))
    _age(orphan, 3 * DAY)
    assert task.delay().get() == 1
    assert not _exists(orphan)


def test_on_s3_storage_too(request):
    """Against a real S3 server (moto): listed with their times in one listing."""
    client = request.getfixturevalue("s3")
    from datetime import timedelta

    from django.utils import timezone

    attachment = AttachmentFactory()
    orphan = private_storage.save("id_card_front/2026/11/s3-orphan.png", ContentFile(png_bytes()))
    keys = {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert {attachment.file.name, orphan} <= keys
    # S3 keeps no settable modification time: look from two days ahead instead
    later = timezone.now() + timedelta(days=2)
    from unittest import mock

    with mock.patch("labour.attachments.sweep.timezone.now", return_value=later):
        result = sweep_orphan_files()
    keys = {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
    assert orphan not in keys and attachment.file.name in keys
    assert result.removed >= 1
