from typing import ClassVar

from django.conf import settings
from django.db import models

from labour.core.models import ChoiceLabels
from labour.core.transitions import Flow

from .choices import REVIEW_FLOW, ReviewStatus


class ReviewedSubmission(ChoiceLabels, models.Model):
    """What every reviewed submission keeps (企业账号认证, 项目账号认证, 项目信息,
    later the wage sheet): a resubmission is a new row pointing to the previous
    one, so history is never overwritten. Decisions are made by
    `labour.reviews.services.Review`, the one approve/return implementation.

    A subclass may replace `status` with its own choices (and `status_flow`,
    `PENDING`, `APPROVED`, `RETURNED` with its own values)."""

    status_flow: ClassVar[Flow] = REVIEW_FLOW
    PENDING: ClassVar[str] = ReviewStatus.SUBMITTED
    APPROVED: ClassVar[str] = ReviewStatus.APPROVED
    RETURNED: ClassVar[str] = ReviewStatus.RETURNED

    status = models.CharField("状态", max_length=10, choices=ReviewStatus.choices,
                              default=ReviewStatus.SUBMITTED, db_index=True)
    previous = models.OneToOneField("self", verbose_name="上一次提交", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="resubmission")
    submitted_at = models.DateTimeField("提交时间", db_index=True)
    submitted_ip = models.GenericIPAddressField("提交IP", null=True, blank=True)
    # None for an applicant who is not logged in (账号认证)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)

    class Meta:
        abstract = True
        ordering = ["-submitted_at", "-id"]

    @property
    def is_pending(self) -> bool:
        return self.status == self.PENDING

    @property
    def is_resubmitted(self) -> bool:
        return hasattr(self, "resubmission")


def review_constraints(name: str, *, returned: str = ReviewStatus.RETURNED) -> list[models.BaseConstraint]:
    """Database checks for every reviewed table (its Meta.constraints): a decision is
    dated no earlier than the submission, and a return carries its reason."""
    return [
        models.CheckConstraint(
            condition=models.Q(reviewed_at__isnull=True)
            | models.Q(reviewed_at__gte=models.F("submitted_at")),
            name=f"{name}_reviewed_after_submitted"),
        models.CheckConstraint(
            condition=~models.Q(status=returned) | ~models.Q(return_reason=""),
            name=f"{name}_return_has_reason"),
    ]
