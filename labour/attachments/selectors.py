"""Who may fetch an attachment. Each domain app registers a check that says
whether a user may see an attachment through one of its objects."""

from .models import Attachment

_ACCESS_CHECKS = []


def register_access(check):
    if check not in _ACCESS_CHECKS:
        _ACCESS_CHECKS.append(check)


def get_attachment_for(user, attachment_id):
    """The attachment if `user` may fetch it, else None (answered as 404)."""
    if not getattr(user, "is_authenticated", False):
        return None
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return None
    if any(check(user, attachment) for check in _ACCESS_CHECKS):
        return attachment
    return None
