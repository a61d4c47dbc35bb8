"""Pages of the portal itself: each role's home page, the user guide (帮助)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from .menu import home_for
from .roles import AccountKind


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """首页: what waits for this account, with links (tiles and panels the apps register)."""
    user = request.user
    if getattr(user, "kind", "") not in (AccountKind.AUTHORITY, AccountKind.ENTERPRISE,
                                         AccountKind.PROJECT):
        return redirect("admin:index") if user.is_staff else render(request, "accounts/home.html")
    return render(request, "core/home.html", home_for(user))


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, asked for by browsers that ignore the page's icon links."""
    return redirect(static("core/favicon.png"), permanent=True)


def help_page(request: HttpRequest) -> HttpResponse:
    """帮助: the platform's user guide, from the registration guide (附件2)."""
    return render(request, "core/help.html")
