from django.conf import settings
from django.db import models
from django.db.models import Q

from labour.enterprises.models import EnterpriseDetails

from .choices import ApplicationStatus, ProjectAccountStatus


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


class ProjectAccountApplication(models.Model):
    """项目账号认证 (seed 二 2.3–2.6): a certified unit asks for the account of its part
    of one project; its enterprise account reviews it."""

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
    previous = models.OneToOneField("self", verbose_name="上一次申请", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="resubmission")
    submitted_at = models.DateTimeField("提交时间", db_index=True)
    submitted_ip = models.GenericIPAddressField("提交IP", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    return_reason = models.TextField("退回原因", blank=True)
    account = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="项目账号", null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="project_application")

    class Meta:
        verbose_name = "项目账号认证申请"
        verbose_name_plural = "项目账号认证申请"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "enterprise"],
                                    condition=Q(status=ProjectAccountStatus.SUBMITTED),
                                    name="one_pending_project_account_application"),
            models.UniqueConstraint(fields=["project", "enterprise"],
                                    condition=Q(status=ProjectAccountStatus.APPROVED),
                                    name="one_project_account_per_project_and_unit"),
        ]

    def __str__(self):
        return f"{self.number} {self.enterprise_id} {self.project_id}"
