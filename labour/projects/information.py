"""项目信息完善 and its review (seed 二): the general contractor completes and
submits; the authority approves or returns with a reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from labour.attachments.models import Attachment
from labour.attachments.services import claim
from labour.audit.models import Action
from labour.audit.services import model_update, record
from labour.core.errors import PermissionDenied404, ServiceError
from labour.core.transitions import advance
from labour.core.validators import optional_phone, validate_account_number
from labour.core.visibility import Actor
from labour.enterprises.selectors import by_credit_codes
from labour.notifications import services as sms
from labour.notifications.choices import SmsTemplate
from labour.reviews.choices import ReviewStatus
from labour.reviews.services import Review

from .choices import INFO_EDITABLE, INFO_FLOW, LATER_ROLES, InfoStatus, ParticipantRole
from .models import Participant, Project, ProjectInformation, ProjectInfoSubmission
from .permissions import can_review_information
from .selectors import access_project

if TYPE_CHECKING:
    from labour.accounts.models import User

INFO_FIELDS = (
    "manager_name", "manager_phone", "labour_manager_name", "labour_manager_phone",
    "contract_amount", "actual_start", "wage_bank", "wage_account_no", "wage_account_name",
    "guarantee_amount", "guarantee_form", "guarantee_date", "pay_day",
)
EDITABLE = INFO_EDITABLE

# what each item is called when it is missing at 「提交审核」
REQUIRED_LABELS = {
    "manager_name": "项目经理姓名", "manager_phone": "项目经理手机号",
    "labour_manager_name": "劳资专管员姓名", "labour_manager_phone": "劳资专管员手机号",
    "contract_amount": "合同金额", "actual_start": "实际开工日期", "wage_bank": "开户银行",
    "wage_account_no": "工资专用账户账号", "wage_account_name": "户名",
    "guarantee_amount": "工资保证金金额", "guarantee_form": "缴纳形式",
    "guarantee_date": "缴纳日期", "notice_board_photo": "维权信息告示牌",
}

# the verb of each item's 「请…」 when it is missing (default 请填写)
_MISSING_VERB = {"guarantee_form": "请选择", "actual_start": "请选择", "guarantee_date": "请选择",
                 "notice_board_photo": "请上传"}


def missing_message(field: str) -> str:
    """「请填写项目经理姓名」: what the page says beside an item missing at 「提交审核」."""
    return f"{_MISSING_VERB.get(field, '请填写')}{REQUIRED_LABELS[field]}"


def optional_pay_day(value: Any) -> int | None:
    """约定发薪日: the day of the next month by which a month's wages are paid (1–28, so
    that every month has it); empty: the city's default (PAYROLL_DEFAULT_PAY_DAY)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 28):
        raise ValidationError("约定发薪日应为1至28之间的整数（次月几日发放上月工资）")
    return int(text)


# called with the project's id after its information is saved (欠薪预警 recomputes the
# months whose pay day moved), inside the saving transaction
_ON_SAVED: list[Callable[[int], None]] = []


def register_information_hook(hook: Callable[[int], None]) -> None:
    if hook not in _ON_SAVED:
        _ON_SAVED.append(hook)


# rules of single items, shared by the form and anything else that saves them
ITEM_RULES = {
    "pay_day": optional_pay_day,
    "manager_phone": optional_phone,
    "labour_manager_phone": optional_phone,
    "wage_account_no": validate_account_number,
}


def clean_information(data: dict[str, Any]) -> dict[str, Any]:
    """The items of `data`, each checked by its rule. Raises ServiceError naming the
    first item that is wrong."""
    cleaned = {}
    for field in INFO_FIELDS:
        if field not in data:
            continue
        value = data[field]
        rule = ITEM_RULES.get(field)
        if rule is not None:
            try:
                value = rule(value)
            except ValidationError as exc:
                raise ServiceError(exc.messages[0], field=field) from None
        cleaned[field] = value
    return cleaned


def _gc_project(actor: User, code: str) -> Project:
    """The project, locked, if `actor` may complete its information, else 404."""
    return access_project(actor, code, for_update=True,
                          role=ParticipantRole.GENERAL_CONTRACTOR)


def _save(project: Project, *, actor: User, data: dict[str, Any],
          notice_board_photo: Attachment | None, ip: str | None) -> ProjectInformation:
    if project.info_status not in EDITABLE:
        raise ServiceError(f"项目信息{project.get_info_status_display()}，不能修改")
    info, _ = ProjectInformation.objects.get_or_create(project=project)
    values = clean_information(data)
    if notice_board_photo is not None:
        values["notice_board_photo"] = notice_board_photo
        claim([notice_board_photo], actor=actor)
    changes = model_update(info, {**values, "updated_by": actor},
                           fields=[*INFO_FIELDS, "notice_board_photo", "updated_by"])
    record(action=Action.PROJECT_INFO_SAVED, actor=actor, ip=ip, obj=project,
           changes=changes, project_code=project.code)
    if "pay_day" in changes:
        for hook in _ON_SAVED:
            hook(project.pk)
    return info


