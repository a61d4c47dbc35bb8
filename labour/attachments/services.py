import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from labour.audit.models import Action
from labour.audit.services import record

from .models import Attachment
from .validation import validate_upload

_EXT = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def store_upload(*, uploaded, kind, actor=None, draft_key="", ip=None):
    """Validate and store one upload under a generated name. Raises ValidationError."""
    content_type, data, digest = validate_upload(uploaded)
    generated = f"{kind}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{_EXT[content_type]}"
    with transaction.atomic():
        attachment = Attachment(
            original_name=uploaded.name[:255], content_type=content_type, size=len(data),
            sha256=digest, draft_key=draft_key,
        )
        attachment.file.save(generated, ContentFile(data), save=False)
        attachment.save()
        record(action=Action.FILE_UPLOADED, actor=actor, ip=ip, obj=attachment, kind=kind,
               name=attachment.original_name)
    return attachment


def purge_abandoned_drafts(*, older_than_hours=48):
    """Delete uploads of forms that were never sent (still marked as drafts and used
    by no application), with their files. Returns how many were removed."""
    from datetime import timedelta

    from django.db.models import Q

    from labour.certification.choices import ATTACHMENT_FIELDS
    from labour.certification.models import EnterpriseApplication

    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    candidates = Attachment.objects.exclude(draft_key="").filter(uploaded_at__lt=cutoff)
    used = Q()
    for field in ATTACHMENT_FIELDS:
        used |= Q(**{f"{field}__in": candidates.values("pk")})
    in_use = set()
    for row in EnterpriseApplication.objects.filter(used).values_list(*ATTACHMENT_FIELDS):
        in_use.update(row)
    removed = 0
    for attachment in candidates.exclude(pk__in=in_use).iterator():
        attachment.file.delete(save=False)
        attachment.delete()
        removed += 1
    return removed
