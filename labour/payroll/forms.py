from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from labour.attachments.forms import UploadsForm

from .choices import ItemKind
from .rules import RuleError, item_names, parse_month


def _month_input() -> forms.TextInput:
    return forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})


class NewSheetForm(forms.Form):
    """「新建工资表」: one of the user's teams and the 工资月份."""

    team = forms.ChoiceField(label="班组")
    month = forms.CharField(label="工资月份", max_length=7, widget=_month_input())

    def __init__(self, *args: Any, teams: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ChoiceField)
        team.choices = [("", "请选择班组"), *teams]

    def clean_month(self) -> Any:
        try:
            return parse_month(self.cleaned_data["month"])
        except RuleError as exc:
            raise forms.ValidationError(exc.message) from None


class AddLineForm(forms.Form):
    # a team of 2,000 workers: FORM_RENDERER writes the options without a template each
    worker = forms.ChoiceField(label="人员")
    back_pay_month = forms.CharField(label="补发月份", max_length=7, required=False,
                                     widget=_month_input(),
                                     help_text="补发以前月份的工资时填写，否则留空")

    def __init__(self, *args: Any, workers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        worker = self.fields["worker"]
        assert isinstance(worker, forms.ChoiceField)
        worker.choices = [("", "请选择人员"), *workers]

    def clean_back_pay_month(self) -> Any:
        value = self.cleaned_data["back_pay_month"]
        if not value:
            return None
        try:
            return parse_month(value, label="补发月份")
        except RuleError as exc:
            raise forms.ValidationError(exc.message) from None


class ScanForm(UploadsForm):
    """工人签字确认后的工资支付表扫描件."""

    signed_scan = forms.FileField(label="签字确认的工资支付表", required=False)
    file_fields = {"signed_scan": "签字确认的工资支付表"}
    file_help = {"signed_scan": "打印工资支付表，由班组工人逐一签字确认后拍照或扫描上传。"}

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.clean_uploads()
        return self.cleaned_data


class PaymentForm(UploadsForm):
    """「登记发放」: the bank's answer to the 代发 file."""

    paid_on = forms.DateField(label="发放日期",
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    batch_number = forms.CharField(label="银行批次号", max_length=60)
    receipt = forms.FileField(label="银行回单", required=False)
    file_fields = {"receipt": "银行回单"}
    file_help = {"receipt": "银行出具的代发回单（盖章）。"}

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.clean_uploads()
        return self.cleaned_data


def item_columns() -> list[tuple[str, str]]:
    """The line-item table's columns: every 应发 item, then every 代扣 item."""
    return ([(str(ItemKind.GROSS), n) for n in item_names(ItemKind.GROSS)]
            + [(str(ItemKind.DEDUCTION), n) for n in item_names(ItemKind.DEDUCTION)])


class WageImportForm(forms.Form):
    """「导入工资明细」: the filled-in template of this sheet."""

    file = forms.FileField(label="工资明细文件")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        limit = settings.PAYROLL_IMPORT_MAX_BYTES // 1024 // 1024
        field.help_text = f"请使用本工资表「下载模板」得到的文件填写，.xlsx 格式，不超过{limit} MB"
        field.widget.attrs.update(
            {"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "id": "id_file"})
