"""导入工资明细 pages: 「下载模板」, the upload, the preview (every refused cell with its
row, column and reason; the totals as they would be) and 「确认导入」, with the
progress of a large file. Only the sheet's own participant, only while the sheet is
草稿 or 已退回; anyone else gets 404. Reads through the selectors, writes through
labour.payroll.importing (the shared 批量导入 machinery)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from labour.core.errors import ServiceError
from labour.core.http import client_ip
from labour.core.roles import AccountKind, SignedInRequest, kind_required
from labour.workforce.choices import ImportStatus
from labour.workforce.importing import schedule
from labour.workforce.selectors import import_jobs

from . import importing, selectors
from .choices import EDITABLE
from .forms import WageImportForm

KEEPERS = (AccountKind.ENTERPRISE, AccountKind.PROJECT)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@kind_required(*KEEPERS)
def import_page(request: SignedInRequest, number: str) -> HttpResponse:
    """「导入工资明细」: the steps, the upload, this sheet's recent imports."""
    user = request.user
    try:
        sheet = importing.own_editable_sheet(user, number)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("payroll:sheet", number=number)
    form = WageImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = importing.start_import(actor=user, number=number,
                                         upload=form.cleaned_data["file"], ip=client_ip(request))
        except ServiceError as exc:
            form.add_error("file" if exc.field == "file" else None, exc.message)
        else:
            schedule(job, "check")
            return redirect("payroll:import_job", number=number, job_id=job.pk)
    jobs = import_jobs(user, sheet.project, kind=importing.KIND, target=sheet.number)
    return render(request, "payroll/import.html", {"sheet": sheet, "project": sheet.project,
                                                   "form": form, "jobs": jobs})


@kind_required(*KEEPERS)
def import_template(request: SignedInRequest, number: str) -> HttpResponse:
    """「下载模板」: the sheet's lines pre-filled (证件号码 only by its last 4)."""
    try:
        sheet = importing.own_editable_sheet(request.user, number)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("payroll:sheet", number=number)
    response = HttpResponse(importing.template_workbook(sheet), content_type=importing.XLSX_TYPE)
    filename = f"工资明细导入模板-{sheet.number}.xlsx"
    response["Content-Disposition"] = (f"attachment; filename=\"wage-lines.xlsx\"; "
                                       f"filename*=UTF-8''{quote(filename)}")
    return _no_store(response)


@kind_required(*KEEPERS)
def import_job(request: SignedInRequest, number: str, job_id: str) -> HttpResponse:
    """The preview and 「确认导入」; while a large file is being checked or imported,
    its progress."""
    user = request.user
    sheet = selectors.access_sheet(user, number, owned=True)
    job = importing.access_sheet_import(user, sheet, job_id)
    if request.method == "POST":
        try:
            job = importing.confirm_import(actor=user, number=number, job_id=job_id,
                                           ip=client_ip(request))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            schedule(job, "import")
            job.refresh_from_db()
            if job.status == ImportStatus.IMPORTED:
                messages.success(request, f"已导入 {job.imported_count} 条工资明细")
                return redirect("payroll:sheet", number=number)
        return redirect("payroll:import_job", number=number, job_id=job_id)
    refusals = job.refusals or []
    context = {"sheet": sheet, "project": sheet.project, "job": job, "refusals": refusals,
               "refused_rows": len({r["row"] for r in refusals}),
               "editable": sheet.status in EDITABLE,
               "preview": importing.preview(job, sheet) if job.status == ImportStatus.CHECKED
               else None}
    return _no_store(render(request, "payroll/import_job.html", context))


@kind_required(*KEEPERS)
def import_status(request: SignedInRequest, number: str, job_id: str) -> HttpResponse:
    sheet = selectors.access_sheet(request.user, number, owned=True)
    job = importing.access_sheet_import(request.user, sheet, job_id)
    return _no_store(JsonResponse({"status": job.status, "label": job.get_status_display(),
                                   "busy": job.busy, "percent": job.percent,
                                   "checked": job.checked_rows, "total": job.total_rows}))
