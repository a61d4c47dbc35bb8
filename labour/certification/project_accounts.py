"""项目账号认证 (seed 二 2.2–2.8): a certified unit applies for its account of one
project; its own enterprise account approves or returns it."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
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
from labour.projects.choices import FIRST_ROLES, InfoStatus
from labour.projects.models import Participant, Project

from .choices import PROJECT_ACCOUNT_ATTACHMENT_FIELDS, ProjectAccountStatus
from .models import ProjectAccountApplication

NOT_YET = "该项目信息尚未审核通过，专业承包/劳务分包单位暂不能进行项目账号认证"


@dataclass
class ProjectAccountData:
    enterprise: Enterprise
    project: Project
    admin_name: str
    admin_phone: str
    authorisation_letter: Attachment
    id_card_front: Attachment
    id_card_back: Attachment


def find_unit(name_or_code):
    """单位名称: a certified enterprise, by its exact name or its credit code."""
    from labour.core.validators import normalise

    value = (name_or_code or "").strip()
    if not value:
        return None
    return Enterprise.objects.filter(Q(name=value) | Q(credit_code=normalise(value))).first()


def eligibility(enterprise, project):
    """None if the unit may apply for a project account now, else the reason (seed 2.8):
    the general contractor, owner and supervisor as soon as the project exists;
    specialty contractors and labour subcontractors once the project information is
    approved; nobody else."""
    roles = set(Participant.objects.filter(project=project, credit_code=enterprise.credit_code)
                .values_list("role", flat=True))
    if not roles:
        return "该单位不是本项目的参建单位，不能申请本项目的项目账号"
    if not roles & set(FIRST_ROLES):
        status = Project.objects.filter(pk=project.pk).values_list("info_status", flat=True)
        if status.first() != InfoStatus.APPROVED:  # read now: the object may be stale
            return NOT_YET
    if ProjectAccountApplication.objects.filter(
            project=project, enterprise=enterprise, status=ProjectAccountStatus.APPROVED).exists():
        return "该单位在本项目已有项目账号"
    if ProjectAccountApplication.objects.filter(
            project=project, enterprise=enterprise, status=ProjectAccountStatus.SUBMITTED).exists():
        return "该单位在本项目已有待审核的项目账号认证申请"
    return None


def projects_open_to(enterprise):
    """项目名称 choices: the projects where the unit may apply now, with the reason
    for those where it may not (yet)."""
    participations = (Participant.objects.filter(credit_code=enterprise.credit_code)
                      .select_related("project").order_by("-project__created_at"))
    seen, result = set(), []
    for participation in participations:
        project = participation.project
        if project.pk in seen:
            continue
        seen.add(project.pk)
        result.append((project, eligibility(enterprise, project)))
    return result


def _next_number(now):
    """XZ + date + 5-digit sequence of the day."""
    return next_number(ProjectAccountApplication, "number",
                       f"XZ{timezone.localtime(now):%Y%m%d}")


def submit(*, data: ProjectAccountData, code, previous_number="", ip=None, actor=None):
    """「立即认证」 for a project account."""
    reason = eligibility(data.enterprise, data.project)
    if reason:
        raise ServiceError(reason, field="project")
    previous = None
    if previous_number:
        previous = ProjectAccountApplication.objects.filter(
            number=previous_number, project=data.project, enterprise=data.enterprise,
            status=ProjectAccountStatus.RETURNED).first()
        if previous is None or hasattr(previous, "resubmission"):
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
                Attachment.objects.filter(pk__in=[
                    getattr(data, f).pk for f in PROJECT_ACCOUNT_ATTACHMENT_FIELDS
                ]).update(draft_key="")
                record(action=Action.PROJECT_ACCOUNT_SUBMITTED, actor=actor, ip=ip,
                       obj=application, number=application.number,
                       project=data.project.code, unit=data.enterprise.credit_code)
                return application
        except IntegrityError:
            reason = eligibility(data.enterprise, data.project)
            if reason:
                raise ServiceError(reason, field="project") from None
    raise ServiceError("系统繁忙，请稍后再试")


def applications_for_review(user):
    """「项目账号审核」: the applications of the user's own enterprise only."""
    if not user.is_authenticated or not user.is_enterprise:
        return ProjectAccountApplication.objects.none()
    return ProjectAccountApplication.objects.filter(enterprise_id=user.enterprise_id)


def _locked_pending(actor, number):
    application = (applications_for_review(actor).select_for_update()
                   .filter(number=number).first())
    if application is None:
        raise PermissionDenied404
    if application.status != ProjectAccountStatus.SUBMITTED:
        raise ServiceError(f"该申请{application.get_status_display()}，不能重复审核")
    return application


def _login_name():
    """A unique, short login name: XM and 6 digits."""
    users = get_user_model().objects
    while True:
        candidate = f"XM{secrets.randbelow(1_000_000):06d}"
        if not users.filter(username=candidate).exists():
            return candidate


@transaction.atomic
def approve(*, actor, number, ip=None):
    """「通过」 by the unit's enterprise account: the project account is created with a
    random password; login name and password go to the administrator by SMS."""
    application = _locked_pending(actor, number)
    project, enterprise = application.project, application.enterprise
    password = random_password()
    account = get_user_model().objects.create_user(
        username=_login_name(), password=password, kind=AccountKind.PROJECT,
        display_name=f"{enterprise.name}（{project.name}）", enterprise=enterprise,
        project=project, must_change_password=True)
    application.status = ProjectAccountStatus.APPROVED
    application.reviewer, application.reviewed_at = actor, timezone.now()
    application.account = account
    application.save(update_fields=["status", "reviewer", "reviewed_at", "account"])
    record(action=Action.PROJECT_ACCOUNT_APPROVED, actor=actor, ip=ip, obj=application,
           number=application.number, account=account.username)
    sms.queue_sms(phone=application.admin_phone, template=SmsTemplate.PROJECT_ACCOUNT_APPROVED,
                  params={"name": enterprise.name, "project": project.name,
                          "username": account.username, "password": password})
    return application


@transaction.atomic
def return_(*, actor, number, reason, ip=None):
    """「退回」 with a reason, sent to the administrator by SMS."""
    reason = clean_return_reason(reason)
    application = _locked_pending(actor, number)
    application.status = ProjectAccountStatus.RETURNED
    application.reviewer, application.reviewed_at = actor, timezone.now()
    application.return_reason = reason
    application.save(update_fields=["status", "reviewer", "reviewed_at", "return_reason"])
    record(action=Action.PROJECT_ACCOUNT_RETURNED, actor=actor, ip=ip, obj=application,
           number=application.number, reason=reason)
    sms.queue_sms(phone=application.admin_phone, template=SmsTemplate.PROJECT_ACCOUNT_RETURNED,
                  params={"name": application.enterprise.name,
                          "project": application.project.name, "number": application.number,
                          "reason": reason})
    return application


@transaction.atomic
def abandon(*, number, phone, ip=None):
    """「放弃本次认证」 by the applicant (phone proven by an SMS code): only a
    returned application that has not been resubmitted."""
    application = (ProjectAccountApplication.objects.select_for_update()
                   .filter(number=number, admin_phone=phone).first())
    if application is None:
        raise PermissionDenied404
    if application.status != ProjectAccountStatus.RETURNED or hasattr(application,
                                                                         "resubmission"):
        raise ServiceError("只有已退回且未重新认证的申请可以放弃")
    application.status = ProjectAccountStatus.ABANDONED
    application.save(update_fields=["status"])
    record(action=Action.PROJECT_ACCOUNT_ABANDONED, ip=ip, obj=application,
           number=application.number)
    return application
