from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Q

from labour.core.visibility import (
    NOTHING,
    VisibleQuerySet,
    is_signed_in,
    tenant_model,
    tenant_models,
    visible_rows,
)

if TYPE_CHECKING:
    from labour.core.visibility import Actor


def _private_storage():
    from .storage import private_storage

    return private_storage


def references() -> list[tuple[type[models.Model], str]]:
    """(model, field) of every foreign key to Attachment, found from the models
    themselves: a new model that holds files needs no registration."""
    found = []
    for model in tenant_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Attachment:
                found.append((model, field.attname))
    return found


class AttachmentQuerySet(VisibleQuerySet):
    def visible_to(self, user: Actor) -> Self:
        """A file is visible to whoever may see an object that holds it (an
        application to its reviewers, an enterprise's documents to that enterprise,
        the project's notice board photo to its participants and authority)."""
        if not is_signed_in(user):
            return self.filter(NOTHING)
        holders = NOTHING
        for model, field in references():
            holders |= Q(pk__in=visible_rows(model, user).values(field))
        return self.filter(holders)


@tenant_model
class Attachment(models.Model):
    """A validated upload in private storage under a generated name. Immutable:
    a replaced document is a new attachment; history keeps the old one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # indexed: the orphan-file sweep asks which of a batch of stored names a row names
    file = models.FileField("文件", storage=_private_storage, max_length=200, db_index=True)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # a session key while the upload belongs to an unsent form (keeps accepted
    # uploads when a form is refused); cleared when a service claims it
    draft_key = models.CharField(max_length=64, blank=True, db_index=True)
    # an image's preview (JPEG), made once on first view, in the same private storage
    thumbnail = models.FileField("缩略图", storage=_private_storage, max_length=200, blank=True,
                                 db_index=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        constraints = [models.CheckConstraint(condition=Q(size__gt=0) & ~Q(sha256=""),
                                              name="attachment_not_empty")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/jpeg", "image/png")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"
