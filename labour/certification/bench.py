"""A view of scripts/bench_http.py's own server only (routed under the random
LABOUR_BENCH_TOKEN, like labour.core.bench.floor): 企业账号认证审核 rendered afresh on
every request, as on a miss of the list cache (the first view after the applications
changed). Beside the floor and the queue, it shows what the cache saves."""

from django.http import HttpRequest, HttpResponse

from labour.core import listcache

from .views import review_queue


def queue_uncached(request: HttpRequest) -> HttpResponse:
    with listcache.disabled():
        return review_queue(request)
