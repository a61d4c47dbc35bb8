"""工资核算与发放: the monthly wage sheets of each team, shaped on the national
platform's Payroll / PayrollDetail, and the 工资支付台账 the law asks for
(保障农民工工资支付条例 第十五条: kept at least 3 years; 第五十条: the employer
produces it in a wage dispute).

    WageSheet        Payroll          one per team per month (工资月份)
    SheetSubmission  —                each 「提交」 and the general contractor's decision
    WageLine         PayrollDetail    a worker's line: days, hours, 应发/代扣/实发, 补发
    WageItem         —                the itemised 应发 and 代扣 amounts of a line
    Payment          —                one 发放 through the project's 工资专用账户

Money is Decimal with 2 places, never negative, sums checked by the database too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from labour.core.models import ChoiceLabels
from labour.core.transitions import Flow
from labour.core.visibility import tenant_model
from labour.reviews.models import ReviewedSubmission, review_constraints
from labour.workforce.models import RosterQuerySet

from .choices import (
    SUBMISSION_FLOW,
    ItemKind,
    LineStatus,
    SheetStatus,
    SubmissionStatus,
)

if TYPE_CHECKING:
    from labour.audit.services import Scope

ZERO = Decimal("0.00")


def money_field(label: str, **options: Any) -> models.DecimalField:
    """元, 2 decimal places (up to a thousand billion)."""
    return models.DecimalField(label, max_digits=14, decimal_places=2, **options)


class RetentionError(Exception):
    """The wage ledger is kept at least 3 years after payment: never deleted."""


class SheetQuerySet(RosterQuerySet):
    """Sheets (or rows of a sheet, through `path`), visible as the roster is (issue 9):
    the participant's own (`owned_by`: what it prepares); every sheet of its project
    for the general contractor (it confirms and pays them); the jurisdiction's for the
    authority (read only). Everyone else: nothing. Never deleted."""

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RetentionError("工资支付台账须保存至少3年，不能删除")


class SheetPartQuerySet(SheetQuerySet):
    path = "sheet__"


class ItemQuerySet(SheetQuerySet):
    path = "line__sheet__"

    def discard_drafts(self) -> int:
        """Delete, in one statement, those of these items whose line is still being
        prepared (its sheet 草稿 or 已退回, the line unpaid): amounts retyped before the
        sheet is submitted. Every other item is the ledger and stays."""
        from .choices import EDITABLE

        drafts = self.filter(line__sheet__status__in=EDITABLE, line__pay_status=LineStatus.UNPAID)
        return drafts._raw_delete(drafts.db)


class Retained(ChoiceLabels, models.Model):
    """A row of the wage ledger: neither the platform nor the admin deletes it (条例
    第十五条: 工资支付台账 kept at least 3 years). Only a line or an item of a sheet
    still being prepared (草稿/已退回, nothing paid) may be removed."""

    class Meta:
        abstract = True

    def removable(self) -> bool:
        return False

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if not self.removable():
            raise RetentionError("工资支付台账须保存至少3年，不能删除")
        return super().delete(*args, **kwargs)


class SheetScoped:
    project: Any

    def audit_scope(self) -> Scope:
        from labour.audit.services import Scope

        return Scope(region_code=self.project.region_code, project_id=self.project.pk)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


@tenant_model
class WageSheet(SheetScoped, Retained):
    """工资表 (national Payroll): one per team per month, prepared by the team's
    participant, confirmed by the general contractor, paid through the wage account."""

    number = models.CharField("工资表编号", max_length=24, unique=True)  # thirdPayRollCode
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT,
                                related_name="wage_sheets")
    participant = models.ForeignKey("projects.Participant", verbose_name="参建单位",
                                    on_delete=models.PROTECT, related_name="wage_sheets")
    team = models.ForeignKey("workforce.Team", verbose_name="班组", on_delete=models.PROTECT,
                             related_name="wage_sheets")
    month = models.DateField("工资月份")  # the first day of the month
    status = models.CharField("状态", max_length=10, choices=SheetStatus.choices,
                              default=SheetStatus.DRAFT, db_index=True)
    signed_scan = models.ForeignKey("attachments.Attachment", verbose_name="工人签字确认的工资支付表",
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    line_count = models.PositiveIntegerField("人数", default=0)
    gross_total = money_field("应发合计", default=ZERO)
    deduction_total = money_field("代扣合计", default=ZERO)
    net_total = money_field("实发合计", default=ZERO)
    paid_total = money_field("已发放金额", default=ZERO)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制表人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("制表时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    paid_at = models.DateTimeField("全部发放时间", null=True, blank=True)

    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = "工资表"
        verbose_name_plural = "工资表"
        ordering = ["-month", "team_id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="one_wage_sheet_per_team_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="wage_sheet_month_is_first_day"),
            models.CheckConstraint(
                condition=Q(gross_total__gte=0) & Q(deduction_total__gte=0) & Q(net_total__gte=0)
                & Q(paid_total__gte=0), name="wage_sheet_amounts_not_negative"),
            models.CheckConstraint(condition=Q(net_total=F("gross_total") - F("deduction_total")),
                                   name="wage_sheet_net_is_gross_less_deductions"),
        ]
        indexes = [models.Index(fields=["project", "month"], name="wage_sheet_project_month"),
                   models.Index(fields=["participant", "month"], name="wage_sheet_unit_month")]

    def __str__(self) -> str:
        return f"{self.number} {self.month:%Y-%m}"

    @property
    def is_editable(self) -> bool:
        from .choices import EDITABLE

        return self.status in EDITABLE


@tenant_model
class SheetSubmission(SheetScoped, ReviewedSubmission):
    """One 「提交」 of a wage sheet and the general contractor's 「确认」 or 「退回」
    (its 劳资专管员: enterprise account or project account). History, never edited."""

    status_flow: ClassVar[Flow] = SUBMISSION_FLOW
    PENDING: ClassVar[str] = SubmissionStatus.SUBMITTED
    APPROVED: ClassVar[str] = SubmissionStatus.CONFIRMED
    RETURNED: ClassVar[str] = SubmissionStatus.RETURNED

    sheet = models.ForeignKey(WageSheet, verbose_name="工资表", on_delete=models.PROTECT,
                              related_name="submissions")
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT,
                                related_name="+")
    participant = models.ForeignKey("projects.Participant", verbose_name="参建单位",
                                    on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.SUBMITTED, db_index=True)
    line_count = models.PositiveIntegerField("人数")
    net_total = money_field("实发合计")
    # the signed 工资支付表 this submission was made with: a returned sheet is signed
    # again, and each signed version stays in the ledger
    signed_scan = models.ForeignKey("attachments.Attachment", verbose_name="工人签字确认的工资支付表",
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    objects = SheetQuerySet.as_manager()

    class Meta(ReviewedSubmission.Meta):
        verbose_name = "工资表提交与确认记录"
        verbose_name_plural = "工资表提交与确认记录"
        constraints = [
            models.UniqueConstraint(fields=["sheet"], condition=Q(status=SubmissionStatus.SUBMITTED),
                                    name="one_pending_submission_per_sheet"),
            *review_constraints("sheet_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} {self.get_status_display()}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RetentionError("工资支付台账须保存至少3年，不能删除")


@tenant_model
class Payment(Retained):
    """One 发放 of a confirmed sheet through the project's 工资专用账户: the bank's
    batch number and 回单, the payer account as it was, who recorded it."""

    sheet = models.ForeignKey(WageSheet, verbose_name="工资表", on_delete=models.PROTECT,
                              related_name="payments")
    paid_on = models.DateField("发放日期")  # balanceDate
    batch_number = models.CharField("银行批次号", max_length=60)
    receipt = models.ForeignKey("attachments.Attachment", verbose_name="银行回单",
                                on_delete=models.PROTECT, related_name="+")
    payer_bank = models.CharField("代发银行", max_length=100)
    payer_account_name = models.CharField("代发账户户名", max_length=200)
    payer_account_token = models.TextField("代发账号（密文）")
    paid_count = models.PositiveIntegerField("发放成功人数", default=0)
    failed_count = models.PositiveIntegerField("发放失败人数", default=0)
    paid_amount = money_field("发放成功金额", default=ZERO)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人",
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = SheetPartQuerySet.as_manager()

    class Meta:
        verbose_name = "工资发放记录"
        verbose_name_plural = "工资发放记录"
        ordering = ["-recorded_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(paid_amount__gte=0),
                                              name="payment_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.sheet} {self.paid_on:%Y-%m-%d} {self.batch_number}"

    def audit_scope(self) -> Scope:
        return self.sheet.audit_scope()


@tenant_model
class WageLine(Retained):
    """A worker's line (national PayrollDetail). 应发合计, 代扣合计 and 实发 are the
    sums of its items, computed by the service and checked by the database."""

    sheet = models.ForeignKey(WageSheet, verbose_name="工资表", on_delete=models.PROTECT,
                              related_name="lines")
    worker = models.ForeignKey("workforce.ProjectWorker", verbose_name="人员",
                               on_delete=models.PROTECT, related_name="wage_lines")
    days = models.DecimalField("出勤天数", max_digits=4, decimal_places=1, default=ZERO)
    work_hours = models.DecimalField("工时", max_digits=6, decimal_places=2, null=True, blank=True)
    gross_total = money_field("应发合计", default=ZERO)  # totalPayAmount
    deduction_total = money_field("代扣合计", default=ZERO)
    net_amount = money_field("实发", default=ZERO)  # actualAmount
    is_back_pay = models.BooleanField("是否补发", default=False)
    back_pay_month = models.DateField("补发月份", null=True, blank=True)
    pay_status = models.CharField("发放状态", max_length=10, choices=LineStatus.choices,
                                  default=LineStatus.UNPAID, db_index=True)
    payment = models.ForeignKey(Payment, verbose_name="发放记录", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="lines")
    paid_on = models.DateField("发放日期", null=True, blank=True)
    failure_reason = models.CharField("发放失败原因", max_length=200, blank=True)
    # the worker's card the money went to, as it was (payRollBank…): never rewritten
    card_bank_code = models.CharField("工资卡银行代码", max_length=3, blank=True)
    card_bank_name = models.CharField("工资卡开户银行", max_length=100, blank=True)
    card_number_token = models.TextField("工资卡号（密文）", blank=True)

    objects = SheetPartQuerySet.as_manager()

    class Meta:
        verbose_name = "工资明细"
        verbose_name_plural = "工资明细"
        ordering = ["sheet", "is_back_pay", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "worker"], condition=Q(is_back_pay=False),
                                    name="one_wage_line_per_worker_and_sheet"),
            models.UniqueConstraint(fields=["sheet", "worker", "back_pay_month"],
                                    condition=Q(is_back_pay=True),
                                    name="one_back_pay_line_per_worker_month_and_sheet"),
            models.CheckConstraint(
                condition=Q(days__gte=0) & Q(days__lte=31)
                & (Q(work_hours__isnull=True) | Q(work_hours__gte=0)),
                name="wage_line_days_and_hours_in_range"),
            models.CheckConstraint(
                condition=Q(gross_total__gte=0) & Q(deduction_total__gte=0) & Q(net_amount__gte=0),
                name="wage_line_amounts_not_negative"),
            models.CheckConstraint(condition=Q(net_amount=F("gross_total") - F("deduction_total")),
                                   name="wage_line_net_is_gross_less_deductions"),
            models.CheckConstraint(
                condition=(Q(is_back_pay=True) & Q(back_pay_month__isnull=False))
                | (Q(is_back_pay=False) & Q(back_pay_month__isnull=True)),
                name="wage_line_back_pay_has_its_month"),
            models.CheckConstraint(
                condition=~Q(pay_status=LineStatus.PAID)
                | (Q(paid_on__isnull=False) & Q(payment__isnull=False) & ~Q(card_number_token="")),
                name="wage_line_paid_has_date_payment_and_card"),
        ]
        indexes = [models.Index(fields=["worker", "sheet"], name="wage_line_worker_sheet")]

    def __str__(self) -> str:
        return f"{self.sheet} {self.worker_id}"

    def audit_scope(self) -> Scope:
        return self.sheet.audit_scope()

    def removable(self) -> bool:
        return self.sheet.is_editable and self.pay_status == LineStatus.UNPAID

    @property
    def masked_card_number(self) -> str:
        from labour.core.masking import mask_card_number
        from labour.workforce import crypto

        return mask_card_number(crypto.decrypt(self.card_number_token)) if self.card_number_token else ""


@tenant_model
class WageItem(Retained):
    """One 应发 or 代扣 amount of a line (计时工资, 加班, 补贴…; 个税, 社保个人部分, 借支…)."""

    line = models.ForeignKey(WageLine, verbose_name="工资明细", on_delete=models.PROTECT,
                             related_name="items")
    kind = models.CharField("类别", max_length=10, choices=ItemKind.choices)
    name = models.CharField("项目", max_length=30)
    amount = money_field("金额")

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "工资项目"
        verbose_name_plural = "工资项目"
        ordering = ["line", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="wage_item_amount_not_negative"),
            models.UniqueConstraint(fields=["line", "kind", "name"], name="one_wage_item_per_name"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name} {self.amount}"

    def removable(self) -> bool:
        return self.line.removable()

