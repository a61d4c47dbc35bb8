from django.http import Http404
from django.shortcuts import render

from labour.accounts.choices import AccountKind
from labour.accounts.permissions import kind_required
from labour.certification.choices import ATTACHMENT_FIELDS

from .selectors import enterprise_of


@kind_required(AccountKind.ENTERPRISE)
def home(request):
    """The enterprise's home: its certified details and its account."""
    enterprise = enterprise_of(request.user)
    if enterprise is None:
        raise Http404
    documents = [(label, getattr(enterprise, field)) for field, label in ATTACHMENT_FIELDS.items()]
    return render(request, "enterprises/home.html", {
        "enterprise": enterprise, "documents": documents, "account": request.user,
    })
