"""A view of scripts/bench_http.py's own server only (routed under the random
LABOUR_BENCH_TOKEN, like labour.core.bench.floor): the review queue's work without its
page — the user, the filter form, the count and the page of rows, no template. Beside
the floor and the queue, it shows how much of the queue's cost its queries are."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from labour.core.roles import AccountKind, kind_required

from .views import review_queue_page


@never_cache
@kind_required(AccountKind.AUTHORITY)
def queue_queries(request: HttpRequest) -> HttpResponse:
    _form, _view, page = review_queue_page(request)
    rows = list(page)
    return HttpResponse(f"{page.paginator.count} {len(rows)}", content_type="text/plain")
