"""The 通过/退回 forms of every review page (template reviews/decision.html)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from labour.core.errors import ServiceError

from .services import REASON_MAX


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=REASON_MAX,
                             error_messages={"required": "请填写退回原因"},
                             widget=forms.Textarea(attrs={"rows": 3,
                                                          "placeholder": "请输入退回原因"}))


def handle_decision(request: HttpRequest, *, approve: Callable[[], object],
                    return_: Callable[[str], object], done: str, approved_message: str,
                    returned_message: str, detail: str) -> tuple[HttpResponse | None, ReturnForm]:
    """POST of a review page: decision=approve calls approve(), decision=return
    calls return_(reason). Returns (response or None, the return form to show).
    A submission the user may not review raises PermissionDenied404 (a 404)."""
    return_form = ReturnForm()
    if request.method != "POST":
        return None, return_form
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            approve()
            messages.success(request, approved_message)
            return redirect(done), return_form
        if decision == "return":
            return_form = ReturnForm(request.POST)
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
