"""Filters of the 欠薪预警 list and of 工资发放情况 (GET forms: an invalid value is
shown with its message and left out)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict

from labour.core.regions import district_choices
from labour.payroll.rules import RuleError, parse_month

from .models import Level
from .selectors import SORT_LABELS


class MonthField(forms.CharField):
    """「2026-11」 → the first day of that month."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=7, required=False,
                         widget=forms.TextInput(attrs={"placeholder": "如 2026-11",
                                                       "inputmode": "numeric"}), **kwargs)

    def clean(self, value: Any) -> dt.date | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_month(text, label="月份")
        except RuleError as exc:
            raise forms.ValidationError(exc.message) from None


class FilterForm(forms.Form):
    def cleaned_or_empty(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()  # computes cleaned_data of the valid fields
        for name in self.errors:
            if name in self.fields:  # the message beside the field, tied to it
                self.fields[name].widget.attrs.update({
                    "aria-invalid": "true", "aria-describedby": f"id_{name}_error"})
        return self.cleaned_data

    @staticmethod
    def query_without_page(query: QueryDict) -> str:
        params = query.copy()
        params.pop("page", None)
        return params.urlencode()


class WarningFilterForm(FilterForm):
    district = forms.ChoiceField(label="区县", required=False)
    level = forms.ChoiceField(label="等级", required=False,
                              choices=[("", "全部等级"), (Level.RED, "红色"), (Level.YELLOW, "黄色")])
    month = MonthField(label="月份")
    sort = forms.ChoiceField(label="排序", required=False, choices=list(SORT_LABELS.items()))

    def __init__(self, data: QueryDict | None, *, user: Any) -> None:
        super().__init__(data or None)
        district = self.fields["district"]
        assert isinstance(district, forms.ChoiceField)
        district.choices = district_choices(getattr(user, "region_code", "") or "")

    def sort_links(self, query: QueryDict) -> dict[str, dict[str, Any]]:
        """Column headers that sort the list (keeping the filters, back to page 1);
        a second click on 月份 turns its order round."""
        current = self.values["sort"]
        links = {}
        for key in ("project", "unpaid", "due", "level", "month"):
            wanted = "month_asc" if key == "month" and current == "month" else key
            params = query.copy()
            params.pop("page", None)
            params["sort"] = wanted
            links[key] = {"query": params.urlencode(),
                          "current": current == key or (key == "month" and current == "month_asc")}
        return links

    @property
    def values(self) -> dict[str, Any]:
        data = self.cleaned_or_empty()
        return {"district": data.get("district") or "", "level": data.get("level") or "",
                "month": data.get("month"), "sort": data.get("sort") or "level"}


class EnterpriseFilterForm(FilterForm):
    project = forms.CharField(label="项目编号", max_length=20, required=False)
    month = MonthField(label="月份")

    @property
    def values(self) -> dict[str, Any]:
        data = self.cleaned_or_empty()
        return {"project_code": (data.get("project") or "").strip().upper(),
                "month": data.get("month")}
