"""The kinds of account (who acts on the platform) and the gate of pages that exist
only for some kinds."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

View = Callable[..., HttpResponse]

if TYPE_CHECKING:
    from labour.accounts.models import User

    class SignedInRequest(HttpRequest):
        """The request of a view behind kind_required: its user is an account."""

        user: User
else:
    SignedInRequest = HttpRequest


class AccountKind(models.TextChoices):
    AUTHORITY = "authority", "主管部门"
    ENTERPRISE = "enterprise", "企业"
    PROJECT = "project", "项目"
    OPERATOR = "operator", "运维人员"


EXPIRED_MESSAGE = "登录已过期，请重新登录"
# set at login when the user comes back to a page: its form may put back what was typed
RESTORE_SESSION_KEY = "restore_form_on"


def to_login(request: HttpRequest, part: str = "") -> HttpResponse:
    """The login page, on the `part` (企业/项目/主管部门) the page needs, saying the login
    has expired, and back to this page (its GET) after logging in."""
    params = {"next": request.get_full_path() if request.method == "GET" else request.path}
    if part:
        params["part"] = part
    return redirect(f"{reverse('login')}?{urlencode(params)}")


def kind_required(*kinds: str) -> Callable[[View], View]:
    """The view exists only for these kinds of account. Without a login (never, or
    expired): the login page, then back here. Signed in as another kind: 404."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return to_login(request, kinds[0] if kinds[0] != AccountKind.OPERATOR else "")
            if user.kind not in kinds:
                raise Http404
            if user.kind in (AccountKind.ENTERPRISE, AccountKind.PROJECT) and not user.enterprise_id:
                raise Http404
            if user.kind == AccountKind.PROJECT and not user.project_id:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
