from django.db import models

from labour.core.transitions import Flow


class Gender(models.TextChoices):
    """性别 (national dictionary: 0 男, 1 女)."""

    MALE = "0", "男"
    FEMALE = "1", "女"


class WorkerRole(models.TextChoices):
    """工人类型 (national work_role)."""

    BUILDER = "20", "建筑工人"
    MANAGER = "10", "管理人员"


class EventKind(models.TextChoices):
    """进退场类型 (national: 1 进场, 0 退场)."""

    ENTRY = "1", "进场"
    EXIT = "0", "退场"


class AgreementKind(models.TextChoices):
    """协议类型: a labour contract, or a written employment agreement where there is
    no employment relationship (办法 第八条 as amended by 建市〔2022〕59号)."""

    LABOUR_CONTRACT = "labour_contract", "劳动合同"
    WRITTEN_AGREEMENT = "written_agreement", "用工书面协议"


class RosterStatus(models.TextChoices):
    """A worker's status on a project's roster: the last 进场/退场 event."""

    REGISTERED = "registered", "未进场"
    ON_SITE = "on_site", "在场"
    EXITED = "exited", "已退场"


# 进场 from 未进场 or 已退场 (re-entry is a new event); 退场 only from 在场
ROSTER_FLOW = Flow(RosterStatus, {
    RosterStatus.REGISTERED: (RosterStatus.ON_SITE,),
    RosterStatus.ON_SITE: (RosterStatus.EXITED,),
    RosterStatus.EXITED: (RosterStatus.ON_SITE,),
}, name="在场状态")


class ImportStatus(models.TextChoices):
    """批量导入: checked (preview) first, imported only on 「确认导入」."""

    QUEUED = "queued", "等待检查"
    CHECKING = "checking", "正在检查"
    CHECKED = "checked", "待确认导入"
    REFUSED = "refused", "文件被拒绝"
    IMPORTING = "importing", "正在导入"
    IMPORTED = "imported", "已导入"
    FAILED = "failed", "导入失败"


IMPORT_FLOW = Flow(ImportStatus, {
    ImportStatus.QUEUED: (ImportStatus.CHECKING, ImportStatus.REFUSED, ImportStatus.FAILED),
    ImportStatus.CHECKING: (ImportStatus.CHECKED, ImportStatus.REFUSED, ImportStatus.FAILED),
    ImportStatus.CHECKED: (ImportStatus.IMPORTING,),
    ImportStatus.IMPORTING: (ImportStatus.IMPORTED, ImportStatus.FAILED),
}, name="批量导入")
