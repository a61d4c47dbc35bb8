"""Storing uploads, claiming them for an object, purging abandoned drafts."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from labour.audit.models import Action
from labour.audit.services import record
from labour.core import ratelimit
from labour.core.errors import PermissionDenied404

from .models import Attachment, references
from .selectors import access_attachment
from .thumbnails import make_thumbnail
from .validation import Checked, validate_upload

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from labour.core.visibility import Actor

_EXT = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
DRAFT_BUDGET_MESSAGE = "上传文件过于频繁，请稍后再试"


def store_upload(*, actor: Actor, uploaded: UploadedFile, kind: str, draft_key: str = "",
                 ip: str | None = None) -> Attachment:
    """Validate and store one upload under a generated name. Raises ValidationError."""
    return store_checked(actor=actor, checked=validate_upload(uploaded), kind=kind,
                         draft_key=draft_key, ip=ip)


def store_checked(*, actor: Actor, checked: Checked, kind: str, draft_key: str = "",
                  ip: str | None = None) -> Attachment:
    """Store an upload that validate_upload() accepted."""
    generated = f"{kind}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{_EXT[checked.content_type]}"
    with transaction.atomic():
        attachment = Attachment(
            original_name=checked.name[:255], content_type=checked.content_type,
            size=len(checked.data), sha256=checked.sha256, draft_key=draft_key,
        )
        attachment.file.save(generated, ContentFile(checked.data), save=False)
        attachment.save()
        record(action=Action.FILE_UPLOADED, actor=actor, ip=ip, obj=attachment, kind=kind,
               name=attachment.original_name)
    return attachment


def keep_draft(*, actor: Actor, checked: Checked, kind: str, draft_key: str,
               ip: str | None) -> Attachment:
    """Store an accepted upload of a form that is not sent yet, within the sender's
    hourly budget (settings.UPLOAD_DRAFTS_PER_IP_HOUR): a refused form keeps it."""
    if ip and not ratelimit.hit(f"drafts-ip:{ip}", settings.UPLOAD_DRAFTS_PER_IP_HOUR, 3600):
        raise ValidationError(DRAFT_BUDGET_MESSAGE, code="budget")
    return store_checked(actor=actor, checked=checked, kind=kind, draft_key=draft_key, ip=ip)


def fetch(*, actor: Actor, attachment_id: UUID | str, ip: str | None) -> Attachment:
    """A download: the file if `actor` may see it (else 404), recorded in the audit log."""
    attachment = access_attachment(actor, attachment_id)
    record(action=Action.FILE_DOWNLOADED, actor=actor, ip=ip, obj=attachment,
           name=attachment.original_name)
    return attachment


def thumbnail(*, actor: Actor, attachment_id: UUID | str, ip: str | None) -> Attachment:
    """The preview of an image attachment if `actor` may see the attachment (else 404,
    as for the file itself; a PDF has none: 404), made once and kept in private
    storage. Viewing it is recorded like a download (it shows personal documents)."""
    attachment = access_attachment(actor, attachment_id)
    if not attachment.is_image:
        raise PermissionDenied404
    if not attachment.thumbnail:
        with attachment.file.open("rb") as source:
            data = make_thumbnail(source)
        name = attachment.thumbnail.storage.save(
            f"thumbnails/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.jpg", ContentFile(data))
        # two first views at once: one name wins, the other file is removed
        if Attachment.objects.filter(pk=attachment.pk, thumbnail="").update(thumbnail=name):
            attachment.thumbnail.name = name
        else:
            attachment.thumbnail.storage.delete(name)
            attachment.refresh_from_db(fields=["thumbnail"])
    record(action=Action.FILE_DOWNLOADED, actor=actor, ip=ip, obj=attachment,
           name=attachment.original_name, thumbnail=True)
    return attachment


def claim(attachments: Iterable[Attachment | None], *, actor: Actor) -> int:
    """The object being saved now holds these uploads: they stop being drafts (the
    purge leaves them alone). Call inside the service's transaction."""
    ids = [a.pk for a in attachments if a is not None and a.draft_key]
    if not ids:
        return 0
    return Attachment.objects.filter(pk__in=ids).update(draft_key="")


# ---------------------------------------------------------------- purge

InUseCheck = Callable[[QuerySet[Attachment]], Iterable[UUID]]
_IN_USE_CHECKS: list[InUseCheck] = []


def register_in_use(check: InUseCheck) -> None:
    """`check(candidates)` returns the ids among the candidate drafts that something
    still uses; the purge keeps them."""
    if check not in _IN_USE_CHECKS:
        _IN_USE_CHECKS.append(check)


def held_by_a_record(candidates: QuerySet[Attachment]) -> set[UUID]:
    """Drafts that a saved row points to (every foreign key to Attachment)."""
    used: set[UUID] = set()
    for model, field in references():
        used.update(model._default_manager.filter(**{f"{field}__in": candidates.values("pk")})
                    .values_list(field, flat=True))
    return used


register_in_use(held_by_a_record)


def purge_abandoned_drafts(*, older_than_hours: int = 48) -> int:
    """Delete uploads of forms that were never sent (still drafts and used by
    nothing), with their files. Returns how many were removed."""
    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    candidates = Attachment.objects.exclude(draft_key="").filter(uploaded_at__lt=cutoff)
    in_use: set[UUID] = set()
    for check in _IN_USE_CHECKS:
        in_use.update(check(candidates))
    removed = 0
    for attachment in candidates.exclude(pk__in=in_use).iterator():
        if attachment.thumbnail:
            attachment.thumbnail.delete(save=False)
        attachment.file.delete(save=False)
        attachment.delete()
        removed += 1
    return removed

