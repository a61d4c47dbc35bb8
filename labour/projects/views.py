from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from labour.attachments.drafts import draft_key
from labour.attachments.selectors import access_attachment
from labour.core.errors import PermissionDenied404, ServiceError
from labour.core.http import client_ip
from labour.core.listcache import list_fragment
from labour.core.roles import AccountKind, kind_required
from labour.reviews.queue import QueueForm, queue_page
from labour.reviews.views import handle_decision

from . import information as information_services
from . import selectors, services
from .choices import InfoStatus, ParticipantRole
from .forms import ParticipantForm, ProjectFilterForm, ProjectForm, ProjectInformationForm


@kind_required(AccountKind.AUTHORITY)
def authority_list(request):
    """「项目管理」: the jurisdiction's projects, searchable."""
    def rows():
        form = ProjectFilterForm(request.GET, user=request.user)
        return (selectors.projects_for_authority(request.user, **form.values), {"form": form}, {})

    return render(request, "projects/authority_list.html", {"rows": list_fragment(
        request, rows, name="projects:authority_list",
        template="projects/authority_list_rows.html")})


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
    project = selectors.access_project(request.user, code)
    return render(request, "projects/detail.html", {"project": project, "roles": None})


@kind_required(AccountKind.ENTERPRISE)
def my_projects(request):
    """「我的项目」: every project the enterprise takes part in, with its role."""
    rows = list_fragment(request, lambda: (selectors.my_project_rows(request.user), {}, {}),
                         name="projects:my_projects", template="projects/my_projects_rows.html")
    return render(request, "projects/my_projects.html", {"rows": rows})


@kind_required(AccountKind.ENTERPRISE)
def enterprise_detail(request, code):
    return _participant_view(request, code)


@kind_required(AccountKind.PROJECT)
def project_home(request):
    """A project account's home: its one project, its unit's part of it."""
    return _participant_view(request, request.user.project.code)


def _participant_view(request, code):
    project = selectors.access_project(request.user, code)
    roles = selectors.roles_in(request.user, project)
    return render(request, "projects/detail.html", {
        "project": project, "roles": [ParticipantRole(role).label for role in roles],
        "is_general_contractor": ParticipantRole.GENERAL_CONTRACTOR in roles})


# ------------------------------------------------------------------ project information

@kind_required(AccountKind.ENTERPRISE, AccountKind.PROJECT)
def information(request, code):
    """项目信息完善: the general contractor's enterprise or project account edits and
    submits; what was typed is saved whatever the button."""
    project = selectors.access_project(request.user, code,
                                       role=ParticipantRole.GENERAL_CONTRACTOR)
    info = selectors.information_of(project)
    editable = project.info_status in information_services.EDITABLE
    kwargs = {"draft_key": draft_key(request), "ip": client_ip(request)}
    participant_form = ParticipantForm()
    action = request.POST.get("action", "save")
    refusal = ""
    if request.method == "POST" and editable:
        form = ProjectInformationForm(request.POST, request.FILES, **kwargs)
        if action == "add_participant":
            participant_form = ParticipantForm(request.POST)
        valid = form.check_and_keep(actor=request.user)
        if valid and (action != "add_participant" or participant_form.is_valid()):
            try:
                done = information_services.complete_information(
                    actor=request.user, code=code, data=form.information(), then=action,
                    notice_board_photo=form.attachments.get("notice_board_photo"),
                    participant=participant_form.cleaned_data if action == "add_participant"
                    else None, ip=client_ip(request))
            except ServiceError as exc:
                # what was typed is saved; the page shows it again with each refusal
                # beside its field (「提交审核」 names every item still missing)
                exc.add_to(participant_form if action == "add_participant" else form)
                refusal = exc.message
                info = selectors.information_of(project)
            else:
                if done.participant is not None:
                    messages.success(request, "项目信息已保存，已添加参建单位："
                                              f"{done.participant.unit_name}")
                elif done.submission is not None:
                    messages.success(request, "项目信息已提交审核，审核结果将以短信通知")
                else:
                    messages.success(request, "项目信息已保存")
                return redirect("projects:information", code=code)
    else:
        initial = {f: getattr(info, f) for f in information_services.INFO_FIELDS} if info else None
        form = ProjectInformationForm(initial=initial, **kwargs)
    return render(request, "projects/information.html", {
        "project": project, "info": info, "form": form, "editable": editable,
        "kept_photo": form.attachments.get("notice_board_photo"),
        "photo_not_kept": "notice_board_photo" in form.not_kept,
        "submissions": selectors.submissions_of(project),
        "participants": project.participants.all(),
        "participant_form": participant_form,
        "can_add": project.info_status != InfoStatus.SUBMITTED,
        "refusal": refusal,
    })


@require_POST
@kind_required(AccountKind.ENTERPRISE, AccountKind.PROJECT)
def participant_add(request, code):
    selectors.access_project(request.user, code, role=ParticipantRole.GENERAL_CONTRACTOR)
    form = ParticipantForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "添加参建单位失败：" + "；".join(str(e) for e in errors))
        return redirect("projects:information", code=code)
    try:
        information_services.add_participant(actor=request.user, code=code,
                                             ip=client_ip(request), **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已添加参建单位：{form.cleaned_data['unit_name']}")
    return redirect("projects:information", code=code)


@require_POST
@kind_required(AccountKind.ENTERPRISE, AccountKind.PROJECT)
def participant_remove(request, code, participant_id):
    try:
        information_services.remove_participant(actor=request.user, code=code,
                                                participant_id=participant_id,
                                                ip=client_ip(request))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已删除参建单位")
    return redirect("projects:information", code=code)


@kind_required(AccountKind.AUTHORITY)
def info_review_queue(request):
    """「项目信息审核」."""
    rows = queue_page(
        request, form=lambda: QueueForm(request.GET, user=request.user,
                                        search_label="项目名称或项目编号"),
        rows=lambda view: selectors.info_review_queue(request.user, view),
        menu="projects:info_review_queue", template="projects/info_review_queue_rows.html")
    return render(request, "projects/info_review_queue.html", {"rows": rows})


@kind_required(AccountKind.AUTHORITY)
def info_review_detail(request, code):
    project = selectors.access_project(request.user, code)
    ip = client_ip(request)
    response, return_form = handle_decision(
        request,
        approve=lambda: information_services.approve_information(actor=request.user, code=code,
                                                                 ip=ip),
        return_=lambda reason: information_services.return_information(
            actor=request.user, code=code, reason=reason, ip=ip),
        done="projects:info_review_queue", detail=request.path,
        approved_message=f"已通过 {project.name} 的项目信息",
        returned_message=f"已退回 {project.name} 的项目信息，退回原因已短信通知施工总承包单位",
        reasons="project_information",
    )
    if response is not None:
        return response
    submissions = list(selectors.submissions_of(project))
    submission = submissions[0] if submissions else None
    photo = None
    if submission is not None and submission.snapshot.get("notice_board_photo"):
        try:
            photo = access_attachment(request.user, submission.snapshot["notice_board_photo"])
        except PermissionDenied404:  # a photo since replaced: no longer on the project
            photo = None
    return render(request, "projects/info_review_detail.html", {
        "project": project, "submission": submission, "notice_board_photo": photo,
        "history": submissions[1:], "return_form": return_form,
    })
