"""项目信息完善 and its review (seed 二): the general contractor completes and
submits; the authority approves or returns with a reason."""

from django.db import transaction
from django.utils import timezone

from labour.audit.models import Action
from labour.audit.services import record
from labour.core.errors import PermissionDenied404, ServiceError
from labour.core.reviews import clean_return_reason
from labour.enterprises.models import Enterprise
from labour.notifications import services as sms
from labour.notifications.choices import SmsTemplate

from . import selectors
from .choices import LATER_ROLES, InfoStatus, ParticipantRole, ReviewStatus
from .models import Participant, ProjectInformation, ProjectInfoSubmission

INFO_FIELDS = (
    "manager_name", "manager_phone", "labour_manager_name", "labour_manager_phone",
    "contract_amount", "actual_start", "wage_bank", "wage_account_no", "wage_account_name",
    "guarantee_amount", "guarantee_form", "guarantee_date",
)
EDITABLE = (InfoStatus.DRAFT, InfoStatus.RETURNED)


def _gc_project(actor, code):
    """The project, locked, if `actor` may complete its information, else 404."""
    project = selectors.project_for_general_contractor(actor, code, lock=True)
    if project is None:
        raise PermissionDenied404
    return project


def _information(project):
    info, _ = ProjectInformation.objects.get_or_create(project=project)
    return info


@transaction.atomic
def save_information(*, actor, code, data, notice_board_photo=None, ip=None):
    """「保存」: the draft of the project information (nothing is checked for
    completeness until 「提交审核」)."""
    project = _gc_project(actor, code)
    if project.info_status not in EDITABLE:
        raise ServiceError(f"项目信息{project.get_info_status_display()}，不能修改")
    info = _information(project)
    for field in INFO_FIELDS:
        if field in data:
            setattr(info, field, data[field])
    if notice_board_photo is not None:
        info.notice_board_photo = notice_board_photo
        notice_board_photo.__class__.objects.filter(pk=notice_board_photo.pk).update(draft_key="")
    info.updated_by = actor
    info.save()
    record(action=Action.PROJECT_INFO_SAVED, actor=actor, ip=ip, obj=project, code=project.code)
    return info


REQUIRED_LABELS = {
    "manager_name": "项目经理姓名", "manager_phone": "项目经理手机号",
    "labour_manager_name": "劳资专管员姓名", "labour_manager_phone": "劳资专管员手机号",
    "contract_amount": "合同金额", "actual_start": "实际开工日期", "wage_bank": "开户银行",
    "wage_account_no": "工资专用账户账号", "wage_account_name": "户名",
    "guarantee_amount": "工资保证金金额", "guarantee_form": "缴纳形式",
    "guarantee_date": "缴纳日期", "notice_board_photo": "维权信息告示牌",
}


def _snapshot(project, info):
    data = {f: (str(v) if v is not None else "") for f in INFO_FIELDS
            for v in [getattr(info, f)]}
    data["notice_board_photo"] = str(info.notice_board_photo_id or "")
    data["guarantee_form_label"] = info.get_guarantee_form_display()
    data["participants"] = [
        {"role": p.role, "role_label": p.get_role_display(), "unit_name": p.unit_name,
         "credit_code": p.credit_code,
         "subcontract_content": p.subcontract_content}
        for p in project.participants.order_by("id")
    ]
    return data


@transaction.atomic
def submit_information(*, actor, code, ip=None):
    """「提交审核」: every item filled in, then the authority reviews it."""
    project = _gc_project(actor, code)
    if project.info_status not in EDITABLE:
        raise ServiceError(f"项目信息{project.get_info_status_display()}，不能重复提交")
    info = _information(project)
    missing = [label for field, label in REQUIRED_LABELS.items()
               if getattr(info, field) in (None, "")]
    if missing:
        raise ServiceError(f"请先填写：{'、'.join(missing)}")
    submission = ProjectInfoSubmission.objects.create(
        project=project, snapshot=_snapshot(project, info), submitted_by=actor,
        submitted_at=timezone.now())
    project.info_status = InfoStatus.SUBMITTED
    project.save(update_fields=["info_status"])
    record(action=Action.PROJECT_INFO_SUBMITTED, actor=actor, ip=ip, obj=project,
           code=project.code, submission=submission.pk)
    return submission


