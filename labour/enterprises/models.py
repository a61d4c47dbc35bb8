from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import F, Q

from labour.core.masking import mask_phone
from labour.core.models import ChoiceLabels
from labour.core.validators import region_name
from labour.core.visibility import NOTHING, VisibleQuerySet, is_signed_in, jurisdiction, tenant_model

from .choices import UnitType

if TYPE_CHECKING:
    from labour.audit.services import Scope
    from labour.core.visibility import Actor


class EnterpriseDetails(ChoiceLabels, models.Model):
    """What 企业账号认证 asks for (seed 2.3–2.4): kept on each application and,
    once approved, on the enterprise."""

    name = models.CharField("单位名称", max_length=200)
    unit_type = models.CharField("单位类型", max_length=20, choices=UnitType.choices)
    credit_code = models.CharField("统一社会信用代码/组织机构代码", max_length=18, db_index=True)
    certificate = models.ForeignKey("attachments.Attachment", verbose_name="证书上传",
                                    on_delete=models.PROTECT, related_name="+")
    certificate_valid_until = models.DateField("证书有效截止日期", null=True, blank=True,
                                               help_text="空表示长期")
    registered_on = models.DateField("注册日期")
    region_code = models.CharField("注册地区编码", max_length=6, db_index=True)
    authorisation_letter = models.ForeignKey("attachments.Attachment", verbose_name="账号管理员授权书",
                                             on_delete=models.PROTECT, related_name="+")
    admin_name = models.CharField("账号管理员姓名", max_length=50)
    admin_phone = models.CharField("账号管理员手机号", max_length=11)
    id_card_front = models.ForeignKey("attachments.Attachment", verbose_name="身份证正面",
                                      on_delete=models.PROTECT, related_name="+")
    id_card_back = models.ForeignKey("attachments.Attachment", verbose_name="身份证反面",
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate_valid_until__isnull=True)
                | Q(certificate_valid_until__gt=F("registered_on")),
                name="%(app_label)s_%(class)s_certificate_after_registration"),
        ]

    @property
    def long_term(self) -> bool:
        return self.certificate_valid_until is None

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.admin_phone)

    @property
    def region_name(self) -> str:
        return region_name(self.region_code)


class EnterpriseQuerySet(VisibleQuerySet):
    def visible_to(self, user: Actor) -> Self:
        """An authority sees the enterprises registered in its jurisdiction; an
        enterprise or project account its own enterprise."""
        if not is_signed_in(user):
            return self.filter(NOTHING)
        if user.is_authority:
            return self.filter(jurisdiction(user))
        if user.enterprise_id:
            return self.filter(pk=user.enterprise_id)
        return self.filter(NOTHING)


@tenant_model
class Enterprise(EnterpriseDetails):
    """A certified enterprise (企业). Created only by approving an application."""

    credit_code = models.CharField("统一社会信用代码/组织机构代码", max_length=18, unique=True)
    certified_at = models.DateTimeField("认证通过时间")
    application = models.OneToOneField("certification.EnterpriseApplication",
                                       verbose_name="认证申请", on_delete=models.PROTECT,
                                       related_name="created_enterprise")

    objects = EnterpriseQuerySet.as_manager()

    class Meta(EnterpriseDetails.Meta):
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> Scope:
        from labour.audit.services import Scope

        return Scope(region_code=self.region_code, enterprise_id=self.pk)
