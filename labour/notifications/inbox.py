"""「消息」: every SMS the account's administrator received from the platform, in the
platform itself (codes and passwords left out)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from labour.core.roles import AccountKind, kind_required

from .selectors import inbox, shown_text


@kind_required(AccountKind.ENTERPRISE, AccountKind.PROJECT, AccountKind.AUTHORITY)
def messages_page(request: HttpRequest) -> HttpResponse:
    phone = getattr(request.user, "admin_phone", "")
    page = Paginator(inbox(phone), 20).get_page(request.GET.get("page"))
    rows = [{"message": m, "text": shown_text(m)} for m in page]
    return render(request, "notifications/inbox.html", {"page": page, "rows": rows})
