"""A view of scripts/bench_http.py's own server only (routed under the random
LABOUR_BENCH_TOKEN, like labour.core.bench.floor): the review queue's work without its
page — the user, the filter form, the count and the page of rows, no template. Beside
the floor and the queue, it shows how much of the queue's cost its queries are."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from labour.core.roles import AccountKind, kind_required
from labour.reviews.queue import QueueForm, queue_page

from . import selectors


@never_cache
@kind_required(AccountKind.AUTHORITY)
def queue_queries(request: HttpRequest) -> HttpResponse:
    form = QueueForm(request.GET, user=request.user, search_label="单位名称或统一社会信用代码")
    view = form.values
    page = queue_page(request, selectors.review_queue(request.user, view=view), view,
                      menu="certification:review_queue")
    rows = list(page)
    return HttpResponse(f"{page.paginator.count} {len(rows)}", content_type="text/plain")
