"""Reads of 欠薪预警 and the enterprise view, through the visibility layer
(ProjectMonth / UnitMonth .visible_to). A warning is shown only once its pay
deadline has passed (pay_deadline < today)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from labour.core.errors import PermissionDenied404
from labour.core.visibility import in_jurisdiction
from labour.payroll.choices import SheetStatus
from labour.payroll.models import WageSheet
from labour.projects.models import Project
from labour.projects.permissions import is_general_contractor
from labour.projects.selectors import access_project, information_of

from .models import Level, ProjectMonth, UnitMonth
from .rules import assess, expected_monthly_wages, wage_ratio

if TYPE_CHECKING:
    from labour.core.visibility import Actor

SORTS = {
    "month": ("-month", "project__code"),
    "month_asc": ("month", "project__code"),
    "level": ("-level", "-month", "project__code"),  # 'red' > 'yellow'
    "unpaid": ("-unpaid_workers", "-month", "project__code"),
    "due": ("-due", "-month", "project__code"),
    "project": ("project__code", "-month"),
}
SORT_LABELS = {"month": "月份（新→旧）", "month_asc": "月份（旧→新）", "level": "等级",
               "unpaid": "未发人数", "due": "应发金额", "project": "项目编号"}


def today() -> dt.date:
    return timezone.localdate()


def warnings_for(user: Actor, *, district: str = "", level: str = "", month: dt.date | None = None,
                 sort: str = "level") -> QuerySet[ProjectMonth]:
    """「欠薪预警」: the jurisdiction's project-months with a warning whose pay deadline
    has passed, filtered by district, level and month, sorted."""
    qs = ProjectMonth.objects.visible_to(user).filter(
        jurisdiction_only(user), pay_deadline__lt=today()).exclude(level=Level.NONE)
    if district:
        qs = qs.filter(region_code=district)
    if level in (Level.RED, Level.YELLOW):
        qs = qs.filter(level=level)
    if month is not None:
        qs = qs.filter(month=month)
    return qs.select_related("project").order_by(*SORTS.get(sort, SORTS["level"]))


def jurisdiction_only(user: Actor) -> Q:
    """The authority's page only (a general contractor sees its projects elsewhere)."""
    return Q() if getattr(user, "is_authority", False) else Q(pk__in=[])


def warning_count(user: Actor) -> int:
    return warnings_for(user).count()


def home_panel(user: Actor) -> dict[str, Any]:
    counts = dict(warnings_for(user).order_by().values_list("level").annotate(n=Count("id")))
    return {"arrears_red": counts.get(Level.RED, 0), "arrears_yellow": counts.get(Level.YELLOW, 0)}


@dataclass
class WarningRow:
    fact: ProjectMonth
    level_label: str
    reasons: list[str]


def with_reasons(facts: Any) -> list[WarningRow]:
    rows = []
    for fact in facts:
        assessment = assess(fact, today=today())
        rows.append(WarningRow(fact, Level(fact.level).label, assessment.reasons))
    return rows


def chart_data(user: Actor, *, district: str = "") -> dict[str, Any]:
    """Paid vs due per month for the jurisdiction (the last ARREARS_CHART_MONTHS months
    up to this one), from the project-month facts."""
    qs = ProjectMonth.objects.visible_to(user).filter(jurisdiction_only(user))
    if district:
        qs = qs.filter(region_code=district)
    months = settings.ARREARS_CHART_MONTHS
    start = today().replace(day=1)
    for _ in range(months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    totals = qs.filter(month__gte=start).values("month").annotate(
        due_sum=Sum("due"), paid_sum=Sum("paid")).order_by("month")
    sums: dict[dt.date, dict[str, Any]] = {row["month"]: dict(row) for row in totals}
    labels, due, paid = [], [], []
    month = start
    while month <= today():
        row = sums.get(month, {})
        labels.append(f"{month:%Y-%m}")
        due.append(str((row.get("due_sum") or Decimal("0")).quantize(Decimal("0.01"))))
        paid.append(str((row.get("paid_sum") or Decimal("0")).quantize(Decimal("0.01"))))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return {"months": labels, "due": due, "paid": paid}


# ------------------------------------------------------------------ one project

@dataclass
class ProjectMonths:
    project: Project
    rows: list[dict[str, Any]]
    expected: Decimal | None
    ratio_note: str


def project_months(user: Actor, code: str) -> ProjectMonths:
    """A project's months with their facts, level (once the pay day passed) and reasons,
    beside the expected monthly 工资性工程款. The project must be the user's to see
    (authority of its region, or its general contractor) — else 404."""
    project = access_project(user, code)
    if not _may_see_project_months(user, project):
        raise PermissionDenied404
    facts = list(ProjectMonth.objects.visible_to(user).filter(project=project).order_by("-month"))
    info = information_of(project)
    expected = expected_monthly_wages(
        contract_amount_wan=info.contract_amount if info else None, category=project.category,
        start=info.actual_start if info and info.actual_start else project.planned_start,
        end=project.planned_end)
    rows = []
    for fact in facts:
        assessment = assess(fact, today=today())
        rows.append({"fact": fact, "assessment": assessment,
                     "level_label": assessment.label if assessment.level else "—"})
    ratio = wage_ratio(project.category) * 100
    note = f"{project.get_category_display()}：合同金额 × {format(ratio.normalize(), 'f')}% ÷ 合同月数"
    return ProjectMonths(project, rows, expected, note)


def _may_see_project_months(user: Actor, project: Project) -> bool:
    """Whether `user` would see this project's months (the rule of ProjectMonth)."""
    return in_jurisdiction(user, project.region_code) or is_general_contractor(user, project)


# ------------------------------------------------------------------ enterprise view

STATUS_ORDER = [SheetStatus.DRAFT, SheetStatus.RETURNED, SheetStatus.SUBMITTED,
                SheetStatus.CONFIRMED, SheetStatus.PAYING, SheetStatus.PAID]


def unit_months(user: Actor, *, project_code: str = "", month: dt.date | None = None
                ) -> QuerySet[UnitMonth]:
    """「工资发放情况」: per participation and month, the user's own (all the project's
    participants for its general contractor)."""
    qs = UnitMonth.objects.visible_to(user)
    if project_code:
        qs = qs.filter(project__code=project_code)
    if month is not None:
        qs = qs.filter(month=month)
    return qs.select_related("project", "participant").order_by("-month", "project__code",
                                                                  "participant_id")


def sheet_statuses(user: Actor, rows: list[UnitMonth]) -> dict[tuple[int, dt.date], str]:
    """The sheets' statuses of the rows shown (one query): 「已发放 2 · 待确认 1」."""
    if not rows:
        return {}
    participants = {row.participant_id for row in rows}
    months = {row.month for row in rows}
    counts: dict[tuple[int, dt.date], dict[str, int]] = {}
    for participant_id, month, status, n in (
            WageSheet.objects.visible_to(user).filter(participant_id__in=participants, month__in=months)
            .values_list("participant_id", "month", "status").annotate(n=Count("id"))
            .order_by()):
        counts.setdefault((participant_id, month), {})[status] = n
    labels = dict(SheetStatus.choices)
    shown = {}
    for key, by_status in counts.items():
        shown[key] = " · ".join(f"{labels[s]} {by_status[s]}" for s in STATUS_ORDER
                                if s in by_status)
    return shown


def page_size() -> int:
    return max(int(settings.ARREARS_PAGE_SIZE), 1)
