"""Errors raised by services; views show their message next to the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.http import Http404

if TYPE_CHECKING:
    from django import forms


class ServiceError(Exception):
    """A rule of the platform refused the action. `message` says why in one line;
    `field` names the form field it is about. `errors` ({field: message}) carries a
    message for each of several fields (「提交审核」 with items missing), so that a
    view can show each beside its field; with only `field`, it is {field: message}."""

    def __init__(self, message: str, field: str | None = None, *,
                 errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors: dict[str, str] = dict(errors) if errors else (
            {field: message} if field else {})

    def add_to(self, form: forms.BaseForm) -> None:
        """Each message beside its field of `form`; the summary as the form's own
        error when no field of the form is named."""
        placed = False
        for name, text in self.errors.items():
            if name in form.fields:
                form.add_error(name, text)
                placed = True
        if not placed:
            form.add_error(None, self.message)


class PermissionDenied404(Http404):
    """The object does not exist for this user, or is not theirs: one answer for both,
    so nobody learns what exists in another tenant. Django answers it as 404."""
