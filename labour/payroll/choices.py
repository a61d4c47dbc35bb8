from django.db import models

from labour.core.transitions import Flow


class SheetStatus(models.TextChoices):
    """工资表 (one per team per month)."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待确认"
    RETURNED = "returned", "已退回"
    CONFIRMED = "confirmed", "已确认"
    PAYING = "paying", "发放中"
    PAID = "paid", "已发放"


# the participant prepares and 「提交」s; the general contractor 「确认」s (frozen from
# then on) or 「退回」s; payment runs until every line is paid (条例 第二十八条第二款, 第三十条)
SHEET_FLOW = Flow(SheetStatus, {
    SheetStatus.DRAFT: (SheetStatus.SUBMITTED,),
    SheetStatus.RETURNED: (SheetStatus.SUBMITTED,),
    SheetStatus.SUBMITTED: (SheetStatus.CONFIRMED, SheetStatus.RETURNED),
    SheetStatus.CONFIRMED: (SheetStatus.PAYING, SheetStatus.PAID),
    SheetStatus.PAYING: (SheetStatus.PAID,),
}, name="工资表")
EDITABLE = (SheetStatus.DRAFT, SheetStatus.RETURNED)
PAYABLE = (SheetStatus.CONFIRMED, SheetStatus.PAYING)


class SubmissionStatus(models.TextChoices):
    """One 「提交」 of a sheet and the general contractor's decision on it."""

    SUBMITTED = "submitted", "待确认"
    CONFIRMED = "confirmed", "已确认"
    RETURNED = "returned", "已退回"


SUBMISSION_FLOW = Flow(SubmissionStatus, {
    SubmissionStatus.SUBMITTED: (SubmissionStatus.CONFIRMED, SubmissionStatus.RETURNED),
}, name="工资表审核")


class LineStatus(models.TextChoices):
    """A line's payment: a failed one may be paid again later."""

    UNPAID = "unpaid", "未发放"
    PAID = "paid", "已发放"
    FAILED = "failed", "发放失败"


LINE_FLOW = Flow(LineStatus, {
    LineStatus.UNPAID: (LineStatus.PAID, LineStatus.FAILED),
    LineStatus.FAILED: (LineStatus.PAID,),
}, name="工资发放")


class ItemKind(models.TextChoices):
    GROSS = "gross", "应发"
    DEDUCTION = "deduction", "代扣"


class Document(models.TextChoices):
    """The printable documents of a sheet (pdf.py draws them)."""

    PAY_TABLE = "pay_table", "工资支付表"
    SLIPS = "slips", "工资清单"
    VOUCHER = "voucher", "代发凭证"
