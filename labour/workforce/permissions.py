"""Who may act on a roster, beside what they may see (selectors: visible_to).

Seeing is not editing: the general contractor reads every participant's roster on
its project and the authority those of its jurisdiction, but only the participant
itself (its enterprise account, its project account on that project) keeps its
teams and workers, and only it sees the full numbers (「查看完整信息」)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from labour.core.visibility import in_jurisdiction, is_signed_in
from labour.projects.choices import ParticipantRole

from .models import own_participations

if TYPE_CHECKING:
    from labour.core.visibility import Actor
    from labour.projects.models import Participant, Project


def own_participant(user: Actor, project: Project) -> Participant | None:
    """The user's unit on `project` (the first, if it takes part in two roles)."""
    if not is_signed_in(user):
        return None
    return own_participations(user).filter(project=project).order_by("id").first()


def owns(user: Actor, participant_id: int) -> bool:
    """The roster of this participation is the user's own: it may edit it."""
    return own_participations(user).filter(pk=participant_id).exists()


def reads_whole_roster(user: Actor, project: Project) -> bool:
    """Every participant's roster of `project`: its authority and its general
    contractor (enterprise account or GC project account)."""
    if in_jurisdiction(user, project.region_code):
        return True
    return own_participations(user).filter(
        project=project, role=ParticipantRole.GENERAL_CONTRACTOR).exists()
