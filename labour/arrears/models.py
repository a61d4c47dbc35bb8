"""Precomputed facts of 欠薪预警, kept correct on every payroll and roster write
(facts.refresh) and rebuilt in bulk by `manage.py rebuild_arrears`:

    UnitMonth     one participant × month: its workers 在场, paid, due and paid amounts
                  (the enterprise view, item 7)
    ProjectMonth  one project × month: the same summed, the pay deadline and the
                  level the rules give once that deadline has passed (item 8)

No user writes them: they are derived from the roster and the wage ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Q

from labour.core.models import ChoiceLabels
from labour.core.visibility import NOTHING, VisibleQuerySet, is_signed_in, jurisdiction, tenant_model
from labour.payroll.models import money_field
from labour.projects.choices import ParticipantRole
from labour.workforce.models import RosterQuerySet, own_participations

if TYPE_CHECKING:
    from labour.core.visibility import Actor


class Level(models.TextChoices):
    NONE = "", "无"
    YELLOW = "yellow", "黄色"
    RED = "red", "红色"


class ProjectMonthQuerySet(VisibleQuerySet):
    """A project's months: the authority of its region; the general contractor of the
    project (its enterprise or project account). Everyone else: nothing."""

    def visible_to(self, user: Actor) -> Self:
        if not is_signed_in(user):
            return self.filter(NOTHING)
        if user.is_authority:
            return self.filter(jurisdiction(user, "region_code"))
        general_contractor_of = own_participations(user).filter(
            role=ParticipantRole.GENERAL_CONTRACTOR)
        return self.filter(project_id__in=general_contractor_of.values("project_id"))


class Facts(ChoiceLabels, models.Model):
    month = models.DateField("月份")  # the first day
    on_site = models.PositiveIntegerField("在场人数", default=0)
    paid_workers = models.PositiveIntegerField("已发人数", default=0)
    unpaid_workers = models.PositiveIntegerField("在场未发人数", default=0)
    line_workers = models.PositiveIntegerField("已确认工资的人数", default=0)
    # their 出勤天数, each line counted as at most one statutory month (21.75 days) and a
    # line without days as one whole month: what the minimum wage is compared against
    line_days = models.DecimalField("折算出勤天数", max_digits=12, decimal_places=2, default=0)
    due = money_field("应发", default=0)  # 实发 of confirmed / paid lines
    paid = money_field("已发", default=0)
    last_paid_on = models.DateField("最后一名工人的发放日期", null=True, blank=True)
    max_worker_net = money_field("单人最高实发", default=0)
    exited_unpaid = models.PositiveIntegerField("当月退场未发人数", default=0)

    class Meta:
        abstract = True


@tenant_model
class UnitMonth(Facts):
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.CASCADE,
                                related_name="+")
    participant = models.ForeignKey("projects.Participant", verbose_name="参建单位",
                                    on_delete=models.CASCADE, related_name="+")

    objects = RosterQuerySet.as_manager()

    class Meta:
        verbose_name = "参建单位月度工资发放情况"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["participant", "month"],
                                               name="one_unit_month")]
        indexes = [models.Index(fields=["project", "month"], name="unit_month_project")]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.month:%Y-%m}"


@tenant_model
class ProjectMonth(Facts):
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.CASCADE,
                                related_name="+")
    region_code = models.CharField("所属区域", max_length=6)  # the project's, for the jurisdiction
    pay_deadline = models.DateField("约定发薪日")
    level = models.CharField("等级", max_length=6, choices=Level.choices, blank=True, default="")
    refreshed_at = models.DateTimeField("计算时间", auto_now=True)

    objects = ProjectMonthQuerySet.as_manager()

    class Meta:
        verbose_name = "项目月度欠薪预警"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="one_project_month"),
            models.CheckConstraint(condition=Q(unpaid_workers__lte=models.F("on_site")),
                                   name="project_month_unpaid_within_on_site"),
        ]
        indexes = [
            models.Index(fields=["region_code", "pay_deadline"], name="project_month_warned",
                         condition=~Q(level="")),
            models.Index(fields=["region_code", "month"], name="project_month_region"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.month:%Y-%m}"
