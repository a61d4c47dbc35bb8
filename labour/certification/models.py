from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from labour.core.transitions import Flow
from labour.core.visibility import NOTHING, VisibleQuerySet, is_signed_in, jurisdiction, tenant_model
from labour.enterprises.models import EnterpriseDetails
from labour.reviews.choices import ReviewStatus
from labour.reviews.models import ReviewedSubmission, review_constraints

from .choices import PROJECT_ACCOUNT_FLOW, ProjectAccountStatus

if TYPE_CHECKING:
    from labour.audit.services import Scope
    from labour.core.visibility import Actor


class EnterpriseApplicationQuerySet(VisibleQuerySet):
    def visible_to(self, user: Actor) -> Self:
        """企业账号认证审核: the authority of the region the enterprise registered in."""
        return self.filter(jurisdiction(user))


@tenant_model
class EnterpriseApplication(EnterpriseDetails, ReviewedSubmission):
    """企业账号认证: one submission. A resubmission is a new row pointing to the
    previous one; history is never overwritten."""

    number = models.CharField("申请编号", max_length=20, unique=True)

    objects = EnterpriseApplicationQuerySet.as_manager()

    class Meta(EnterpriseDetails.Meta, ReviewedSubmission.Meta):
        verbose_name = "企业账号认证申请"
        verbose_name_plural = "企业账号认证申请"
        constraints = [
            models.UniqueConstraint(fields=["credit_code"],
                                    condition=Q(status=ReviewStatus.SUBMITTED),
                                    name="one_pending_application_per_credit_code"),
            models.UniqueConstraint(fields=["credit_code"],
                                    condition=Q(status=ReviewStatus.APPROVED),
                                    name="one_approved_application_per_credit_code"),
            *EnterpriseDetails.Meta.constraints,
            *review_constraints("enterprise_application"),
        ]
        indexes = [
            models.Index(fields=["status", "region_code", "submitted_at"]),
            # the review queue's first page: pending rows in order, without walking the
            # decided history (name and code search: core.search, migration 0004)
            models.Index(fields=["submitted_at", "id"], condition=Q(status=ReviewStatus.SUBMITTED),
                         name="enterprise_app_pending_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def audit_scope(self) -> Scope:
        from labour.audit.services import Scope

        return Scope(region_code=self.region_code)


class ProjectAccountApplicationQuerySet(VisibleQuerySet):
    def visible_to(self, user: Actor) -> Self:
        """项目账号审核 (seed 二 2.6): the enterprise account of the applying unit."""
        if not is_signed_in(user) or not user.is_enterprise:
            return self.filter(NOTHING)
        return self.filter(enterprise_id=user.enterprise_id)


@tenant_model
class ProjectAccountApplication(ReviewedSubmission):
    """项目账号认证 (seed 二 2.3–2.6): a certified unit asks for the account of its part
    of one project; its enterprise account reviews it."""

    status_flow: ClassVar[Flow] = PROJECT_ACCOUNT_FLOW

    number = models.CharField("申请编号", max_length=20, unique=True)
    status = models.CharField("状态", max_length=10, choices=ProjectAccountStatus.choices,
                              default=ProjectAccountStatus.SUBMITTED, db_index=True)
    project = models.ForeignKey("projects.Project", verbose_name="项目名称",
                                on_delete=models.PROTECT, related_name="account_applications")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="单位名称",
                                   on_delete=models.PROTECT, related_name="project_applications")
    authorisation_letter = models.ForeignKey("attachments.Attachment",
                                             verbose_name="账号管理员授权书",
                                             on_delete=models.PROTECT, related_name="+")
    admin_name = models.CharField("账号管理员姓名", max_length=50)
    admin_phone = models.CharField("账号管理员手机号", max_length=11)
    id_card_front = models.ForeignKey("attachments.Attachment", verbose_name="身份证正面",
                                      on_delete=models.PROTECT, related_name="+")
    id_card_back = models.ForeignKey("attachments.Attachment", verbose_name="身份证反面",
                                     on_delete=models.PROTECT, related_name="+")
    account = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="项目账号", null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="project_application")

    objects = ProjectAccountApplicationQuerySet.as_manager()

    class Meta(ReviewedSubmission.Meta):
        verbose_name = "项目账号认证申请"
        verbose_name_plural = "项目账号认证申请"
        # 「项目账号审核」 of an enterprise: its pending rows in order
        indexes = [models.Index(fields=["enterprise", "submitted_at", "id"],
                                condition=Q(status=ProjectAccountStatus.SUBMITTED),
                                name="project_account_app_pending")]
        constraints = [
            models.UniqueConstraint(fields=["project", "enterprise"],
                                    condition=Q(status=ProjectAccountStatus.SUBMITTED),
                                    name="one_pending_project_account_application"),
            models.UniqueConstraint(fields=["project", "enterprise"],
                                    condition=Q(status=ProjectAccountStatus.APPROVED),
                                    name="one_project_account_per_project_and_unit"),
            *review_constraints("project_account_application"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.enterprise_id} {self.project_id}"

    @property
    def masked_phone(self) -> str:
        from labour.core.masking import mask_phone

        return mask_phone(self.admin_phone)

    def audit_scope(self) -> Scope:
        from labour.audit.services import Scope

        return Scope(region_code=self.project.region_code, enterprise_id=self.enterprise_id,
                     project_id=self.project_id)
