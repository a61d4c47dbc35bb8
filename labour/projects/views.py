from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from labour.accounts.choices import AccountKind
from labour.accounts.permissions import kind_required
from labour.core.errors import ServiceError
from labour.core.http import client_ip

from . import selectors, services
from .choices import ParticipantRole
from .forms import ProjectForm


@kind_required(AccountKind.AUTHORITY)
def authority_list(request):
    """「项目管理」: the jurisdiction's projects, searchable."""
    query = request.GET.get("q", "")
    page = Paginator(selectors.projects_for_authority(request.user, query), 20).get_page(
        request.GET.get("page"))
    return render(request, "projects/authority_list.html", {"page": page, "q": query})


@kind_required(AccountKind.AUTHORITY)
def create(request):
    """「新建项目」."""
    form = ProjectForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(
                actor=request.user, data=form.project_data(),
                first_participants=form.first_participants(), ip=client_ip(request))
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"项目已创建，项目编号 {project.code}")
            return redirect("projects:authority_detail", code=project.code)
    return render(request, "projects/create.html", {"form": form})


@kind_required(AccountKind.AUTHORITY)
def authority_detail(request, code):
    project = selectors.get_project_for_authority(request.user, code)
    if project is None:
        raise Http404
    return render(request, "projects/detail.html", {"project": project, "roles": None})


@kind_required(AccountKind.ENTERPRISE)
def my_projects(request):
    """「我的项目」: every project the enterprise takes part in, with its role."""
    page = Paginator(selectors.participations_of(request.user), 20).get_page(
        request.GET.get("page"))
    return render(request, "projects/my_projects.html", {"page": page})


@kind_required(AccountKind.ENTERPRISE)
def enterprise_detail(request, code):
    project, roles = selectors.get_project_for_enterprise(request.user, code)
    if project is None:
        raise Http404
    labels = [ParticipantRole(role).label for role in roles]
    return render(request, "projects/detail.html", {"project": project, "roles": labels})