@transaction.atomic
def save_information(*, actor: User, code: str, data: dict[str, Any],
                     notice_board_photo: Attachment | None = None,
                     ip: str | None = None) -> ProjectInformation:
    """「保存」: the draft of the project information (nothing is checked for
    completeness until 「提交审核」)."""
    return _save(_gc_project(actor, code), actor=actor, data=data,
                 notice_board_photo=notice_board_photo, ip=ip)


def _snapshot(project: Project, info: ProjectInformation) -> dict[str, Any]:
    data: dict[str, Any] = {f: (str(v) if v is not None else "") for f in INFO_FIELDS
                            for v in [getattr(info, f)]}
    data["notice_board_photo"] = str(info.notice_board_photo_id or "")
    data["guarantee_form_label"] = info.get_guarantee_form_display()
    data["participants"] = [
        {"role": p.role, "role_label": p.get_role_display(), "unit_name": p.unit_name,
         "credit_code": p.credit_code, "subcontract_content": p.subcontract_content}
        for p in project.participants.order_by("id")
    ]
    return data


def _submit(project: Project, *, actor: User, ip: str | None) -> ProjectInfoSubmission:
    if project.info_status not in EDITABLE:
        raise ServiceError(f"项目信息{project.get_info_status_display()}，不能重复提交")
    info, _ = ProjectInformation.objects.get_or_create(project=project)
    missing = [field for field in REQUIRED_LABELS if getattr(info, field) in (None, "")]
    if missing:
        raise ServiceError(
            f"还有{len(missing)}项未填写：{'、'.join(REQUIRED_LABELS[f] for f in missing)}",
            errors={field: missing_message(field) for field in missing})
    previous = (ProjectInfoSubmission.objects.filter(project=project, status=ReviewStatus.RETURNED)
                .order_by("-submitted_at", "-id").first())
    if previous is not None and previous.is_resubmitted:
        previous = None
    submission = ProjectInfoSubmission.objects.create(
        project=project, snapshot=_snapshot(project, info), submitted_by=actor,
        submitted_at=timezone.now(), submitted_ip=ip, previous=previous)
    old = advance(project, InfoStatus.SUBMITTED, flow=INFO_FLOW, field="info_status")
    record(action=Action.PROJECT_INFO_SUBMITTED, actor=actor, ip=ip, obj=project,
           changes={"info_status": [old, project.info_status]}, project_code=project.code,
           submission=submission.pk)
    return submission


@transaction.atomic
def submit_information(*, actor: User, code: str, ip: str | None = None) -> ProjectInfoSubmission:
    """「提交审核」: every item filled in, then the authority reviews it."""
    return _submit(_gc_project(actor, code), actor=actor, ip=ip)


def _add_participant(project: Project, *, actor: User, role: str, unit_name: str,
                     credit_code: str, subcontract_content: str = "",
                     ip: str | None) -> Participant:
    if role not in LATER_ROLES:
        raise ServiceError("只能添加专业承包或劳务分包单位", field="role")
    if project.info_status == InfoStatus.SUBMITTED:
        raise ServiceError("项目信息正在审核中，审核结束后才能添加参建单位")
    if project.participants.filter(credit_code=credit_code, role=role).exists():
        raise ServiceError(f"该单位已是本项目的{ParticipantRole(role).label}单位",
                           field="credit_code")
    participant = Participant.objects.create(
        project=project, role=role, unit_name=unit_name, credit_code=credit_code,
        subcontract_content=subcontract_content, added_by=actor)
    record(action=Action.PARTICIPANT_ADDED, actor=actor, ip=ip, obj=participant,
           project_code=project.code, role=role, credit_code=credit_code,
           after_approval=project.info_status == InfoStatus.APPROVED)
    return participant


@transaction.atomic
def add_participant(*, actor: User, code: str, role: str, unit_name: str, credit_code: str,
                    subcontract_content: str = "", ip: str | None = None) -> Participant:
    """专业承包 / 劳务分包 units, added by the general contractor. After approval they
    take part at once (and the audit log says who added them)."""
    return _add_participant(_gc_project(actor, code), actor=actor, role=role, unit_name=unit_name,
                            credit_code=credit_code, subcontract_content=subcontract_content,
                            ip=ip)


