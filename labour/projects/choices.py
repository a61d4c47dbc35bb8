from django.db import models

from labour.core.transitions import Flow


class ProjectCategory(models.TextChoices):
    BUILDING = "building", "房屋建筑工程"
    MUNICIPAL = "municipal", "市政公用工程"
    ROAD = "road", "公路工程"
    WATER = "water", "水利工程"
    RAIL = "rail", "轨道交通工程"
    LANDSCAPE = "landscape", "园林绿化工程"
    DECORATION = "decoration", "装饰装修工程"
    OTHER = "other", "其他"


class ConstructionNature(models.TextChoices):
    NEW = "new", "新建"
    REBUILD = "rebuild", "改建"
    EXTEND = "extend", "扩建"
    RELOCATE = "relocate", "迁建"
    RESTORE = "restore", "恢复"
    OTHER = "other", "其他"


class ParticipantRole(models.TextChoices):
    GENERAL_CONTRACTOR = "general_contractor", "施工总承包"
    OWNER = "owner", "建设单位"
    SUPERVISOR = "supervisor", "监理单位"
    SPECIALTY_CONTRACTOR = "specialty_contractor", "专业承包"
    LABOUR_SUBCONTRACTOR = "labour_subcontractor", "劳务分包"


# created with the project by the authority (seed 2.8)
FIRST_ROLES = (ParticipantRole.GENERAL_CONTRACTOR, ParticipantRole.OWNER,
               ParticipantRole.SUPERVISOR)
# added by the general contractor in the project information
LATER_ROLES = (ParticipantRole.SPECIALTY_CONTRACTOR, ParticipantRole.LABOUR_SUBCONTRACTOR)


class InfoStatus(models.TextChoices):
    DRAFT = "draft", "待完善"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


# the project information (Project.info_status): edited while 待完善 or 已退回
INFO_FLOW = Flow(InfoStatus, {
    InfoStatus.DRAFT: (InfoStatus.SUBMITTED,),
    InfoStatus.RETURNED: (InfoStatus.SUBMITTED,),
    InfoStatus.SUBMITTED: (InfoStatus.APPROVED, InfoStatus.RETURNED),
}, name="项目信息")
INFO_EDITABLE = (InfoStatus.DRAFT, InfoStatus.RETURNED)


class GuaranteeForm(models.TextChoices):
    CASH = "cash", "现金"
    BANK_GUARANTEE = "bank_guarantee", "银行保函"
    GUARANTOR = "guarantor", "工程担保公司保函"
    INSURANCE = "insurance", "工程保证保险"
