"""查询认证进度: an applicant proves the administrator's phone with an SMS code, and
the session keeps that proof for a while (to see results, 重新认证, 放弃本次认证)."""

from django.utils import timezone

from labour.core.errors import ServiceError
from labour.core.http import client_ip
from labour.notifications import services as sms
from labour.notifications.choices import CodePurpose

PROOF_MINUTES = 30


def prove_phone(request, form, session_key, **extra):
    """Use the form's 验证码 for its 账号管理员手机号; on success remember the phone
    (and `extra`) in the session and return True, else put the error on the form."""
    phone = form.cleaned_data["admin_phone"]
    code = form.cleaned_data["code"]
    try:
        sms.check_code(phone=phone, purpose=CodePurpose.PROGRESS, code=code,
                       ip=client_ip(request))
        sms.use_code(phone=phone, purpose=CodePurpose.PROGRESS, code=code, ip=client_ip(request))
    except ServiceError as exc:
        form.add_error("code", exc.message)
        return False
    request.session[session_key] = {
        "phone": phone, **extra, "until": timezone.now().timestamp() + PROOF_MINUTES * 60}
    return True


def proven(request, session_key):
    """The proof kept by prove_phone, while it is fresh; else None."""
    proof = request.session.get(session_key)
    if not proof or proof.get("until", 0) < timezone.now().timestamp():
        return None
    return proof
