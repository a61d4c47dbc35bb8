from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from labour.core.errors import ServiceError
from labour.core.http import client_ip
from labour.core.validators import validate_phone

from . import services
from .choices import CodePurpose
from .selectors import outbox

PUBLIC_PURPOSES = {CodePurpose.ENTERPRISE_CERTIFICATION, CodePurpose.PROJECT_ACCOUNT_CERTIFICATION,
                   CodePurpose.PROGRESS}


@require_POST
def send_code(request):
    """「获取验证码」: JSON answer with a message and the cool-down in seconds."""
    purpose = request.POST.get("purpose", "")
    if purpose not in PUBLIC_PURPOSES:
        return JsonResponse({"ok": False, "message": "请求无效"}, status=400)
    try:
        phone = validate_phone(request.POST.get("phone", ""))
    except ValidationError as exc:
        return JsonResponse({"ok": False, "field": "admin_phone", "message": exc.messages[0]},
                            status=400)
    try:
        cooldown = services.send_code(phone=phone, purpose=purpose, ip=client_ip(request))
    except ServiceError as exc:
        return JsonResponse({"ok": False, "field": "code", "message": exc.message}, status=429)
    return JsonResponse({"ok": True, "cooldown": cooldown,
                         "message": f"验证码已发送至{phone[:3]}****{phone[-4:]}，5分钟内有效"})


def dev_outbox(request):
    """The developer's simulated phone: there whenever SMS go to the outbox (make run,
    make dev), whatever DEBUG says; a deployment that sends real SMS has no such page."""
    if settings.SMS_BACKEND != "outbox" or settings.PRODUCTION:
        raise Http404
    messages = outbox()
    return render(request, "notifications/dev_outbox.html", {"sms_messages": messages})
