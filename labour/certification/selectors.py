"""Reads of certification applications, limited to what the reader may see: a
reviewer through the visibility layer, an applicant through the phone it proved."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from labour.core.search import text_search
from labour.enterprises.choices import ENTERPRISE_DOCUMENTS
from labour.enterprises.models import Enterprise
from labour.projects.choices import FIRST_ROLES, InfoStatus
from labour.projects.models import Participant, Project
from labour.reviews.choices import ReviewStatus
from labour.reviews.queue import DEFAULT_VIEW, filter_queue

from .choices import PROJECT_ACCOUNT_ATTACHMENT_FIELDS, ProjectAccountStatus
from .models import EnterpriseApplication, ProjectAccountApplication

if TYPE_CHECKING:
    from labour.core.visibility import Actor

# ------------------------------------------------------------------ 企业账号认证


def access_enterprise_application(user: Actor, number: str, *,
                                  for_update: bool = False) -> EnterpriseApplication:
    """The application `number` if `user` reviews it (its jurisdiction), else 404."""
    qs = EnterpriseApplication.objects.all()
    if not for_update:
        qs = qs.select_related(*ENTERPRISE_DOCUMENTS, "reviewer", "previous")
    return qs.access(user, number=number, for_update=for_update)


def review_queue(user: Actor, query: str = "",
                 view: dict[str, Any] | None = None) -> QuerySet[EnterpriseApplication]:
    """企业账号认证审核: the applications of the reviewer's jurisdiction — by default the
    pending ones, oldest first; `view` (reviews.queue.QueueForm.values) picks the tab,
    dates, order and district."""
    view = view or {**DEFAULT_VIEW, "q": query}
    qs = EnterpriseApplication.objects.visible_to(user)
    condition = text_search(view.get("q") or "", names=["name"], codes=["credit_code"])
    if condition is not None:
        qs = qs.filter(condition)
    return filter_queue(qs, view)


def history_of(application: EnterpriseApplication) -> QuerySet[EnterpriseApplication]:
    """Every application of the same credit code, newest first (includes itself);
    the caller holds `application`."""
    return (EnterpriseApplication.objects.filter(credit_code=application.credit_code)
            .select_related("reviewer").order_by("-submitted_at", "-id"))


def applications_for_applicant(credit_code: str, phone: str) -> QuerySet[EnterpriseApplication]:
    """What 「查询认证进度」 shows once the administrator's phone is proven."""
    return (EnterpriseApplication.objects.filter(credit_code=credit_code, admin_phone=phone)
            .order_by("-submitted_at", "-id"))


def returned_for_applicant(credit_code: str, phone: str,
                           number: str) -> EnterpriseApplication | None:
    """The returned, not yet resubmitted application this applicant may resubmit."""
    application = applications_for_applicant(credit_code, phone).filter(
        number=number, status=ReviewStatus.RETURNED).first()
    if application is None or application.is_resubmitted:
        return None
    return application


def submitted_by_session(number: str) -> EnterpriseApplication | None:
    """The application this browser session has just sent (the caller checks the
    session holds `number`)."""
    return EnterpriseApplication.objects.filter(number=number).first()


# ------------------------------------------------------------------ 项目账号认证

def access_project_account_application(user: Actor, number: str, *,
                                       for_update: bool = False) -> ProjectAccountApplication:
    """The application `number` if `user` is the enterprise account that reviews it."""
    qs = ProjectAccountApplication.objects.all()
    if not for_update:
        qs = qs.select_related("project", "enterprise", *PROJECT_ACCOUNT_ATTACHMENT_FIELDS)
    return qs.access(user, number=number, for_update=for_update)


def project_review_queue(user: Actor,
                         view: dict[str, Any] | None = None) -> QuerySet[ProjectAccountApplication]:
    """「项目账号审核」: the applications of the user's enterprise — by default the
    pending ones, oldest first; `view` picks the tab, dates and order."""
    view = view or DEFAULT_VIEW
    qs = ProjectAccountApplication.objects.visible_to(user).select_related("project")
    query = (view.get("q") or "").strip()
    condition = text_search(query, names=["project__name"], exact=["number"])
    if condition is not None:
        qs = qs.filter(condition | Q(admin_name=query))
    return filter_queue(qs, view)


