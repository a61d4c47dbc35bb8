from django.shortcuts import render

from labour.core.roles import AccountKind, kind_required

from .choices import ENTERPRISE_DOCUMENTS
from .selectors import access_enterprise


@kind_required(AccountKind.ENTERPRISE)
def home(request):
    """The enterprise's home: its certified details and its account."""
    enterprise = access_enterprise(request.user, request.user.enterprise_id)
    documents = [(label, getattr(enterprise, field)) for field, label in ENTERPRISE_DOCUMENTS.items()]
    return render(request, "enterprises/home.html", {
        "enterprise": enterprise, "documents": documents, "account": request.user,
    })
