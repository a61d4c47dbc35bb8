"""Errors raised by services; views show their message next to the field."""


class ServiceError(Exception):
    """A rule of the platform refused the action. `field` names the form field."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied404(Exception):
    """The object does not exist for this user: answered as 404."""
