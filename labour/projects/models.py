from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from labour.core.models import ChoiceLabels
from labour.core.validators import region_name
from labour.core.visibility import NOTHING, VisibleQuerySet, is_signed_in, jurisdiction, tenant_model
from labour.reviews.models import ReviewedSubmission, review_constraints

from .choices import (
    ConstructionNature,
    GuaranteeForm,
    InfoStatus,
    ParticipantRole,
    ProjectCategory,
)
from .visibility import participation

if TYPE_CHECKING:
    from labour.audit.services import Scope
    from labour.core.visibility import Actor


def _participations(user: Actor) -> models.QuerySet[Participant]:
    return Participant.objects.filter(participation(user))


class ProjectQuerySet(VisibleQuerySet):
    def visible_to(self, user: Actor) -> Self:
        """An authority: the projects of its jurisdiction; an enterprise or project
        account: the projects it takes part in."""
        if not is_signed_in(user):
            return self.filter(NOTHING)
        if user.is_authority:
            return self.filter(jurisdiction(user))
        return self.filter(pk__in=_participations(user).values("project_id"))

    def where_role(self, user: Actor, role: str) -> Self:
        """The projects where the user's unit takes part as `role`."""
        return self.filter(pk__in=_participations(user).filter(role=role).values("project_id"))


class ProjectScopedQuerySet(VisibleQuerySet):
    """Rows of a project (a `project` foreign key): the project's authority and its
    participants see them."""

    def visible_to(self, user: Actor) -> Self:
        if not is_signed_in(user):
            return self.filter(NOTHING)
        if user.is_authority:
            return self.filter(jurisdiction(user, "project__region_code"))
        return self.filter(project_id__in=_participations(user).values("project_id"))


class GeneralContractorQuerySet(VisibleQuerySet):
    """Rows of a project that only its authority and its general contractor see."""

    def visible_to(self, user: Actor) -> Self:
        if not is_signed_in(user):
            return self.filter(NOTHING)
        if user.is_authority:
            return self.filter(jurisdiction(user, "project__region_code"))
        return self.filter(project_id__in=_participations(user).filter(
            role=ParticipantRole.GENERAL_CONTRACTOR).values("project_id"))


class ProjectScoped:
    """Audit scope of a row that belongs to a project."""

    project: Project

    def audit_scope(self) -> Scope:
        from labour.audit.services import Scope

        return Scope(region_code=self.project.region_code, project_id=self.project.pk)


@tenant_model
class Project(ChoiceLabels, models.Model):
    """A building project, created by the authority (seed 二)."""

    code = models.CharField("项目编号", max_length=20, unique=True)
    name = models.CharField("项目名称", max_length=200)
    region_code = models.CharField("所属区域", max_length=6, db_index=True)
    address = models.CharField("项目地址", max_length=300)
    category = models.CharField("项目类别", max_length=20, choices=ProjectCategory.choices)
    nature = models.CharField("建设性质", max_length=20, choices=ConstructionNature.choices)
    total_investment = models.DecimalField("总投资（万元）", max_digits=14, decimal_places=2)
    floor_area = models.DecimalField("建筑面积（㎡）", max_digits=14, decimal_places=2)
    planned_start = models.DateField("计划开工日期")
    planned_end = models.DateField("计划竣工日期")
    permit_no = models.CharField("施工许可证号", max_length=60, blank=True)
    info_status = models.CharField("项目信息状态", max_length=10, choices=InfoStatus.choices,
                                   default=InfoStatus.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_end__gte=F("planned_start")),
                                   name="project_planned_start_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def region_name(self) -> str:
        return region_name(self.region_code)

    def audit_scope(self) -> Scope:
        from labour.audit.services import Scope

        return Scope(region_code=self.region_code, project_id=self.pk)


@tenant_model
class Participant(ProjectScoped, ChoiceLabels, models.Model):
    """参建单位: keyed by credit code, so that an enterprise that certifies later
    sees its projects at once."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE,
                                related_name="participants")
    role = models.CharField("参建类型", max_length=24, choices=ParticipantRole.choices)
    unit_name = models.CharField("单位名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    subcontract_content = models.CharField("分包内容", max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="添加人",
                                 on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("添加时间", auto_now_add=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "参建单位"
        verbose_name_plural = "参建单位"
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "credit_code", "role"],
                                    name="one_role_per_unit_per_project"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.unit_name}"


@tenant_model
class ProjectInformation(ProjectScoped, ChoiceLabels, models.Model):
    """项目信息完善: kept by the general contractor (its enterprise account or its
    project account), reviewed by the authority."""

    project = models.OneToOneField(Project, verbose_name="项目", on_delete=models.CASCADE,
                                   related_name="information")
    manager_name = models.CharField("项目经理姓名", max_length=50, blank=True)
    manager_phone = models.CharField("项目经理手机号", max_length=11, blank=True)
    labour_manager_name = models.CharField("劳资专管员姓名", max_length=50, blank=True)
    labour_manager_phone = models.CharField("劳资专管员手机号", max_length=11, blank=True)
    contract_amount = models.DecimalField("合同金额（万元）", max_digits=14, decimal_places=2,
                                          null=True, blank=True)
    actual_start = models.DateField("实际开工日期", null=True, blank=True)
    wage_bank = models.CharField("开户银行", max_length=100, blank=True)
    wage_account_no = models.CharField("账号", max_length=40, blank=True)
    wage_account_name = models.CharField("户名", max_length=200, blank=True)
    guarantee_amount = models.DecimalField("工资保证金金额（万元）", max_digits=14,
                                           decimal_places=2, null=True, blank=True)
    guarantee_form = models.CharField("缴纳形式", max_length=20, choices=GuaranteeForm.choices,
                                      blank=True)
    guarantee_date = models.DateField("缴纳日期", null=True, blank=True)
    # 约定发薪日: month M is paid by this day of M+1 (empty: PAYROLL_DEFAULT_PAY_DAY)
    pay_day = models.PositiveSmallIntegerField("约定发薪日", null=True, blank=True)
    notice_board_photo = models.ForeignKey("attachments.Attachment", verbose_name="维权信息告示牌",
                                           null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人",
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "项目信息"
        verbose_name_plural = "项目信息"
        constraints = [models.CheckConstraint(
            condition=Q(pay_day__isnull=True) | (Q(pay_day__gte=1) & Q(pay_day__lte=28)),
            name="project_information_pay_day_1_to_28")]

    def __str__(self):
        return f"{self.project} 项目信息"


@tenant_model
class ProjectInfoSubmission(ProjectScoped, ReviewedSubmission):
    """One 「提交审核」 of the project information and its decision; the history is
    never overwritten (each submission points to the previous one)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE,
                                related_name="info_submissions")
    snapshot = models.JSONField("提交内容")

    objects = GeneralContractorQuerySet.as_manager()

    class Meta(ReviewedSubmission.Meta):
        verbose_name = "项目信息审核记录"
        verbose_name_plural = "项目信息审核记录"
        # 「项目信息审核」's first page: pending rows in order
        indexes = [models.Index(fields=["submitted_at", "id"],
                                condition=models.Q(status="submitted"),
                                name="info_submission_pending_queue")]
        constraints = [
            models.UniqueConstraint(fields=["project"],
                                    condition=models.Q(status="submitted"),
                                    name="one_pending_info_submission_per_project"),
            *review_constraints("info_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_status_display()}"
