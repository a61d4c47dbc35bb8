import uuid

from django.db import models
from django.db.models import Q


def _private_storage():
    from .storage import private_storage

    return private_storage


class Attachment(models.Model):
    """A validated upload in private storage under a generated name. Immutable:
    a replaced document is a new attachment; history keeps the old one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField("文件", storage=_private_storage, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # a session key while the upload belongs to an unsent form (keeps accepted
    # uploads when a form is refused); cleared when an application uses it
    draft_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        constraints = [models.CheckConstraint(condition=Q(size__gt=0) & ~Q(sha256=""),
                                              name="attachment_not_empty")]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type in ("image/jpeg", "image/png")

    @property
    def is_pdf(self):
        return self.content_type == "application/pdf"
