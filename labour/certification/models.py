from django.conf import settings
from django.db import models
from django.db.models import Q

from labour.core.validators import mask_phone, region_name
from labour.enterprises.choices import UnitType

from .choices import ApplicationStatus


class EnterpriseApplication(models.Model):
    """企业账号认证: one submission. A resubmission is a new row pointing to the
    previous one; history is never overwritten."""

    number = models.CharField("申请编号", max_length=20, unique=True)
    status = models.CharField("状态", max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED, db_index=True)
    name = models.CharField("单位名称", max_length=200)
    unit_type = models.CharField("单位类型", max_length=20, choices=UnitType.choices)
    credit_code = models.CharField("统一社会信用代码/组织机构代码", max_length=18, db_index=True)
    certificate = models.ForeignKey("attachments.Attachment", verbose_name="证书上传",
                                    on_delete=models.PROTECT, related_name="+")
    certificate_valid_until = models.DateField("证书有效截止日期", null=True, blank=True)
    registered_on = models.DateField("注册日期")
    region_code = models.CharField("注册地区编码", max_length=6, db_index=True)
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
    def long_term(self):
        return self.certificate_valid_until is None

    @property
    def masked_phone(self):
        return mask_phone(self.admin_phone)

    @property
    def region_name(self):
        return region_name(self.region_code)

    @property
    def is_pending(self):
        return self.status == ApplicationStatus.SUBMITTED
