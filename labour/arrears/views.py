"""欠薪预警 pages (authority) and 工资发放情况 (enterprise and project accounts)."""

from __future__ import annotations

from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from labour.core.http import client_ip
from labour.core.roles import AccountKind, SignedInRequest, kind_required

from . import exports, selectors
from .forms import EnterpriseFilterForm, WarningFilterForm


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@kind_required(AccountKind.AUTHORITY)
def warnings(request: SignedInRequest) -> HttpResponse:
    """「欠薪预警」: the jurisdiction's project-months with a warning, and the chart."""
    form = WarningFilterForm(request.GET, user=request.user)
    values = form.values
    qs = selectors.warnings_for(request.user, **values)
    page = Paginator(qs, selectors.page_size()).get_page(request.GET.get("page"))
    chart = selectors.chart_data(request.user, district=values["district"])
    return _no_store(render(request, "arrears/warnings.html", {
        "form": form, "page": page, "rows": selectors.with_reasons(page.object_list),
        "chart": chart,
        "chart_rows": list(zip(chart["months"], chart["due"], chart["paid"], strict=True)),
        "sorts": form.sort_links(request.GET),
    }))


@require_POST
@kind_required(AccountKind.AUTHORITY)
def export(request: SignedInRequest) -> HttpResponse:
    """「导出」: the whole filtered list as .xlsx (at most ARREARS_EXPORT_MAX_ROWS rows,
    written row by row by openpyxl's write-only mode)."""
    form = WarningFilterForm(request.POST, user=request.user)
    data, name = exports.export_warnings(actor=request.user, values=form.values,
                                         ip=client_ip(request))
    response = HttpResponse(data, content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


@kind_required(AccountKind.AUTHORITY, AccountKind.ENTERPRISE, AccountKind.PROJECT)
def project(request: SignedInRequest, code: str) -> HttpResponse:
    """A project's months: facts, level and reasons, and the expected 工资性工程款."""
    months = selectors.project_months(request.user, code)
    return _no_store(render(request, "arrears/project.html", {"months": months}))


@kind_required(AccountKind.ENTERPRISE, AccountKind.PROJECT)
def enterprise(request: SignedInRequest) -> HttpResponse:
    """「工资发放情况」: per project and month, the sheets' status, workers 在场 and paid,
    amounts due and paid — the user's own participations (its whole project as GC)."""
    form = EnterpriseFilterForm(request.GET)
    values = form.values
    qs = selectors.unit_months(request.user, **values)
    page = Paginator(qs, selectors.page_size()).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    statuses = selectors.sheet_statuses(request.user, rows)
    return _no_store(render(request, "arrears/enterprise.html", {
        "form": form, "page": page,
        "rows": [(row, statuses.get((row.participant_id, row.month), "未制表")) for row in rows],
    }))
