"""The 通过/退回 forms of every review page (template reviews/decision.html)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from labour.core.errors import ServiceError

from .services import REASON_MAX

REASON_REQUIRED = "请填写退回原因（或选择常用原因）"


class ReturnForm(forms.Form):
    """退回: common reasons to tick (settings.REVIEW_RETURN_REASONS[kind]) and/or a
    reason in the reviewer's own words; the reason sent is both, joined."""

    picks = forms.MultipleChoiceField(label="常用退回原因", required=False,
                                      widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="退回原因", max_length=REASON_MAX, required=False,
                             help_text=f"退回原因将以短信发送，共不超过{REASON_MAX}字。",
                             widget=forms.Textarea(attrs={"rows": 3,
                                                          "placeholder": "请输入退回原因"}))

    def __init__(self, *args: Any, kind: str = "certification", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picks = self.fields["picks"]
        assert isinstance(picks, forms.MultipleChoiceField)
        picks.choices = [(r, r) for r in return_reasons(kind)]
        if not picks.choices:
            del self.fields["picks"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "reason" in self.errors:
            return data
        parts = [*data.get("picks", []), (data.get("reason") or "").strip()]
        reason = "；".join(p for p in parts if p)
        if not reason:
            self.add_error("reason", REASON_REQUIRED)
        elif len(reason) > REASON_MAX:
            self.add_error("reason", f"退回原因不超过{REASON_MAX}字（含所选常用原因）")
        else:
            data["reason"] = reason
        return data


def return_reasons(kind: str) -> list[str]:
    """The common reasons a reviewer of `kind` may pick (settings.REVIEW_RETURN_REASONS)."""
    return [r for r in getattr(settings, "REVIEW_RETURN_REASONS", {}).get(kind, ())
            if r and len(r) <= REASON_MAX]


def handle_decision(request: HttpRequest, *, approve: Callable[[], object],
                    return_: Callable[[str], object], done: str, approved_message: str,
                    returned_message: str, detail: str,
                    reasons: str = "certification") -> tuple[HttpResponse | None, ReturnForm]:
    """POST of a review page: decision=approve calls approve(), decision=return
    calls return_(reason). Returns (response or None, the return form to show, with
    the common reasons of `reasons`, a key of settings.REVIEW_RETURN_REASONS).
    A submission the user may not review raises PermissionDenied404 (a 404)."""
    return_form = ReturnForm(kind=reasons)
    if request.method != "POST":
        return None, return_form
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            approve()
            messages.success(request, approved_message)
            return redirect(done), return_form
        if decision == "return":
            return_form = ReturnForm(request.POST, kind=reasons)
            if return_form.is_valid():
                return_(return_form.cleaned_data["reason"])
                messages.success(request, returned_message)
                return redirect(done), return_form
    except ServiceError as exc:
        if exc.field == "reason":
            return_form.add_error("reason", exc.message)
        else:
            messages.error(request, exc.message)
            return redirect(detail), return_form
    return None, return_form
