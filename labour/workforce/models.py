"""The real-name roster (实名制用工), shaped one-to-one on the national platform's
objects (全国建筑工人管理服务信息平台):

    Person          WorkerMaster     one natural person, platform-wide, found by 证件号码
    ProjectWorker   ProjectWorker    a person on one participant's roster of a project
    Team            Team             班组 of a participant on a project
    WorkerEvent     WorkerEntryExit  进场 / 退场, the roster status is the last one
    WorkerContract  WorkerContract   劳动合同 / 用工书面协议 of a project worker
    WageCard        (payRollBank…)   工资卡 of a project worker; the holder is the worker

ID, card and worker phone numbers are stored encrypted (`…_token`) beside a keyed
hash (`…_hmac`) for look-ups; see crypto.py.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from labour.core.masking import mask_card_number, mask_id_number, mask_phone
from labour.core.models import ChoiceLabels
from labour.core.visibility import NOTHING, VisibleQuerySet, is_signed_in, jurisdiction, tenant_model
from labour.projects.choices import ParticipantRole
from labour.projects.models import Participant
from labour.projects.visibility import participation

from . import crypto
from .choices import AgreementKind, EventKind, Gender, ImportStatus, RosterStatus, WorkerRole
from .codes import (
    CONTRACT_PERIOD_TYPES,
    CULTURE_LEVELS,
    ID_TYPES,
    MEASURE_UNITS,
    NATIONS,
    POLITICS_TYPES,
    RESIDENT_ID_CARD,
    WORK_TYPES,
)

if TYPE_CHECKING:
    from labour.audit.services import Scope
    from labour.core.visibility import Actor
    from labour.projects.models import Project


def own_participations(user: Actor) -> models.QuerySet[Participant]:
    """The participations whose roster the user keeps (enterprise account: all of its
    enterprise's; project account: those of its project)."""
    return Participant.objects.filter(participation(user))


class RosterQuerySet(VisibleQuerySet):
    """Rows of a participant's roster on a project (reached through `path`).

    Who sees them: the participant itself (its enterprise account, its project
    account on that project); the general contractor of the project (it answers
    for every participant's wages: read only); the authority of the project's
    region. Everyone else: nothing."""

    path = ""

    def visible_to(self, user: Actor) -> Self:
        if not is_signed_in(user):
            return self.filter(NOTHING)
        if user.is_authority:
            return self.filter(jurisdiction(user, f"{self.path}project__region_code"))
        own = own_participations(user)
        general_contractor_of = own.filter(role=ParticipantRole.GENERAL_CONTRACTOR)
        return self.filter(Q(**{f"{self.path}participant__in": own.values("pk")})
                           | Q(**{f"{self.path}project_id__in": general_contractor_of.values("project_id")}))

    def owned_by(self, user: Actor) -> Self:
        """Only the rows of the user's own participations (what it may edit)."""
        if not is_signed_in(user):
            return self.filter(NOTHING)
        return self.filter(**{f"{self.path}participant__in": own_participations(user).values("pk")})


class WorkerPartQuerySet(RosterQuerySet):
    path = "worker__"


class OwnImportsQuerySet(RosterQuerySet):
    def visible_to(self, user: Actor) -> Self:
        """An import is seen only by the participant that made it."""
        return self.owned_by(user)


class PersonQuerySet(VisibleQuerySet):
    def visible_to(self, user: Actor) -> Self:
        """A person is seen by whoever sees one of its roster rows."""
        return self.filter(pk__in=ProjectWorker.objects.visible_to(user).values("person_id"))


class RosterScoped:
    """Audit scope of a roster row: its project (the actor adds its enterprise)."""

    project: Project

    def audit_scope(self) -> Scope:
        from labour.audit.services import Scope

        return Scope(region_code=self.project.region_code, project_id=self.project.pk)


def _attachment(label: str) -> models.ForeignKey:
    return models.ForeignKey("attachments.Attachment", verbose_name=label, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")


@tenant_model
class Person(ChoiceLabels, models.Model):
    """工人实名基础信息 (WorkerMaster): one natural person, platform-wide."""

    name = models.CharField("姓名", max_length=50, db_index=True)
    id_type = models.CharField("证件类型", max_length=2, default=RESIDENT_ID_CARD)
    id_number_token = models.TextField("证件号码（密文）")
    id_number_hmac = models.CharField("证件号码（检索摘要）", max_length=64)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    nation = models.CharField("民族", max_length=10)
    grant_org = models.CharField("发证机关", max_length=60)
    id_valid_from = models.DateField("证件有效期开始", null=True, blank=True)
    id_valid_until = models.DateField("证件有效期结束", null=True, blank=True, help_text="空表示长期")
    address = models.CharField("住址", max_length=200)
    phone_token = models.TextField("手机号（密文）")
    phone_hmac = models.CharField("手机号（检索摘要）", max_length=64, db_index=True)
    politics_type = models.CharField("政治面貌", max_length=2, blank=True)
    culture_level = models.CharField("文化程度", max_length=2, blank=True)
    photo = _attachment("本人照片")
    head_image = _attachment("交换用头像（≤50KB JPEG）")
    id_card_front = _attachment("身份证正面")
    id_card_back = _attachment("身份证反面")
    urgent_contact_name = models.CharField("紧急联系人", max_length=50, blank=True)
    urgent_contact_phone_token = models.TextField("紧急联系人电话（密文）", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        constraints = [
            models.UniqueConstraint(fields=["id_type", "id_number_hmac"],
                                    name="one_person_per_id_number"),
            models.CheckConstraint(condition=~Q(id_number_hmac="") & ~Q(id_number_token=""),
                                   name="person_has_id_number"),
            models.CheckConstraint(condition=Q(id_valid_until__isnull=True)
                                   | Q(id_valid_from__isnull=True)
                                   | Q(id_valid_until__gte=F("id_valid_from")),
                                   name="person_id_validity_in_order"),
        ]

    def __str__(self) -> str:
        return self.name

    # personal numbers: decrypted when asked (a page asks only for the rows it shows)
    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_token)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_token)

    @property
    def urgent_contact_phone(self) -> str:
        return crypto.decrypt(self.urgent_contact_phone_token)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_urgent_contact_phone(self) -> str:
        return mask_phone(self.urgent_contact_phone)

    @property
    def id_type_label(self) -> str:
        return ID_TYPES.label(self.id_type)

    @property
    def nation_label(self) -> str:
        return f"{self.nation}族" if NATIONS.code_for(self.nation) else self.nation

    @property
    def politics_label(self) -> str:
        return POLITICS_TYPES.label(self.politics_type) if self.politics_type else ""

    @property
    def culture_label(self) -> str:
        return CULTURE_LEVELS.label(self.culture_level) if self.culture_level else ""

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@tenant_model
class Team(RosterScoped, ChoiceLabels, models.Model):
    """班组 (national Team): a participant's team on a project; 班组名称 is unique
    within the project."""

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.CASCADE,
                                related_name="teams")
    participant = models.ForeignKey(Participant, verbose_name="参建单位", on_delete=models.PROTECT,
                                    related_name="teams")
    name = models.CharField("班组名称", max_length=100)
    leader = models.ForeignKey("workforce.ProjectWorker", verbose_name="班组长", null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    responsible_name = models.CharField("责任人姓名", max_length=50, blank=True)
    responsible_phone = models.CharField("责任人电话", max_length=11, blank=True)
    entry_date = models.DateField("进场日期", null=True, blank=True)
    exit_date = models.DateField("退场日期", null=True, blank=True)
    remark = models.CharField("备注", max_length=200, blank=True)
    team_sys_no = models.BigIntegerField("全国平台班组编号", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RosterQuerySet.as_manager()

    class Meta:
        verbose_name = "班组"
        verbose_name_plural = "班组"
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="team_name_unique_in_project"),
            models.CheckConstraint(condition=Q(exit_date__isnull=True) | Q(entry_date__isnull=True)
                                   | Q(exit_date__gte=F("entry_date")),
                                   name="team_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.name


@tenant_model
class ProjectWorker(RosterScoped, ChoiceLabels, models.Model):
    """项目人员 (national ProjectWorker): a person on one participant's roster."""

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.CASCADE,
                                related_name="workers")
    participant = models.ForeignKey(Participant, verbose_name="参建单位", on_delete=models.PROTECT,
                                    related_name="workers")
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT,
                               related_name="roster_rows")
    team = models.ForeignKey(Team, verbose_name="班组", on_delete=models.PROTECT,
                             related_name="workers")
    work_role = models.CharField("工人类型", max_length=2, choices=WorkerRole.choices,
                                 default=WorkerRole.BUILDER)
    work_type = models.CharField("工种", max_length=3)
    is_team_leader = models.BooleanField("是否班组长", default=False)
    safety_training_date = models.DateField("基本安全培训日期", null=True, blank=True)
    has_insurance = models.BooleanField("是否购买工伤或意外伤害保险", default=False)
    status = models.CharField("状态", max_length=12, choices=RosterStatus.choices,
                              default=RosterStatus.REGISTERED)
    last_event_date = models.DateField("最近进退场日期", null=True, blank=True)
    import_job = models.ForeignKey("workforce.ImportJob", verbose_name="导入批次", null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="添加人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    objects = RosterQuerySet.as_manager()

    class Meta:
        verbose_name = "项目人员"
        verbose_name_plural = "项目人员"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "person"],
                                    name="one_roster_row_per_person_and_participant"),
        ]
        indexes = [
            models.Index(fields=["project", "status", "-id"], name="roster_project_status"),
            models.Index(fields=["participant", "status", "-id"], name="roster_participant_status"),
            models.Index(fields=["person", "status"], name="roster_person_status"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.project_id}"

    @property
    def work_type_label(self) -> str:
        return WORK_TYPES.label(self.work_type)


@tenant_model
class WorkerEvent(ChoiceLabels, models.Model):
    """进场 / 退场 (national WorkerEntryExit), never edited: the status is the last."""

    worker = models.ForeignKey(ProjectWorker, verbose_name="项目人员", on_delete=models.CASCADE,
                               related_name="events")
    kind = models.CharField("类型", max_length=1, choices=EventKind.choices)
    date = models.DateField("日期")
    voucher = _attachment("凭证")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人",
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = WorkerPartQuerySet.as_manager()

    class Meta:
        verbose_name = "进退场记录"
        verbose_name_plural = "进退场记录"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


@tenant_model
class WorkerContract(ChoiceLabels, models.Model):
    """劳动合同 / 用工书面协议 (national WorkerContract) of a project worker."""

    worker = models.OneToOneField(ProjectWorker, verbose_name="项目人员", on_delete=models.CASCADE,
                                  related_name="contract")
    agreement_kind = models.CharField("协议类型", max_length=20, choices=AgreementKind.choices)
    period_type = models.CharField("期限类型", max_length=1)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    unit = models.CharField("计量单位", max_length=3, blank=True)
    unit_price = models.DecimalField("单价（元）", max_digits=12, decimal_places=2, null=True,
                                     blank=True)
    file_1 = _attachment("合同文件")
    file_2 = _attachment("合同文件（第2份）")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人",
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    objects = WorkerPartQuerySet.as_manager()

    class Meta:
        verbose_name = "劳动合同"
        verbose_name_plural = "劳动合同"
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")),
                                   name="contract_dates_in_order"),
            models.CheckConstraint(condition=Q(unit_price__isnull=True) | Q(unit_price__gte=0),
                                   name="contract_unit_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_agreement_kind_display()} {self.start_date:%Y-%m-%d}"

    @property
    def period_label(self) -> str:
        return CONTRACT_PERIOD_TYPES.label(self.period_type)

    @property
    def unit_label(self) -> str:
        return MEASURE_UNITS.label(self.unit) if self.unit else ""


@tenant_model
class WageCard(models.Model):
    """工资卡 of a project worker: the holder is always the worker (no holder name is
    typed); one card per person per project."""

    worker = models.OneToOneField(ProjectWorker, verbose_name="项目人员", on_delete=models.CASCADE,
                                  related_name="wage_card")
    bank_code = models.CharField("银行代码", max_length=3)
    bank_name = models.CharField("开户银行", max_length=50)
    branch_name = models.CharField("开户支行名称", max_length=100)
    link_number = models.CharField("联行号", max_length=12, blank=True)
    card_number_token = models.TextField("卡号（密文）")
    card_number_hmac = models.CharField("卡号（检索摘要）", max_length=64, db_index=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人",
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    objects = WorkerPartQuerySet.as_manager()

    class Meta:
        verbose_name = "工资卡"
        verbose_name_plural = "工资卡"
        constraints = [
            models.CheckConstraint(condition=~Q(card_number_hmac="") & ~Q(card_number_token=""),
                                   name="wage_card_has_number"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.masked_card_number}"

    @property
    def card_number(self) -> str:
        return crypto.decrypt(self.card_number_token)

    @property
    def masked_card_number(self) -> str:
        return mask_card_number(self.card_number)


@tenant_model
class ImportJob(RosterScoped, ChoiceLabels, models.Model):
    """One 批量导入: the uploaded file is checked (the preview: every refused row with
    its row, column and reason), then 「确认导入」 imports the accepted rows in one
    transaction. The accepted rows wait encrypted (`payload_token`), the file
    encrypted in private storage until it has been checked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.CASCADE,
                                related_name="+")
    participant = models.ForeignKey(Participant, verbose_name="参建单位", on_delete=models.CASCADE,
                                    related_name="+")
    # what is imported (an importer registered in importing.py: "roster", "wage_lines"…)
    # and into what: blank for the project's roster, else the key of the target (a wage
    # sheet's number); a higher app's object, so a key rather than a foreign key
    kind = models.CharField("导入类别", max_length=20, default="roster")
    target = models.CharField("导入对象", max_length=40, blank=True)
    status = models.CharField("状态", max_length=12, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    file_name = models.CharField("文件名", max_length=200)
    stored_file = models.CharField("加密文件", max_length=200, blank=True)
    in_background = models.BooleanField("后台处理", default=False)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    checked_rows = models.PositiveIntegerField("已检查行数", default=0)
    accepted_count = models.PositiveIntegerField("可导入行数", default=0)
    imported_count = models.PositiveIntegerField("已导入行数", default=0)
    refusals = models.JSONField("不能导入的行", default=list, blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    payload_token = models.TextField("可导入的行（密文）", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = OwnImportsQuerySet.as_manager()

    class Meta:
        verbose_name = "批量导入"
        verbose_name_plural = "批量导入"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["project", "kind", "target"], name="import_job_target")]

    def __str__(self) -> str:
        return f"{self.file_name} {self.get_status_display()}"

    @property
    def busy(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.IMPORTING)

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.CHECKED, ImportStatus.IMPORTED):
            return 100
        return int(self.checked_rows * 100 / self.total_rows) if self.total_rows else 0
