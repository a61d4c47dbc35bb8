"""The kinds of account (who acts on the platform) and the gate of pages that exist
only for some kinds."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


class AccountKind(models.TextChoices):
    AUTHORITY = "authority", "主管部门"
    ENTERPRISE = "enterprise", "企业"
    PROJECT = "project", "项目"
    OPERATOR = "operator", "运维人员"


def kind_required(*kinds: str) -> Callable[[View], View]:
    """The view exists only for these kinds of account: everyone else gets 404."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or user.kind not in kinds:
                raise Http404
            if user.kind in (AccountKind.ENTERPRISE, AccountKind.PROJECT) and not user.enterprise_id:
                raise Http404
            if user.kind == AccountKind.PROJECT and not user.project_id:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
