from django.conf import settings
from django.db import models

from labour.core.validators import region_name

from .choices import ConstructionNature, InfoStatus, ParticipantRole, ProjectCategory


class Project(models.Model):
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

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def region_name(self):
        return region_name(self.region_code)


class Participant(models.Model):
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
