"""实名制用工 pages: 人员管理, 新增人员, the worker page (合同, 工资卡, 进场/退场,
查看完整信息), 班组管理, 批量导入, 导出, 人员总览.

Reads go through the selectors (visible_to: the participant, the general
contractor of the project, the authority of its region); writes through the
services (the participant only). Anyone else gets 404."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from labour.attachments.drafts import draft_key
from labour.core.errors import ServiceError
from labour.core.http import client_ip
from labour.core.roles import AccountKind, kind_required

from . import exporting, importing, selectors, services
from .choices import AgreementKind, EventKind, Gender, ImportStatus, RosterStatus, WorkerRole
from .codes import (
    CONTRACT_PERIOD_TYPES,
    CULTURE_LEVELS,
    ID_TYPES,
    MEASURE_UNITS,
    POLITICS_TYPES,
    RESIDENT_ID_CARD,
    WORK_TYPES,
)
from .forms import (
    STATUS_CHOICES,
    CardForm,
    ContractForm,
    EventForm,
    IdentityForm,
    ImportForm,
    TeamForm,
    WorkerForm,
)
from .permissions import own_participant, owns, reads_whole_roster
from .rules import CARD_LABELS, PERSON_LABELS, PROJECT_PART_LABELS, age_flag

READERS = (AccountKind.AUTHORITY, AccountKind.ENTERPRISE, AccountKind.PROJECT)
KEEPERS = (AccountKind.ENTERPRISE, AccountKind.PROJECT)
CONTRACT_TEMPLATE = Path(__file__).resolve().parent / "data" / "labour_contract_template.docx"
PAGE_SIZE = 20
FIELD_LABELS = {**PERSON_LABELS, **PROJECT_PART_LABELS, **CARD_LABELS, "status": "状态",
                "bank_code": "银行代码", "bank_name": "开户银行", "photo": "本人照片",
                "head_image": "交换用头像", "id_card_front": "身份证正面", "id_card_back": "身份证反面",
                "agreement_kind": "协议类型", "period_type": "期限类型", "start_date": "开始日期",
                "end_date": "结束日期", "unit": "计量单位", "unit_price": "单价", "file_1": "合同文件",
                "file_2": "合同文件（第2份）"}


def _error(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=importing.XLSX_TYPE)
    response["Content-Disposition"] = (f"attachment; filename=\"roster.xlsx\"; "
                                       f"filename*=UTF-8''{quote(filename)}")
    return _no_store(response)


def _uploads_kwargs(request) -> dict:
    # signed-in accounts keep their files like any form; the per-address draft budget
    # (UPLOAD_DRAFTS_PER_IP_HOUR) is for anonymous applicants: a clerk adding a day's
    # workers with three photos each would exhaust it
    return {"draft_key": draft_key(request), "ip": None}


# ------------------------------------------------------------------ landing pages

def project_landing(request, target: str, title: str):
    """A project account goes straight to its project; an enterprise account picks one
    of its projects, an authority one of its jurisdiction (shared by the roster and
    payroll pages)."""
    user = request.user
    if user.kind == AccountKind.PROJECT:
        return redirect(target, code=user.project.code)
    if user.kind == AccountKind.AUTHORITY:
        q = request.GET.get("q", "")
        projects = Paginator(selectors.jurisdiction_projects(user, q), PAGE_SIZE).get_page(
            request.GET.get("page"))
        return render(request, "workforce/landing.html", {
            "title": title, "target": target, "page": projects, "q": q, "authority": True})
    page = Paginator(selectors.roster_counts(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workforce/landing.html", {
        "title": title, "target": target, "page": page, "authority": False})


@kind_required(*READERS)
def roster_index(request):
    """「人员管理」: a project account goes to its project's roster; an enterprise
    account chooses one of its projects; an authority one of its jurisdiction."""
    return project_landing(request, "workforce:roster", "人员管理")


@kind_required(*KEEPERS)
def team_index(request):
    return project_landing(request, "workforce:teams", "班组管理")


# ------------------------------------------------------------------ 人员管理

def _project_context(request, project, tab: str) -> dict:
    user = request.user
    return {"project": project, "tab": tab, "own": own_participant(user, project),
            "reads_all": reads_whole_roster(user, project)}


def _rows_with_flags(page) -> list:
    today = timezone.localdate()
    return [(worker, age_flag(age=worker.person.age_on(today), gender=worker.person.gender)
             if worker.status != RosterStatus.EXITED else "") for worker in page]


@kind_required(*READERS)
def roster(request, code):
    """人员管理: the project's roster, per participant, paged; filtered by 班组, 工种,
    在场/已退场; searched by 姓名 or the full 证件号码."""
    project = selectors.access_roster_project(request.user, code)
    f = selectors.RosterFilter.from_query(request.GET)
    page = Paginator(selectors.roster(request.user, project, f), PAGE_SIZE).get_page(
        request.GET.get("page"))
    context = _project_context(request, project, "roster")
    context.update({
        "page": page, "rows": _rows_with_flags(page), "f": f,
        "units": selectors.roster_units(request.user, project),
        "team_options": selectors.teams(request.user, project, unit=f.unit),
        "work_types": WORK_TYPES.choices(), "statuses": STATUS_CHOICES,
    })
    return _no_store(render(request, "workforce/roster.html", context))


@require_POST
@kind_required(*READERS)
def export(request, code):
    """「导出」: the filtered roster as .xlsx (full numbers only of the user's own rows)."""
    f = selectors.RosterFilter.from_query(request.POST)
    data, name = exporting.export_roster(actor=request.user, code=code, filters=f,
                                         ip=client_ip(request))
    return _xlsx(data, name)


@kind_required(AccountKind.ENTERPRISE)
def overview(request):
    """人员总览: every worker of the enterprise across its projects."""
    f = selectors.RosterFilter.from_query(request.GET)
    page = Paginator(selectors.overview(request.user, f), PAGE_SIZE).get_page(request.GET.get("page"))
    return _no_store(render(request, "workforce/overview.html", {
        "page": page, "rows": _rows_with_flags(page), "f": f,
        "participations": selectors.overview_projects(request.user),
        "work_types": WORK_TYPES.choices(), "statuses": STATUS_CHOICES,
    }))


@require_POST
@kind_required(AccountKind.ENTERPRISE)
def overview_export(request):
    f = selectors.RosterFilter.from_query(request.POST)
    data, name = exporting.export_overview(actor=request.user, filters=f, ip=client_ip(request))
    return _xlsx(data, name)


# ------------------------------------------------------------------ 新增人员

@kind_required(*KEEPERS)
def worker_new(request, code):
    """新增人员: first 姓名 + 证件类型 + 证件号码; a person the platform knows (and whose
    name matches) is re-used and only the project part is asked; else the person
    part too."""
    user = request.user
    project = selectors.access_roster_project(user, code)
    participant = own_participant(user, project)
    if participant is None:
        raise Http404
    teams = selectors.own_teams(user, participant)
    context = _project_context(request, project, "roster")
    step = request.POST.get("step", "1") if request.method == "POST" else "1"
    identity = IdentityForm(request.POST or None, hidden=step == "2")
    context.update({"identity": identity, "teams_exist": teams.exists()})
    if request.method != "POST" or not identity.is_valid():
        return _no_store(render(request, "workforce/worker_new.html", context))
    try:
        lookup = services.find_person(actor=user, code=code, data=identity.cleaned_data)
    except ServiceError as exc:
        identity = IdentityForm(request.POST)  # the first step again, with the reason
        identity.is_valid()
        _error(identity, exc)
        context["identity"] = identity
        return _no_store(render(request, "workforce/worker_new.html", context))
    known = lookup.person is not None
    id_type = lookup.identity["id_type"]
    kwargs = _uploads_kwargs(request)
    if step == "1":
        form = WorkerForm(id_type=id_type, teams=teams, with_person=not known, **kwargs)
    else:
        form = WorkerForm(request.POST, request.FILES, id_type=id_type, teams=teams,
                          with_person=not known, **kwargs)
        if form.check_and_keep(actor=user):
            try:
                worker = services.add_worker(
                    actor=user, code=code, identity=lookup.identity, person=form.person_data(),
                    project_part=form.project_part(), team_id=form.cleaned_data.get("team"),
                    files=services.Files(**{f: form.attachments.get(f) for f in form.file_fields}),
                    ip=client_ip(request))
            except ServiceError as exc:
                _error(form, exc)
            else:
                messages.success(request, f"已添加人员：{worker.person.name}")
                return redirect("workforce:worker", code=code, worker_id=worker.pk)
    context.update({"identity": IdentityForm(lookup.identity, hidden=True),
                    "form": form, "known": lookup.person, "step": "2",
                    "id_type_label": ID_TYPES.label(id_type),
                    "resident": id_type == RESIDENT_ID_CARD, "identity_data": lookup.identity})
    return _no_store(render(request, "workforce/worker_new.html", context))


# ------------------------------------------------------------------ the worker page

def _worker_page(request, code, worker_id, *, full: bool = False):
    user = request.user
    project = selectors.access_roster_project(user, code)
    worker = selectors.access_worker(user, project, worker_id)
    context = _project_context(request, project, "roster")
    today = timezone.localdate()
    context.update({
        "worker": worker, "person": worker.person, "full": full,
        "owner": owns(user, worker.participant_id),
        "contract": getattr(worker, "contract", None), "card": getattr(worker, "wage_card", None),
        "events": selectors.events_of(worker),
        "history": [(event, _labelled(event.changes))
                    for event in selectors.history_of(user, worker)[:50]],
        "age": worker.person.age_on(today),
        "age_flag": age_flag(age=worker.person.age_on(today), gender=worker.person.gender),
    })
    return _no_store(render(request, "workforce/worker.html", context))


VALUE_LABELS = {
    "work_role": dict(WorkerRole.choices), "status": dict(RosterStatus.choices),
    "gender": dict(Gender.choices), "agreement_kind": dict(AgreementKind.choices),
    "work_type": dict(WORK_TYPES.choices()), "politics_type": dict(POLITICS_TYPES.choices()),
    "culture_level": dict(CULTURE_LEVELS.choices()), "period_type": dict(CONTRACT_PERIOD_TYPES.choices()),
    "unit": dict(MEASURE_UNITS.choices()),
}


def _shown(field: str, value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool) or value in ("True", "False"):
        return "是" if value in (True, "True") else "否"
    return str(VALUE_LABELS.get(field, {}).get(str(value), value))


def _labelled(changes: dict) -> list[tuple[str, str, str]]:
    """An audit event's changes with the items' Chinese names and values (personal
    numbers were masked when the event was written)."""
    rows = []
    for field, pair in (changes or {}).items():
        old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        rows.append((FIELD_LABELS.get(field, field), _shown(field, old), _shown(field, new)))
    return rows


@kind_required(*READERS)
def worker(request, code, worker_id):
    return _worker_page(request, code, worker_id)


@require_POST
@kind_required(*KEEPERS)
def worker_reveal(request, code, worker_id):
    """「查看完整信息」: the owning participant only, written in the audit log."""
    services.reveal_worker(actor=request.user, code=code, worker_id=worker_id, ip=client_ip(request))
    return _worker_page(request, code, worker_id, full=True)


@kind_required(*KEEPERS)
def worker_edit(request, code, worker_id):
    user = request.user
    project = selectors.access_roster_project(user, code)
    worker = selectors.access_worker(user, project, worker_id, owned=True)
    person = worker.person
    teams = selectors.own_teams(user, worker.participant)
    kwargs = _uploads_kwargs(request)
    if request.method == "POST":
        form = WorkerForm(request.POST, request.FILES, id_type=person.id_type, teams=teams,
                          editing=True, **kwargs)
        if form.check_and_keep(actor=user):
            try:
                services.update_worker(
                    actor=user, code=code, worker_id=worker.pk, person=form.person_data() or {},
                    project_part=form.project_part(), team_id=form.cleaned_data.get("team"),
                    files=services.Files(**{f: form.attachments.get(f) for f in form.file_fields}),
                    ip=client_ip(request))
            except ServiceError as exc:
                _error(form, exc)
            else:
                messages.success(request, "人员信息已保存")
                return redirect("workforce:worker", code=code, worker_id=worker.pk)
    else:
        initial = {f: getattr(person, f) for f in (
            "name", "gender", "birth_date", "nation", "grant_org", "id_valid_from", "id_valid_until",
            "address", "politics_type", "culture_level", "urgent_contact_name")}
        initial.update(phone=person.phone, urgent_contact_phone=person.urgent_contact_phone,
                       id_long_term=person.id_valid_until is None, team=str(worker.team_id),
                       work_role=worker.work_role, work_type=worker.work_type,
                       is_team_leader=worker.is_team_leader,
                       safety_training_date=worker.safety_training_date,
                       has_insurance=worker.has_insurance)
        form = WorkerForm(initial=initial, id_type=person.id_type, teams=teams, editing=True, **kwargs)
    context = _project_context(request, project, "roster")
    context.update({"worker": worker, "person": person, "form": form})
    return _no_store(render(request, "workforce/worker_edit.html", context))


@kind_required(*KEEPERS)
def contract(request, code, worker_id):
    """劳动合同 / 用工书面协议, with 「下载模板」."""
    user = request.user
    project = selectors.access_roster_project(user, code)
    worker = selectors.access_worker(user, project, worker_id, owned=True)
    current = getattr(worker, "contract", None)
    kwargs = _uploads_kwargs(request)
    if request.method == "POST":
        form = ContractForm(request.POST, request.FILES, **kwargs)
        if form.check_and_keep(actor=user):
            try:
                services.save_contract(actor=user, code=code, worker_id=worker.pk,
                                       data=form.contract_data(),
                                       file_1=form.attachments.get("file_1"),
                                       file_2=form.attachments.get("file_2"), ip=client_ip(request))
            except ServiceError as exc:
                _error(form, exc)
            else:
                messages.success(request, "劳动合同已保存")
                return redirect("workforce:worker", code=code, worker_id=worker.pk)
    else:
        initial = {f: getattr(current, f) for f in ("agreement_kind", "period_type", "start_date",
                                                     "end_date", "unit", "unit_price")} if current else {}
        form = ContractForm(initial=initial, **kwargs)
    context = _project_context(request, project, "roster")
    context.update({"worker": worker, "form": form, "current": current})
    return render(request, "workforce/contract.html", context)


@kind_required(*READERS)
def contract_template(request):
    """「下载模板」: a simple labour contract (.docx) to print and sign."""
    response = FileResponse(CONTRACT_TEMPLATE.open("rb"), as_attachment=True,
                            filename="劳动合同（用工书面协议）模板.docx",
                            content_type="application/vnd.openxmlformats-officedocument."
                                         "wordprocessingml.document")
    return response


@kind_required(*KEEPERS)
def card(request, code, worker_id):
    """工资卡: the holder is the worker."""
    user = request.user
    project = selectors.access_roster_project(user, code)
    worker = selectors.access_worker(user, project, worker_id, owned=True)
    current = getattr(worker, "wage_card", None)
    if request.method == "POST":
        form = CardForm(request.POST)
        if form.is_valid():
            try:
                services.save_wage_card(actor=user, code=code, worker_id=worker.pk,
                                        data=form.cleaned_data, ip=client_ip(request))
            except ServiceError as exc:
                _error(form, exc)
            else:
                messages.success(request, "工资卡已保存")
                return redirect("workforce:worker", code=code, worker_id=worker.pk)
    else:
        form = CardForm(initial={"bank": current.bank_name, "branch_name": current.branch_name,
                                 "link_number": current.link_number} if current else None)
    context = _project_context(request, project, "roster")
    context.update({"worker": worker, "form": form, "current": current})
    return _no_store(render(request, "workforce/card.html", context))


def _event(request, code, worker_id, kind: str):
    user = request.user
    project = selectors.access_roster_project(user, code)
    worker = selectors.access_worker(user, project, worker_id, owned=True)
    label = EventKind(kind).label
    kwargs = _uploads_kwargs(request)
    if request.method == "POST":
        form = EventForm(request.POST, request.FILES, **kwargs)
        if form.check_and_keep(actor=user):
            call = services.record_entry if kind == EventKind.ENTRY else services.record_exit
            try:
                done = call(actor=user, code=code, worker_id=worker.pk,
                            date=form.cleaned_data["date"], voucher=form.attachments.get("voucher"),
                            ip=client_ip(request))
            except ServiceError as exc:
                _error(form, exc)
            else:
                messages.success(request, f"已登记{label}：{done.event.date:%Y-%m-%d}")
                if done.note:
                    messages.warning(request, f"请注意：该人员{done.note}")
                return redirect("workforce:worker", code=code, worker_id=worker.pk)
    else:
        form = EventForm(initial={"date": timezone.localdate()}, **kwargs)
    context = _project_context(request, project, "roster")
    context.update({"worker": worker, "form": form, "label": label,
                    "last": selectors.last_event(worker)})
    return render(request, "workforce/event.html", context)


@kind_required(*KEEPERS)
def entry(request, code, worker_id):
    return _event(request, code, worker_id, EventKind.ENTRY)


@kind_required(*KEEPERS)
def exit_(request, code, worker_id):
    return _event(request, code, worker_id, EventKind.EXIT)


# ------------------------------------------------------------------ 班组管理

@kind_required(*READERS)
def teams(request, code):
    user = request.user
    project = selectors.access_roster_project(user, code)
    unit = request.GET.get("unit", "")
    context = _project_context(request, project, "teams")
    context.update({"teams": selectors.teams(user, project, unit=int(unit) if unit.isdigit() else None),
                    "units": selectors.roster_units(user, project),
                    "unit": int(unit) if unit.isdigit() else None})
    return _no_store(render(request, "workforce/teams.html", context))


@kind_required(*KEEPERS)
def team_edit(request, code, team_id=None):
    user = request.user
    project = selectors.access_roster_project(user, code)
    if own_participant(user, project) is None:
        raise Http404
    team = selectors.access_team(user, project, team_id, owned=True) if team_id else None
    members = selectors.team_members(team) if team else None
    if request.method == "POST":
        form = TeamForm(request.POST, members=members)
        if form.is_valid():
            try:
                saved = services.save_team(actor=user, code=code, data=form.team_data(),
                                           team_id=team.pk if team else None,
                                           leader_id=form.leader_id(), ip=client_ip(request))
            except ServiceError as exc:
                _error(form, exc)
            else:
                messages.success(request, f"班组已保存：{saved.name}")
                return redirect("workforce:teams", code=code)
    else:
        initial = None
        if team is not None:
            initial = {f: getattr(team, f) for f in ("name", "responsible_name", "responsible_phone",
                                                      "entry_date", "exit_date", "remark")}
            initial["leader"] = str(team.leader_id or "")
        form = TeamForm(initial=initial, members=members)
    context = _project_context(request, project, "teams")
    context.update({"team": team, "form": form})
    return render(request, "workforce/team_form.html", context)


# ------------------------------------------------------------------ 批量导入

@kind_required(*KEEPERS)
def import_page(request, code):
    user = request.user
    project = selectors.access_roster_project(user, code)
    if own_participant(user, project) is None:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = importing.start_import(actor=user, code=code, upload=form.cleaned_data["file"],
                                         ip=client_ip(request))
        except ServiceError as exc:
            _error(form, exc)
        else:
            importing.schedule(job, "check")
            return redirect("workforce:import_job", code=code, job_id=job.pk)
    context = _project_context(request, project, "import")
    context.update({"form": form, "jobs": selectors.import_jobs(user, project)})
    return render(request, "workforce/import.html", context)


@kind_required(*KEEPERS)
def import_template(request, code):
    """「下载模板」: drop-downs from the code tables and the unit's teams."""
    user = request.user
    project = selectors.access_roster_project(user, code)
    participant = own_participant(user, project)
    if participant is None:
        raise Http404
    names = list(selectors.own_teams(user, participant).values_list("name", flat=True))
    return _xlsx(importing.template_workbook(names), f"人员导入模板_{project.code}.xlsx")


@kind_required(*KEEPERS)
def import_job(request, code, job_id):
    """The preview (every refused row with row, column and reason) and 「确认导入」;
    while a large file is being checked or imported, its progress."""
    user = request.user
    project = selectors.access_roster_project(user, code)
    job = selectors.access_import(user, project, job_id)
    if request.method == "POST":
        try:
            job = importing.confirm_import(actor=user, code=code, job_id=job_id, ip=client_ip(request))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            importing.schedule(job, "import")
            job.refresh_from_db()
            if job.status == ImportStatus.IMPORTED:
                messages.success(request, f"已导入 {job.imported_count} 名人员")
                return redirect(reverse("workforce:roster", kwargs={"code": code}))
        return redirect("workforce:import_job", code=code, job_id=job_id)
    refusals = job.refusals or []
    context = _project_context(request, project, "import")
    context.update({"job": job, "refusals": refusals,
                    "refused_rows": len({r["row"] for r in refusals})})
    return _no_store(render(request, "workforce/import_job.html", context))


@kind_required(*KEEPERS)
def import_status(request, code, job_id):
    project = selectors.access_roster_project(request.user, code)
    job = selectors.access_import(request.user, project, job_id)
    return _no_store(JsonResponse({"status": job.status, "label": job.get_status_display(),
                                   "busy": job.busy, "percent": job.percent,
                                   "checked": job.checked_rows, "total": job.total_rows}))
