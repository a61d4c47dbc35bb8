from django.contrib.auth.models import AbstractUser
from django.db import models

from .choices import AccountKind


class User(AbstractUser):
    kind = models.CharField("账号类型", max_length=20, choices=AccountKind.choices,
                            default=AccountKind.OPERATOR)
    display_name = models.CharField("名称", max_length=200, blank=True)
    region_code = models.CharField("管辖地区编码", max_length=6, blank=True)
    # the enterprise account, or the unit a project account belongs to
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", null=True, blank=True,
        on_delete=models.PROTECT, related_name="accounts",
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True,
        on_delete=models.PROTECT, related_name="accounts",
    )
    must_change_password = models.BooleanField("须修改密码", default=False)
    failed_logins = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        constraints = [
            models.UniqueConstraint(fields=["enterprise"],
                                    condition=models.Q(kind=AccountKind.ENTERPRISE),
                                    name="one_enterprise_account_per_enterprise"),
        ]

    def __str__(self):
        return f"{self.username}（{self.display_name or self.get_kind_display()}）"

    @property
    def is_authority(self):
        return self.kind == AccountKind.AUTHORITY

    @property
    def is_enterprise(self):
        return self.kind == AccountKind.ENTERPRISE and self.enterprise_id is not None

    @property
    def admin_phone(self):
        return self.enterprise.admin_phone if self.enterprise_id else ""
