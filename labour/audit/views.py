from django.core.paginator import Paginator
from django.shortcuts import render

from labour.core.roles import AccountKind, kind_required

from .forms import LogFilterForm
from .selectors import log_for


@kind_required(AccountKind.AUTHORITY, AccountKind.ENTERPRISE, AccountKind.PROJECT)
def log(request):
    """「操作日志」: the authority's jurisdiction, the enterprise's own, paged."""
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = log_for(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(events.select_related("actor"), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page})