@dataclass
class Completion:
    """What 「项目信息完善」 did: the information saved, and the submission or the
    participant when the button asked for one."""

    information: ProjectInformation
    submission: ProjectInfoSubmission | None = None
    participant: Participant | None = None


def complete_information(*, actor: User, code: str, data: dict[str, Any], then: str = "save",
                         notice_board_photo: Attachment | None = None,
                         participant: dict[str, str] | None = None,
                         ip: str | None = None) -> Completion:
    """The 「项目信息完善」 page's one call: whatever the button, what was typed is
    saved; then `then` = "submit" submits it for review, or "add_participant" adds
    the unit in `participant`. If that second step is refused, the saved items stay
    saved and the ServiceError is raised after they are committed."""
    refusal = None
    with transaction.atomic():
        project = _gc_project(actor, code)
        done = Completion(_save(project, actor=actor, data=data,
                                notice_board_photo=notice_board_photo, ip=ip))
        try:
            with transaction.atomic():
                if then == "submit":
                    done.submission = _submit(project, actor=actor, ip=ip)
                elif then == "add_participant":
                    done.participant = _add_participant(project, actor=actor, ip=ip,
                                                        **(participant or {}))
        except ServiceError as exc:
            refusal = exc
    if refusal is not None:
        raise refusal
    return done


@transaction.atomic
def remove_participant(*, actor: User, code: str, participant_id: int,
                       ip: str | None = None) -> None:
    project = _gc_project(actor, code)
    if project.info_status not in EDITABLE:
        raise ServiceError("项目信息审核中或已通过，不能删除参建单位")
    participant = project.participants.filter(pk=participant_id, role__in=LATER_ROLES).first()
    if participant is None:
        raise PermissionDenied404
    record(action=Action.PARTICIPANT_REMOVED, actor=actor, ip=ip, obj=participant,
           project_code=project.code, role=participant.role, credit_code=participant.credit_code)
    participant.delete()


# ------------------------------------------------------------------ 项目信息审核

class InformationReview(Review[ProjectInfoSubmission]):
    """The authority approves or returns the submitted information; the general
    contractor's administrator is told by SMS either way."""

    noun = "项目信息"
    approved_action = Action.PROJECT_INFO_APPROVED
    returned_action = Action.PROJECT_INFO_RETURNED

    def locate(self, *, actor: Actor, key: str) -> ProjectInfoSubmission:
        project = access_project(actor, key, for_update=True)
        if not can_review_information(actor, project):
            raise PermissionDenied404
        submission = (ProjectInfoSubmission.objects.select_for_update()
                      .filter(project=project, status=ReviewStatus.SUBMITTED).first())
        if project.info_status != InfoStatus.SUBMITTED or submission is None:
            raise ServiceError(f"项目信息{project.get_info_status_display()}，不能重复审核")
        submission.project = project
        return submission

    def audit_object(self, submission: ProjectInfoSubmission) -> Project:
        return submission.project

    def approved(self, submission: ProjectInfoSubmission, *, actor: Actor, at: datetime,
                 ip: str | None) -> dict[str, Any]:
        project = submission.project
        advance(project, InfoStatus.APPROVED, flow=INFO_FLOW, field="info_status")
        _notify_general_contractor(project, SmsTemplate.PROJECT_INFO_APPROVED)
        return {"project_code": project.code, "submission": submission.pk}

    def returned(self, submission: ProjectInfoSubmission, *, actor: Actor, at: datetime,
                 reason: str, ip: str | None) -> dict[str, Any]:
        project = submission.project
        advance(project, InfoStatus.RETURNED, flow=INFO_FLOW, field="info_status")
        _notify_general_contractor(project, SmsTemplate.PROJECT_INFO_RETURNED, reason=reason)
        return {"project_code": project.code, "submission": submission.pk}


def _notify_general_contractor(project: Project, template: str, **params: str) -> None:
    gc_codes = list(project.participants.filter(
        role=ParticipantRole.GENERAL_CONTRACTOR).values_list("credit_code", flat=True))
    for enterprise in by_credit_codes(gc_codes).values():
        sms.queue_sms(phone=enterprise.admin_phone, template=template,
                      params={"project": project.name, "code": project.code, **params})


INFORMATION_REVIEW = InformationReview()


def approve_information(*, actor: Actor, code: str, ip: str | None = None) -> ProjectInfoSubmission:
    return INFORMATION_REVIEW.approve(actor=actor, key=code, ip=ip)


def return_information(*, actor: Actor, code: str, reason: str,
                       ip: str | None = None) -> ProjectInfoSubmission:
    return INFORMATION_REVIEW.return_(actor=actor, key=code, reason=reason, ip=ip)


