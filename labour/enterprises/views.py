from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from labour.core import ratelimit
from labour.core.roles import AccountKind, kind_required

from .choices import ENTERPRISE_DOCUMENTS
from .selectors import access_enterprise, lookup


@kind_required(AccountKind.ENTERPRISE)
def home(request):
    """The enterprise's home: its certified details and its account."""
    enterprise = access_enterprise(request.user, request.user.enterprise_id)
    documents = [(label, getattr(enterprise, field)) for field, label in ENTERPRISE_DOCUMENTS.items()]
    return render(request, "enterprises/home.html", {
        "enterprise": enterprise, "documents": documents, "account": request.user,
    })


@require_GET
@kind_required(AccountKind.AUTHORITY, AccountKind.ENTERPRISE, AccountKind.PROJECT)
def enterprise_lookup(request):
    """As you type a unit's name or credit code (新建项目, 添加参建单位): certified
    enterprises, name and credit code only (signed-in users, rate-limited)."""
    if not ratelimit.hit(f"lookup:{request.user.pk}", 120, 60):
        return JsonResponse({"results": [], "message": "查询过于频繁，请稍后再试"}, status=429)
    return JsonResponse({"results": [{"name": e.name, "credit_code": e.credit_code}
                                     for e in lookup(request.GET.get("q", ""))]})