@transaction.atomic
def add_participant(*, actor, code, role, unit_name, credit_code, subcontract_content="",
                    ip=None):
    """专业承包 / 劳务分包 units, added by the general contractor. After approval they
    take part at once (and the audit log says who added them)."""
    if role not in LATER_ROLES:
        raise ServiceError("只能添加专业承包或劳务分包单位", field="role")
    project = _gc_project(actor, code)
    if project.info_status == InfoStatus.SUBMITTED:
        raise ServiceError("项目信息正在审核中，审核结束后才能添加参建单位")
    if project.participants.filter(credit_code=credit_code, role=role).exists():
        raise ServiceError(f"该单位已是本项目的{ParticipantRole(role).label}单位",
                           field="credit_code")
    participant = Participant.objects.create(
        project=project, role=role, unit_name=unit_name, credit_code=credit_code,
        subcontract_content=subcontract_content, added_by=actor)
    record(action=Action.PARTICIPANT_ADDED, actor=actor, ip=ip, obj=participant,
           code=project.code, role=role, credit_code=credit_code,
           after_approval=project.info_status == InfoStatus.APPROVED)
    return participant


@transaction.atomic
def remove_participant(*, actor, code, participant_id, ip=None):
    project = _gc_project(actor, code)
    if project.info_status not in EDITABLE:
        raise ServiceError("项目信息审核中或已通过，不能删除参建单位")
    participant = project.participants.filter(pk=participant_id, role__in=LATER_ROLES).first()
    if participant is None:
        raise PermissionDenied404
    record(action=Action.PARTICIPANT_REMOVED, actor=actor, ip=ip, obj=participant,
           code=project.code, role=participant.role, credit_code=participant.credit_code)
    participant.delete()


def _pending_submission(actor, code):
    project = selectors.get_project_for_authority(actor, code, lock=True)
    if project is None:
        raise PermissionDenied404
    submission = (ProjectInfoSubmission.objects.select_for_update()
                  .filter(project=project, status=ReviewStatus.SUBMITTED).first())
    if project.info_status != InfoStatus.SUBMITTED or submission is None:
        raise ServiceError(f"项目信息{project.get_info_status_display()}，不能重复审核")
    return project, submission


def _notify_general_contractor(project, template, **params):
    gc_codes = project.participants.filter(
        role=ParticipantRole.GENERAL_CONTRACTOR).values_list("credit_code", flat=True)
    for phone in Enterprise.objects.filter(credit_code__in=list(gc_codes)).values_list(
            "admin_phone", flat=True):
        sms.queue_sms(phone=phone, template=template,
                      params={"project": project.name, "code": project.code, **params})


@transaction.atomic
def approve_information(*, actor, code, ip=None):
    project, submission = _pending_submission(actor, code)
    now = timezone.now()
    submission.status = ReviewStatus.APPROVED
    submission.reviewer, submission.reviewed_at = actor, now
    submission.save(update_fields=["status", "reviewer", "reviewed_at"])
    project.info_status = InfoStatus.APPROVED
    project.save(update_fields=["info_status"])
    record(action=Action.PROJECT_INFO_APPROVED, actor=actor, ip=ip, obj=project,
           code=project.code, submission=submission.pk)
    _notify_general_contractor(project, SmsTemplate.PROJECT_INFO_APPROVED)
    return submission


@transaction.atomic
def return_information(*, actor, code, reason, ip=None):
    reason = clean_return_reason(reason)
    project, submission = _pending_submission(actor, code)
    submission.status = ReviewStatus.RETURNED
    submission.reviewer, submission.reviewed_at = actor, timezone.now()
    submission.return_reason = reason
    submission.save(update_fields=["status", "reviewer", "reviewed_at", "return_reason"])
    project.info_status = InfoStatus.RETURNED
    project.save(update_fields=["info_status"])
    record(action=Action.PROJECT_INFO_RETURNED, actor=actor, ip=ip, obj=project,
           code=project.code, submission=submission.pk, reason=reason)
    _notify_general_contractor(project, SmsTemplate.PROJECT_INFO_RETURNED, reason=reason)
    return submission
