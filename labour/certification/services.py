"""Enterprise certification (企业账号认证): submit, approve, return."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from labour.accounts.services import create_account
from labour.attachments.models import Attachment
from labour.attachments.services import claim
from labour.audit.models import Action
from labour.audit.services import record
from labour.core.errors import ServiceError
from labour.core.numbers import next_number
from labour.core.roles import AccountKind
from labour.core.validators import validate_credit_code, validate_phone, validate_region_code
from labour.core.visibility import Actor
from labour.enterprises.choices import ENTERPRISE_DOCUMENTS
from labour.enterprises.models import Enterprise
from labour.enterprises.rules import check_certificate_dates, check_registered_on
from labour.notifications import services as sms
from labour.notifications.choices import CodePurpose, SmsTemplate
from labour.reviews.choices import ReviewStatus
from labour.reviews.services import Review

from .models import EnterpriseApplication
from .selectors import access_enterprise_application


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


def check_data(data: ApplicationData) -> ApplicationData:
    """The rules of 企业账号认证 that need no database, as the form states them (an
    import or any other caller gets the same answers). Raises ServiceError."""
    rules = [
        ("credit_code", lambda: validate_credit_code(data.credit_code)),
        ("region_code", lambda: validate_region_code(data.region_code)),
        ("admin_phone", lambda: validate_phone(data.admin_phone)),
        ("registered_on", lambda: check_registered_on(data.registered_on,
                                                      today=timezone.localdate())),
        ("certificate_valid_until", lambda: check_certificate_dates(
            valid_until=data.certificate_valid_until,
            long_term=data.certificate_valid_until is None,
            registered_on=data.registered_on, today=timezone.localdate())),
    ]
    for field, rule in rules:
        try:
            rule()
        except ValidationError as exc:
            raise ServiceError(exc.messages[0], field=field) from None
    for field, label in (("name", "单位名称"), ("admin_name", "账号管理员姓名")):
        if not getattr(data, field).strip():
            raise ServiceError(f"请填写{label}", field=field)
    for field, label in ENTERPRISE_DOCUMENTS.items():
        if getattr(data, field) is None:
            raise ServiceError(f"请上传{label}", field=field)
    return data


def _next_number(now: datetime) -> str:
    """QY + date + 5-digit sequence of the day, e.g. QY2026112900001."""
    return next_number(EnterpriseApplication, "number", f"QY{timezone.localtime(now):%Y%m%d}")


def check_can_apply(credit_code: str) -> None:
    if Enterprise.objects.filter(credit_code=credit_code).exists():
        raise ServiceError("该统一社会信用代码的企业已完成认证，请直接登录；如忘记密码，请使用“忘记密码”",
                           field="credit_code")
    if EnterpriseApplication.objects.filter(credit_code=credit_code,
                                            status=ReviewStatus.SUBMITTED).exists():
        raise ServiceError("该统一社会信用代码已有待审核的认证申请，请耐心等待审核结果",
                           field="credit_code")


def submit_application(*, actor: Actor, data: ApplicationData, code: str,
                       previous_number: str = "", ip: str | None = None) -> EnterpriseApplication:
    """「立即认证」: prove the phone, then queue the application for review. `actor` is
    None: the applicant has no account yet."""
    check_data(data)
    check_can_apply(data.credit_code)
    previous = None
    if previous_number:
        previous = EnterpriseApplication.objects.filter(
            number=previous_number, credit_code=data.credit_code,
            status=ReviewStatus.RETURNED).first()
        if previous is None or previous.is_resubmitted:
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
                    number=_next_number(now), status=ReviewStatus.SUBMITTED,
                    previous=previous, submitted_at=now, submitted_ip=ip,
                    **_fields(data),
                )
                claim([getattr(data, f) for f in ENTERPRISE_DOCUMENTS], actor=actor)
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


def _fields(data: ApplicationData) -> dict[str, Any]:
    return {f.name: getattr(data, f.name) for f in fields(data)}


class EnterpriseReview(Review[EnterpriseApplication]):
    """企业账号认证审核 by the authority of the enterprise's region (seed 2.6)."""

    noun = "申请"
    approved_action = Action.APPLICATION_APPROVED
    returned_action = Action.APPLICATION_RETURNED

    def locate(self, *, actor: Actor, key: str) -> EnterpriseApplication:
        return access_enterprise_application(actor, key, for_update=True)

    def approved(self, application: EnterpriseApplication, *, actor: Actor, at: datetime,
                 ip: str | None) -> dict[str, Any]:
        """The enterprise and its account in the same transaction; the SMS with the login
        name and the random password goes after commit."""
        if Enterprise.objects.filter(credit_code=application.credit_code).exists():
            raise ServiceError("该统一社会信用代码的企业已认证")
        enterprise = Enterprise.objects.create(
            **{f: getattr(application, f) for f in (
                "name", "unit_type", "credit_code", "certificate_valid_until", "registered_on",
                "region_code", "admin_name", "admin_phone")},
            **{f"{f}_id": getattr(application, f"{f}_id") for f in ENTERPRISE_DOCUMENTS},
            certified_at=at, application=application,
        )
        user, password = create_account(
            actor=actor, kind=AccountKind.ENTERPRISE, username=application.credit_code,
            display_name=application.name, enterprise=enterprise,
            admin_phone=application.admin_phone, ip=ip)
        sms.queue_sms(phone=application.admin_phone, template=SmsTemplate.ENTERPRISE_APPROVED,
                      params={"name": application.name, "username": user.username,
                              "password": password})
        return {"number": application.number, "enterprise": enterprise.pk,
                "account": user.username}

    def returned(self, application: EnterpriseApplication, *, actor: Actor, at: datetime,
                 reason: str, ip: str | None) -> dict[str, Any]:
        sms.queue_sms(phone=application.admin_phone, template=SmsTemplate.ENTERPRISE_RETURNED,
                      params={"name": application.name, "number": application.number,
                              "reason": reason})
        return {"number": application.number}


ENTERPRISE_REVIEW = EnterpriseReview()


def approve_application(*, actor: Actor, number: str, ip: str | None = None) -> EnterpriseApplication:
    """「通过」."""
    return ENTERPRISE_REVIEW.approve(actor=actor, key=number, ip=ip)


def return_application(*, actor: Actor, number: str, reason: str,
                       ip: str | None = None) -> EnterpriseApplication:
    """「退回」 with a required reason, sent to the administrator by SMS."""
    return ENTERPRISE_REVIEW.return_(actor=actor, key=number, reason=reason, ip=ip)


