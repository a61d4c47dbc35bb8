"""Reads of projects, limited to the user."""

from django.db.models import Prefetch, Q

from labour.accounts.choices import AccountKind
from labour.core.validators import jurisdiction_prefix

from .choices import InfoStatus, ParticipantRole
from .models import Participant, Project


def projects_for_authority(user, query=""):
    """「项目管理」: the projects of the reviewer's jurisdiction, with participants."""
    if not user.is_authenticated or user.kind != AccountKind.AUTHORITY or not user.region_code:
        return Project.objects.none()
    qs = Project.objects.filter(region_code__startswith=jurisdiction_prefix(user.region_code))
    query = (query or "").strip()
    if query:
        matching = Participant.objects.filter(
            Q(unit_name__icontains=query) | Q(credit_code__icontains=query.upper()))
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query.upper())
                       | Q(pk__in=matching.values("project_id")))
    return qs.prefetch_related("participants").order_by("-created_at", "-id")


def get_project_for_authority(user, code, *, lock=False):
    if lock:
        if not user.is_authenticated or user.kind != AccountKind.AUTHORITY or not user.region_code:
            return None
        return (Project.objects.select_for_update()
                .filter(region_code__startswith=jurisdiction_prefix(user.region_code), code=code)
                .first())
    return projects_for_authority(user).filter(code=code).first()


def info_review_queue(user):
    """「项目信息审核」: submitted project information of the jurisdiction, oldest first."""
    return (projects_for_authority(user).filter(info_status=InfoStatus.SUBMITTED)
            .order_by("created_at", "id"))


def project_for_general_contractor(user, code, *, lock=False):
    """The project if the user may complete its information: the general contractor's
    enterprise account, or the general contractor's project account of that project."""
    participations = participations_of(user).filter(
        project__code=code, role=ParticipantRole.GENERAL_CONTRACTOR)
    qs = Project.objects.filter(pk__in=participations.values("project_id"))
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def participations_of(user):
    """「我的项目」: every participation of the user's unit, by credit code; for a
    project account only those of its own project."""
    if not user.is_authenticated or not user.enterprise_id:
        return Participant.objects.none()
    if user.kind == AccountKind.PROJECT:
        if not user.project_id:
            return Participant.objects.none()
        qs = Participant.objects.filter(project_id=user.project_id)
    elif user.kind == AccountKind.ENTERPRISE:
        qs = Participant.objects.all()
    else:
        return Participant.objects.none()
    return (qs.filter(credit_code=user.enterprise.credit_code).select_related("project")
            .order_by("-project__created_at", "project_id", "id"))


def participations_with_accounts(user):
    """「我的项目」 rows, each with the unit's project account (login name) or the
    status of its latest project-account application, in one query."""
    from django.db.models import OuterRef, Subquery

    from labour.certification.models import ProjectAccountApplication

    applications = ProjectAccountApplication.objects.filter(
        project=OuterRef("project"), enterprise_id=user.enterprise_id,
    ).order_by("-submitted_at", "-id")
    return participations_of(user).annotate(
        account_status=Subquery(applications.values("status")[:1]),
        account_username=Subquery(applications.filter(status="approved")
                                  .values("account__username")[:1]),
    )


def get_project_for_enterprise(user, code):
    """(project, [its roles]) if the enterprise takes part in it, else (None, [])."""
    participations = list(participations_of(user).filter(project__code=code))
    if not participations:
        return None, []
    project = (Project.objects.filter(pk=participations[0].project_id)
               .prefetch_related(Prefetch("participants")).get())
    return project, [p.role for p in participations]


def attachment_visible_to(user, attachment):
    """维权信息告示牌: the project's reviewers and its participant enterprises."""
    from .models import ProjectInformation

    infos = ProjectInformation.objects.filter(notice_board_photo=attachment.pk)
    if user.kind == AccountKind.AUTHORITY:
        return projects_for_authority(user).filter(information__in=infos).exists()
    if user.enterprise_id:
        return participations_of(user).filter(project__information__in=infos).exists()
    return False
