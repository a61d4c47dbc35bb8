"""What every review (审核) shares: the 退回原因 rule and the 通过/退回 form handling."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from .errors import PermissionDenied404, ServiceError

REASON_MAX = 200


def clean_return_reason(reason):
    """退回 needs a reason (it is sent to the applicant by SMS)."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写退回原因", field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"退回原因不超过{REASON_MAX}字", field="reason")
    return reason


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=REASON_MAX,
                             error_messages={"required": "请填写退回原因"},
                             widget=forms.Textarea(attrs={"rows": 3,
                                                          "placeholder": "请输入退回原因"}))


def handle_decision(request, *, approve, return_, done, approved_message, returned_message,
                    detail):
    """POST of a review page: decision=approve calls approve(), decision=return
    calls return_(reason). Returns (response or None, the return form to show)."""
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
    except PermissionDenied404:
        raise Http404 from None
    except ServiceError as exc:
        if exc.field == "reason":
            return_form.add_error("reason", exc.message)
        else:
            messages.error(request, exc.message)
            return redirect(detail), return_form
    return None, return_form
