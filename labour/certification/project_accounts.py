"""项目账号认证 (seed 二 2.2–2.8): a certified unit applies for its account of one
project; its own enterprise account approves or returns it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from labour.accounts.services import create_account
from labour.attachments.models import Attachment
from labour.attachments.services import claim
from labour.audit.models import Action
from labour.audit.services import record
from labour.core.errors import PermissionDenied404, ServiceError
from labour.core.numbers import next_number
from labour.core.roles import AccountKind
from labour.core.transitions import advance
from labour.core.visibility import Actor
from labour.enterprises.models import Enterprise
from labour.notifications import services as sms
from labour.notifications.choices import CodePurpose, SmsTemplate
from labour.projects.models import Project
from labour.reviews.services import Review

from .choices import PROJECT_ACCOUNT_ATTACHMENT_FIELDS, PROJECT_ACCOUNT_FLOW, ProjectAccountStatus
from .models import ProjectAccountApplication
from .selectors import access_project_account_application, eligibility


@dataclass
class ProjectAccountData:
    enterprise: Enterprise
    project: Project
    admin_name: str
    admin_phone: str
    authorisation_letter: Attachment
    id_card_front: Attachment
    id_card_back: Attachment


def _next_number(now: datetime) -> str:
    """XZ + date + 5-digit sequence of the day."""
    return next_number(ProjectAccountApplication, "number",
                       f"XZ{timezone.localtime(now):%Y%m%d}")


def submit(*, actor: Actor, data: ProjectAccountData, code: str, previous_number: str = "",
           ip: str | None = None) -> ProjectAccountApplication:
    """「立即认证」 for a project account (`actor` None: the applicant has no account)."""
    reason = eligibility(data.enterprise, data.project)
    if reason:
        raise ServiceError(reason, field="project")
    previous = None
    if previous_number:
        previous = ProjectAccountApplication.objects.filter(
            number=previous_number, project=data.project, enterprise=data.enterprise,
            status=ProjectAccountStatus.RETURNED).first()
        if previous is None or previous.is_resubmitted:
            raise ServiceError("原申请不存在或已重新认证", field="project")
    purpose = CodePurpose.PROJECT_ACCOUNT_CERTIFICATION
    sms.check_code(phone=data.admin_phone, purpose=purpose, code=code, ip=ip)
    now = timezone.now()
    for _ in range(5):
        try:
            with transaction.atomic():
                sms.use_code(phone=data.admin_phone, purpose=purpose, code=code, ip=ip)
                application = ProjectAccountApplication.objects.create(
                    number=_next_number(now), previous=previous, submitted_at=now,
                    submitted_ip=ip, **data.__dict__)
                claim([getattr(data, f) for f in PROJECT_ACCOUNT_ATTACHMENT_FIELDS],
                      actor=actor)
                record(action=Action.PROJECT_ACCOUNT_SUBMITTED, actor=actor, ip=ip,
                       obj=application, number=application.number,
                       project_code=data.project.code, credit_code=data.enterprise.credit_code)
                return application
        except IntegrityError:
            reason = eligibility(data.enterprise, data.project)
            if reason:
                raise ServiceError(reason, field="project") from None
    raise ServiceError("系统繁忙，请稍后再试")


def _login_name() -> str:
    """A unique, short login name: XM and 6 digits."""
    users = get_user_model().objects
    while True:
        candidate = f"XM{secrets.randbelow(1_000_000):06d}"
        if not users.filter(username=candidate).exists():
            return candidate


class ProjectAccountReview(Review[ProjectAccountApplication]):
    """项目账号审核 by the enterprise account of the applying unit (seed 二 2.6)."""

    noun = "申请"
    approved_action = Action.PROJECT_ACCOUNT_APPROVED
    returned_action = Action.PROJECT_ACCOUNT_RETURNED

    def locate(self, *, actor: Actor, key: str) -> ProjectAccountApplication:
        return access_project_account_application(actor, key, for_update=True)

    def approved(self, application: ProjectAccountApplication, *, actor: Actor, at: datetime,
                 ip: str | None) -> dict[str, Any]:
        """The project account with a random password; login name and password go to
        the administrator by SMS after commit."""
        project, enterprise = application.project, application.enterprise
        account, password = create_account(
            actor=actor, kind=AccountKind.PROJECT, username=_login_name(),
            display_name=f"{enterprise.name}（{project.name}）", enterprise=enterprise,
            admin_phone=application.admin_phone, project=project, ip=ip)
        application.account = account
        application.save(update_fields=["account"])
        sms.queue_sms(phone=application.admin_phone,
                      template=SmsTemplate.PROJECT_ACCOUNT_APPROVED,
                      params={"name": enterprise.name, "project": project.name,
                              "username": account.username, "password": password})
        return {"number": application.number, "account": account.username}

    def returned(self, application: ProjectAccountApplication, *, actor: Actor, at: datetime,
                 reason: str, ip: str | None) -> dict[str, Any]:
        sms.queue_sms(phone=application.admin_phone,
                      template=SmsTemplate.PROJECT_ACCOUNT_RETURNED,
                      params={"name": application.enterprise.name,
                              "project": application.project.name,
                              "number": application.number, "reason": reason})
        return {"number": application.number}


PROJECT_ACCOUNT_REVIEW = ProjectAccountReview()


def approve(*, actor: Actor, number: str, ip: str | None = None) -> ProjectAccountApplication:
    """「通过」 by the unit's enterprise account."""
    return PROJECT_ACCOUNT_REVIEW.approve(actor=actor, key=number, ip=ip)


def return_(*, actor: Actor, number: str, reason: str,
            ip: str | None = None) -> ProjectAccountApplication:
    """「退回」 with a reason, sent to the administrator by SMS."""
    return PROJECT_ACCOUNT_REVIEW.return_(actor=actor, key=number, reason=reason, ip=ip)


@transaction.atomic
def abandon(*, actor: Actor, number: str, phone: str,
            ip: str | None = None) -> ProjectAccountApplication:
    """「放弃本次认证」 by the applicant (phone proven by an SMS code): only a
    returned application that has not been resubmitted."""
    application = (ProjectAccountApplication.objects.select_for_update()
                   .filter(number=number, admin_phone=phone).first())
    if application is None:
        raise PermissionDenied404
    refusal = "只有已退回且未重新认证的申请可以放弃"
    if application.is_resubmitted:
        raise ServiceError(refusal)
    old = advance(application, ProjectAccountStatus.ABANDONED, flow=PROJECT_ACCOUNT_FLOW,
                  refusal=refusal)
    record(action=Action.PROJECT_ACCOUNT_ABANDONED, actor=actor, ip=ip, obj=application,
           changes={"status": [old, application.status]}, number=application.number)
    return application
