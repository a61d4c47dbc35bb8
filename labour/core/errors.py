"""Errors raised by services; views show their message next to the field."""

from django.http import Http404


class ServiceError(Exception):
    """A rule of the platform refused the action. `field` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied404(Http404):
    """The object does not exist for this user, or is not theirs: one answer for both,
    so nobody learns what exists in another tenant. Django answers it as 404."""
