"""The floor of scripts/bench_http.py: the least a logged-in page can cost.

Routed only when the server is started with LABOUR_BENCH_TOKEN (≥ 32 random
characters, set by the benchmark for its own server), under a path that contains
the token: in normal operation the URL does not exist."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def floor(request: HttpRequest) -> HttpResponse:
    """The whole middleware stack with a logged-in session, and one query: the user,
    which every logged-in page loads."""
    user = request.user
    if not user.is_authenticated:
        return HttpResponse("login required", status=403, content_type="text/plain")
    return HttpResponse(f"ok {user.pk}", content_type="text/plain")
