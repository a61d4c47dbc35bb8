"""Reads of attachments: a file is fetched only through an object the user may see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import ValidationError

from .models import Attachment

if TYPE_CHECKING:
    from labour.core.visibility import Actor


def access_attachment(user: Actor, attachment_id: UUID | str) -> Attachment:
    """The attachment if `user` may fetch it, else PermissionDenied404."""
    return Attachment.objects.access(user, pk=attachment_id)


def kept_upload(pk: str | None, *, draft_key: str, allowed_ids: Iterable[str] = ()) -> Attachment | None:
    """An upload a refused form kept (its id came back in a hidden input): only this
    browser session's draft, or one of `allowed_ids` (the documents of the
    application being resubmitted). Anything else is ignored."""
    if not pk:
        return None
    try:
        attachment = Attachment.objects.filter(pk=pk).first()
    except (ValidationError, ValueError):
        return None
    if attachment is None:
        return None
    if str(attachment.pk) in {str(a) for a in allowed_ids} or (
            draft_key and attachment.draft_key == draft_key):
        return attachment
    return None
