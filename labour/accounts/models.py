from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from labour.core.roles import AccountKind
from labour.core.visibility import NOTHING, VisibleQuerySet, is_signed_in, tenant_model

if TYPE_CHECKING:
    from labour.audit.services import Scope
    from labour.core.visibility import Actor


class UserQuerySet(VisibleQuerySet):
    def visible_to(self, user: Actor) -> Self:
        """Everyone sees its own account; an enterprise account also the project
        accounts of its enterprise (「项目账号」 management)."""
        if not is_signed_in(user):
            return self.filter(NOTHING)
        own = Q(pk=user.pk)
        if user.is_enterprise:
            own |= Q(kind=AccountKind.PROJECT, enterprise_id=user.enterprise_id)
        return self.filter(own)


class PlatformUserManager(UserManager["User"]):
    """The auth manager (create_user…) with the visibility rule of UserQuerySet."""

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def visible_to(self, user: Actor) -> UserQuerySet:
        return self.get_queryset().visible_to(user)

    def access(self, user: Actor, **lookup: Any) -> User:
        return self.get_queryset().access(user, **lookup)


@tenant_model
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
    # the account administrator's phone (账号管理员手机号): where the platform's SMS go
    admin_phone = models.CharField("账号管理员手机号", max_length=11, blank=True)
    must_change_password = models.BooleanField("须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    objects: ClassVar[PlatformUserManager] = PlatformUserManager()

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
    def is_authority(self) -> bool:
        return self.kind == AccountKind.AUTHORITY

    @property
    def is_enterprise(self) -> bool:
        return self.kind == AccountKind.ENTERPRISE and self.enterprise_id is not None

    @property
    def is_project_account(self) -> bool:
        return (self.kind == AccountKind.PROJECT and self.enterprise_id is not None
                and self.project_id is not None)


    def audit_scope(self) -> Scope:
        from labour.audit.services import Scope

        region = self.region_code if self.is_authority else (
            self.enterprise.region_code if self.enterprise is not None else "")
        return Scope(region_code=region, enterprise_id=self.enterprise_id,
                     project_id=self.project_id)
