"""The one approve/return implementation of every review (审核) and its 退回原因 rule.

A review kind (企业账号认证, 项目账号认证, 项目信息, later the wage sheet) is a
`Review` subclass that says how to find and lock the submission for the reviewer
(`locate`, which raises PermissionDenied404 for anyone else) and what approving or
returning does besides the decision itself (`approved`, `returned`: create the
account, send the SMS). `Review.approve` / `Review.return_` do the rest, the same
way for all: one transaction, the row locked, the status moved by the flow, the
reviewer and time kept, one audit event with the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django.db import models, transaction
from django.utils import timezone

from labour.audit.services import record
from labour.core.errors import ServiceError
from labour.core.transitions import advance

if TYPE_CHECKING:
    from datetime import datetime

    from labour.core.visibility import Actor

    from .models import ReviewedSubmission

REASON_MAX = 200

S = TypeVar("S", bound="ReviewedSubmission")


def clean_return_reason(reason: str | None) -> str:
    """退回 needs a reason (it is sent to the applicant by SMS)."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写退回原因", field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"退回原因不超过{REASON_MAX}字", field="reason")
    return reason


class Review(Generic[S]):
    """One kind of review. Subclasses set the audit actions and implement `locate`."""

    noun: ClassVar[str] = "申请"
    approved_action: ClassVar[str]
    returned_action: ClassVar[str]

    def locate(self, *, actor: Actor, key: str) -> S:
        """The submission `key`, locked (select_for_update), if `actor` may review it;
        else PermissionDenied404."""
        raise NotImplementedError

    def check_pending(self, submission: S) -> None:
        if not submission.is_pending:
            raise ServiceError(f"该{self.noun}{submission.get_status_display()}，不能重复审核")

    def approved(self, submission: S, *, actor: Actor, at: datetime,
                 ip: str | None) -> dict[str, Any]:
        """What 通过 does besides the decision, inside the transaction with the row
        locked, before the status moves (it may still refuse with a ServiceError).
        Returns details for the audit event."""
        return {}

    def returned(self, submission: S, *, actor: Actor, at: datetime, reason: str,
                 ip: str | None) -> dict[str, Any]:
        """What 退回 does besides the decision (e.g. the SMS with the reason)."""
        return {}

    def audit_object(self, submission: S) -> models.Model:
        return submission

    def approve(self, *, actor: Actor, key: str, ip: str | None = None) -> S:
        """「通过」."""
        with transaction.atomic():
            submission = self.locate(actor=actor, key=key)
            self.check_pending(submission)
            at = timezone.now()
            detail = self.approved(submission, actor=actor, at=at, ip=ip)
            old = advance(submission, submission.APPROVED, flow=submission.status_flow,
                          reviewer=actor, reviewed_at=at)
            self._record(self.approved_action, submission, actor, ip, old, detail)
        return submission

    def return_(self, *, actor: Actor, key: str, reason: str | None,
                ip: str | None = None) -> S:
        """「退回」 with a required reason."""
        reason = clean_return_reason(reason)
        with transaction.atomic():
            submission = self.locate(actor=actor, key=key)
            self.check_pending(submission)
            at = timezone.now()
            detail = self.returned(submission, actor=actor, at=at, reason=reason, ip=ip)
            old = advance(submission, submission.RETURNED, flow=submission.status_flow,
                          reviewer=actor, reviewed_at=at, return_reason=reason)
            self._record(self.returned_action, submission, actor, ip, old, {"reason": reason,
                                                                            **detail})
        return submission

    def _record(self, action: str, submission: S, actor: Actor, ip: str | None, old: str,
                detail: dict[str, Any]) -> None:
        record(action=action, actor=actor, ip=ip, obj=self.audit_object(submission),
               changes={"status": [old, submission.status]}, **detail)