def project_history(user: Actor,
                    application: ProjectAccountApplication) -> QuerySet[ProjectAccountApplication]:
    """The reviewer's other applications for the same project, newest first."""
    return (ProjectAccountApplication.objects.visible_to(user)
            .filter(project=application.project_id).exclude(pk=application.pk)
            .order_by("-submitted_at", "-id"))


def project_applications_for_phone(phone: str) -> QuerySet[ProjectAccountApplication]:
    """「查询认证进度」 of project accounts, once the administrator's phone is proven."""
    return (ProjectAccountApplication.objects.filter(admin_phone=phone)
            .select_related("project", "enterprise", "resubmission")
            .order_by("-submitted_at", "-id"))


def project_returned_for_phone(phone: str, number: str) -> ProjectAccountApplication | None:
    application = project_applications_for_phone(phone).filter(
        number=number, status=ProjectAccountStatus.RETURNED).first()
    if application is None or application.is_resubmitted:
        return None
    return application


def project_submitted_by_session(number: str) -> ProjectAccountApplication | None:
    return (ProjectAccountApplication.objects.select_related("project", "enterprise")
            .filter(number=number).first())


NOT_A_PARTICIPANT = "该单位不是本项目的参建单位，不能申请本项目的项目账号"
NOT_YET = "该项目信息尚未审核通过，专业承包/劳务分包单位暂不能进行项目账号认证"
HAS_ACCOUNT = "该单位在本项目已有项目账号"
HAS_PENDING = "该单位在本项目已有待审核的项目账号认证申请"


def _application_status(enterprise: Enterprise, status: str) -> Subquery:
    return Subquery(ProjectAccountApplication.objects.filter(
        project=OuterRef("pk"), enterprise=enterprise, status=status).values("status")[:1])


def open_projects(enterprise: Enterprise, *,
                  project: Project | None = None) -> list[tuple[Project, str | None]]:
    """(project, None or the reason it is not open) for every project the unit takes
    part in (seed 2.8): the general contractor, owner and supervisor as soon as the
    project exists; specialty contractors and labour subcontractors once its
    information is approved; never twice. One query, however many projects."""
    first_role = Participant.objects.filter(
        project=OuterRef("pk"), credit_code=enterprise.credit_code, role__in=FIRST_ROLES)
    projects = (Project.objects.filter(participants__credit_code=enterprise.credit_code)
                .distinct()
                .annotate(first_role=Subquery(first_role.values("role")[:1]),
                          approved=_application_status(enterprise, ProjectAccountStatus.APPROVED),
                          pending=_application_status(enterprise, ProjectAccountStatus.SUBMITTED))
                .order_by("-created_at", "-id"))
    if project is not None:
        projects = projects.filter(pk=project.pk)
    return [(p, _reason(p)) for p in projects]


def _reason(project: Any) -> str | None:
    if project.first_role is None and project.info_status != InfoStatus.APPROVED:
        return NOT_YET
    if project.approved:
        return HAS_ACCOUNT
    if project.pending:
        return HAS_PENDING
    return None


def eligibility(enterprise: Enterprise, project: Project) -> str | None:
    """None if the unit may apply for a project account of `project` now, else the
    reason (read from the database now: the objects may be stale)."""
    found = open_projects(enterprise, project=project)
    return found[0][1] if found else NOT_A_PARTICIPANT


def project_account_columns(user: Actor) -> dict[str, Subquery]:
    """「我的项目」 columns: the unit's project account (login name) on each project, or
    the status of its latest project-account application."""
    applications = (ProjectAccountApplication.objects.visible_to(user)
                    .filter(project=OuterRef("project")).order_by("-submitted_at", "-id"))
    return {
        "account_status": Subquery(applications.values("status")[:1]),
        "account_username": Subquery(applications.filter(status=ProjectAccountStatus.APPROVED)
                                     .values("account__username")[:1]),
    }
