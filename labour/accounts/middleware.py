from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PREFIXES = ("/static/", "/account/password/", "/logout/", "/dev/")


class ForcePasswordChangeMiddleware:
    """seed 2.7: after logging in with the random password, no other page opens
    until the password has been changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and user.must_change_password
                and not request.path.startswith(ALLOWED_PREFIXES)):
            return redirect(reverse("accounts_change_password"))
        return self.get_response(request)
