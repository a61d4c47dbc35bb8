"""Reads of enterprise applications, limited to what the user may see."""

from django.db.models import Q

from labour.core.validators import jurisdiction_prefix

from .choices import ATTACHMENT_FIELDS, PROJECT_ACCOUNT_ATTACHMENT_FIELDS, ApplicationStatus
from .models import EnterpriseApplication, ProjectAccountApplication


def applications_visible_to(user):
    """Applications an authority reviewer may see: its jurisdiction only."""
    if not getattr(user, "is_authenticated", False) or not user.is_authority or not user.region_code:
        return EnterpriseApplication.objects.none()
    return EnterpriseApplication.objects.filter(
        region_code__startswith=jurisdiction_prefix(user.region_code))


def review_queue(user, query=""):
    """Pending applications of the reviewer's jurisdiction, oldest first."""
    qs = applications_visible_to(user).filter(status=ApplicationStatus.SUBMITTED)
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(credit_code__icontains=query.upper()))
    return qs.order_by("submitted_at", "id")


def get_application_for_review(user, number, *, lock=False):
    """The application if this reviewer may see it, else None (404)."""
    qs = applications_visible_to(user)
    if lock:
        qs = qs.select_for_update()
    else:
        qs = qs.select_related(*ATTACHMENT_FIELDS, "reviewer", "previous")
    return qs.filter(number=number).first()


def history_of(application):
    """Every application of the same credit code, newest first (includes itself)."""
    return (EnterpriseApplication.objects.filter(credit_code=application.credit_code)
            .select_related("reviewer").order_by("-submitted_at", "-id"))


def applications_for_applicant(credit_code, phone):
    """What 「查询认证进度」 shows once the administrator's phone is proven."""
    return (EnterpriseApplication.objects.filter(credit_code=credit_code, admin_phone=phone)
            .order_by("-submitted_at", "-id"))


def application_by_number(number):
    """Only for the applicant's own session (the caller checks it)."""
    return EnterpriseApplication.objects.filter(number=number).first()


def attachment_visible_to(user, attachment):
    """Reviewers of the application's jurisdiction, and the enterprise that owns it."""
    by_attachment = Q()
    for field in ATTACHMENT_FIELDS:
        by_attachment |= Q(**{field: attachment.pk})
    if user.is_authority:
        return applications_visible_to(user).filter(by_attachment).exists()
    if user.is_enterprise:  # the documents of its own certification, nobody else's
        enterprise = user.enterprise
        if attachment.pk in {getattr(enterprise, f"{field}_id") for field in ATTACHMENT_FIELDS}:
            return True
        # and those of project-account applications it reviews (项目账号审核)
        by_project_attachment = Q()
        for field in PROJECT_ACCOUNT_ATTACHMENT_FIELDS:
            by_project_attachment |= Q(**{field: attachment.pk})
        return ProjectAccountApplication.objects.filter(
            by_project_attachment, enterprise_id=user.enterprise_id).exists()
    return False
