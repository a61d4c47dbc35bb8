"""Enterprise certification (企业账号认证): submit, approve, return."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from labour.accounts.choices import AccountKind
from labour.accounts.passwords import random_password
from labour.attachments.models import Attachment
from labour.audit.models import Action
from labour.audit.services import record
from labour.core.errors import PermissionDenied404, ServiceError
from labour.core.numbers import next_number
from labour.core.reviews import clean_return_reason
from labour.enterprises.models import Enterprise
from labour.notifications import services as sms
from labour.notifications.choices import CodePurpose, SmsTemplate

from . import selectors
from .choices import ATTACHMENT_FIELDS, ApplicationStatus
from .models import EnterpriseApplication


@dataclass
class ApplicationData:
    name: str
    unit_type: str
    credit_code: str
    certificate_valid_until: date | None
    registered_on: date
    region_code: str
    admin_name: str
    admin_phone: str
    certificate: Attachment
    authorisation_letter: Attachment
    id_card_front: Attachment
    id_card_back: Attachment


def _next_number(now):
    """QY + date + 5-digit sequence of the day, e.g. QY2026112900001."""
    return next_number(EnterpriseApplication, "number", f"QY{timezone.localtime(now):%Y%m%d}")


def check_can_apply(credit_code):
    if Enterprise.objects.filter(credit_code=credit_code).exists():
        raise ServiceError("该统一社会信用代码的企业已完成认证，请直接登录；如忘记密码，请使用“忘记密码”",
                           field="credit_code")
    if EnterpriseApplication.objects.filter(credit_code=credit_code,
                                            status=ApplicationStatus.SUBMITTED).exists():
        raise ServiceError("该统一社会信用代码已有待审核的认证申请，请耐心等待审核结果",
                           field="credit_code")


def submit_application(*, actor=None, data: ApplicationData, code, previous_number="",
                       ip=None):
    """「立即认证」: prove the phone, then queue the application for review."""
    check_can_apply(data.credit_code)
    previous = None
    if previous_number:
        previous = EnterpriseApplication.objects.filter(
            number=previous_number, credit_code=data.credit_code,
            status=ApplicationStatus.RETURNED).first()
        if previous is None or hasattr(previous, "resubmission"):
            raise ServiceError("原申请不存在或已重新认证", field="credit_code")
    # a wrong code counts its try even though nothing else is written
    sms.check_code(phone=data.admin_phone, purpose=CodePurpose.ENTERPRISE_CERTIFICATION,
                   code=code, ip=ip)
    now = timezone.now()
    for _ in range(5):
        try:
            with transaction.atomic():
                sms.use_code(phone=data.admin_phone,
                             purpose=CodePurpose.ENTERPRISE_CERTIFICATION, code=code, ip=ip)
                application = EnterpriseApplication.objects.create(
                    number=_next_number(now), status=ApplicationStatus.SUBMITTED,
                    previous=previous, submitted_at=now, submitted_ip=ip,
                    **data.__dict__,
                )
                Attachment.objects.filter(
                    pk__in=[getattr(data, f).pk for f in ATTACHMENT_FIELDS]
                ).update(draft_key="")
                record(action=Action.APPLICATION_SUBMITTED, actor=actor, ip=ip,
                       obj=application, number=application.number,
                       credit_code=application.credit_code,
                       previous=previous.number if previous else "")
                return application
        except IntegrityError:
            # either a concurrent submission for the same code, or a number clash
            check_can_apply(data.credit_code)
            if previous is not None and EnterpriseApplication.objects.filter(
                    previous=previous).exists():
                raise ServiceError("原申请已重新认证", field="credit_code") from None
    raise ServiceError("系统繁忙，请稍后再试")


def _locked_pending(actor, number):
    application = selectors.get_application_for_review(actor, number, lock=True)
    if application is None:
        raise PermissionDenied404
    if application.status != ApplicationStatus.SUBMITTED:
        raise ServiceError(
            f"该申请{application.get_status_display()}，不能重复审核")
    return application


@transaction.atomic
def approve_application(*, actor, number, ip=None):
    """「通过」: create the enterprise and its account in one transaction; the SMS
    with the login name and random password goes after commit."""
    application = _locked_pending(actor, number)
    if Enterprise.objects.filter(credit_code=application.credit_code).exists():
        raise ServiceError("该统一社会信用代码的企业已认证")
    now = timezone.now()
    enterprise = Enterprise.objects.create(
        name=application.name, unit_type=application.unit_type,
        credit_code=application.credit_code,
        certificate_valid_until=application.certificate_valid_until,
        registered_on=application.registered_on, region_code=application.region_code,
        admin_name=application.admin_name, admin_phone=application.admin_phone,
        certificate_id=application.certificate_id,
        authorisation_letter_id=application.authorisation_letter_id,
        id_card_front_id=application.id_card_front_id,
        id_card_back_id=application.id_card_back_id,
        certified_at=now, application=application,
    )
    password = random_password()
    user = get_user_model().objects.create_user(
        username=application.credit_code, password=password, kind=AccountKind.ENTERPRISE,
        display_name=application.name, enterprise=enterprise, must_change_password=True,
    )
    application.status = ApplicationStatus.APPROVED
    application.reviewer = actor
    application.reviewed_at = now
    application.save(update_fields=["status", "reviewer", "reviewed_at"])
    record(action=Action.APPLICATION_APPROVED, actor=actor, ip=ip, obj=application,
           number=application.number, enterprise=enterprise.pk, account=user.username)
    sms.queue_sms(phone=application.admin_phone, template=SmsTemplate.ENTERPRISE_APPROVED,
                  params={"name": application.name, "username": user.username,
                          "password": password})
    return application


@transaction.atomic
def return_application(*, actor, number, reason, ip=None):
    """「退回」 with a required reason, sent to the administrator by SMS."""
    reason = clean_return_reason(reason)
    application = _locked_pending(actor, number)
    application.status = ApplicationStatus.RETURNED
    application.reviewer = actor
    application.reviewed_at = timezone.now()
    application.return_reason = reason
    application.save(update_fields=["status", "reviewer", "reviewed_at", "return_reason"])
    record(action=Action.APPLICATION_RETURNED, actor=actor, ip=ip, obj=application,
           number=application.number, reason=reason)
    sms.queue_sms(phone=application.admin_phone, template=SmsTemplate.ENTERPRISE_RETURNED,
                  params={"name": application.name, "number": application.number,
                          "reason": reason})
    return application
