from django.conf import settings
from django.db import models
from django.db.models import Q

from labour.enterprises.models import EnterpriseDetails

from .choices import ApplicationStatus


class EnterpriseApplication(EnterpriseDetails):
    """企业账号认证: one submission. A resubmission is a new row pointing to the
    previous one; history is never overwritten."""

    number = models.CharField("申请编号", max_length=20, unique=True)
    status = models.CharField("状态", max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED, db_index=True)
    previous = models.OneToOneField("self", verbose_name="上一次申请", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="resubmission")
    submitted_at = models.DateTimeField("提交时间", db_index=True)
    submitted_ip = models.GenericIPAddressField("提交IP", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    return_reason = models.TextField("退回原因", blank=True)

    class Meta:
        verbose_name = "企业账号认证申请"
        verbose_name_plural = "企业账号认证申请"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"],
                                    condition=Q(status=ApplicationStatus.SUBMITTED),
                                    name="one_pending_application_per_credit_code"),
            models.UniqueConstraint(fields=["credit_code"],
                                    condition=Q(status=ApplicationStatus.APPROVED),
                                    name="one_approved_application_per_credit_code"),
        ]
        indexes = [models.Index(fields=["status", "region_code", "submitted_at"])]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def is_pending(self):
        return self.status == ApplicationStatus.SUBMITTED
