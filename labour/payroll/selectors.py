"""Reads of the wage sheets, through the visibility layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from labour.accounts.models import User
from labour.core.roles import AccountKind
from labour.projects.choices import ParticipantRole
from labour.projects.models import Participant, Project
from labour.projects.selectors import access_project, information_of
from labour.workforce.models import ProjectWorker, Team
from labour.workforce.selectors import on_site_during

from .models import Payment, SheetSubmission, WageItem, WageLine, WageSheet
from .rules import days_in, minimum_monthly_wage, pay_day_of

if TYPE_CHECKING:
    from labour.core.visibility import Actor


def access_payroll_project(user: Actor, code: str) -> Project:
    """The project if the user may read some of its sheets (authority, participants)."""
    return access_project(user, code)


def sheets_of(user: Actor, project: Project) -> QuerySet[WageSheet]:
    """「工资核算」 of a project: the user's own sheets; every sheet for the general
    contractor and the authority."""
    return (WageSheet.objects.visible_to(user).filter(project=project)
            .select_related("team", "participant").order_by("-month", "team__name"))


def access_sheet(user: Actor, number: str, *, owned: bool = False,
                 for_update: bool = False) -> WageSheet:
    """One sheet the user may read (with `owned`: prepare), else 404."""
    qs = WageSheet.objects.owned_by(user) if owned else WageSheet.objects.all()
    if not for_update:
        qs = qs.select_related("project", "participant", "team", "signed_scan")
    return qs.access(user, number=number, for_update=for_update)


def lines_of(sheet: WageSheet) -> QuerySet[WageLine]:
    """The lines of a sheet the caller holds, with their worker, person, card and
    items (a constant number of queries however long the sheet)."""
    return (WageLine.objects.filter(sheet=sheet)
            .select_related("worker__person", "worker__wage_card")
            .prefetch_related(Prefetch("items", queryset=WageItem.objects.order_by("kind", "id")))
            .order_by("is_back_pay", "worker__person__name", "id"))


def submissions_of(sheet: WageSheet) -> QuerySet[SheetSubmission]:
    return sheet.submissions.select_related("submitted_by", "reviewer").order_by("-submitted_at",
                                                                                 "-id")


def payments_of(sheet: WageSheet) -> QuerySet[Payment]:
    return sheet.payments.select_related("receipt", "recorded_by").order_by("-recorded_at", "-id")


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    return month, month.replace(day=days_in(month))


def workers_on_site(team: Team, month: dt.date) -> QuerySet[ProjectWorker]:
    """The team's workers who were 在场 at any time in `month` (from their events)."""
    first, last = month_bounds(month)
    return on_site_during(ProjectWorker.objects.filter(team=team), first, last)


def team_workers(sheet: WageSheet) -> QuerySet[ProjectWorker]:
    """The workers of the sheet's team (a line or a 补发 line may be added for one who
    was 在场 in the month concerned: the service checks it)."""
    return ProjectWorker.objects.filter(team=sheet.team).select_related("person").order_by(
        "person__name", "id")


def own_teams_for_payroll(user: Actor, project: Project) -> QuerySet[Team]:
    """The teams whose sheets the user prepares on `project`."""
    return Team.objects.owned_by(user).filter(project=project).order_by("name")


def units_of(user: Actor, project: Project) -> QuerySet[Participant]:
    return project.participants.order_by("id")


# ------------------------------------------------------------------ documents (PDF)

def for_documents(lines: QuerySet[WageLine]) -> QuerySet[WageLine]:
    """What a printed line shows (its sheet's project, unit and team, the person, the
    card, the payment, the items), loaded in a constant number of queries."""
    return (lines.select_related("sheet__project", "sheet__participant", "sheet__team",
                                 "worker__person", "worker__wage_card", "payment")
            .prefetch_related(Prefetch("items", queryset=WageItem.objects.order_by("kind", "id"))))


def document_lines(sheet: WageSheet) -> QuerySet[WageLine]:
    """The lines of a sheet the caller holds, as they are printed (sheet order)."""
    return for_documents(WageLine.objects.filter(sheet=sheet)).order_by(
        "is_back_pay", "worker__person__name", "id")


@dataclass(frozen=True)
class NoticeBoard:
    """What the project's 维权信息告示牌 says (条例 第三十四条): the units, the
    劳资专管员, the authority, the pay day, the minimum wage, the hotlines."""

    project_name: str
    address: str
    owners: list[str]
    general_contractors: list[str]
    project_manager: str
    labour_manager: str
    subcontractors: list[str]
    supervisors: list[str]
    authority: str
    pay_day: int
    minimum_wage: Decimal
    hotlines: list[str]

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("项目名称", self.project_name),
            ("项目地址", self.address),
            ("建设单位", "\n".join(self.owners)),
            ("施工总承包单位", "\n".join(self.general_contractors)),
            ("项目经理", self.project_manager),
            ("劳资专管员", self.labour_manager),
            ("分包单位", "\n".join(self.subcontractors)),
            ("监理单位", "\n".join(self.supervisors)),
            ("行业主管部门", self.authority),
            ("工资支付日期", f"每月{self.pay_day}日前支付上月工资（遇法定节假日或休息日提前）"),
            ("当地最低工资标准", f"{self.minimum_wage} 元/月"),
            ("投诉举报电话", "\n".join(self.hotlines)),
            ("调解仲裁与法律援助", "发生工资争议，可向项目所在地劳动人事争议仲裁委员会申请调解、仲裁；"
                           "经济困难的，可向当地法律援助机构申请法律援助。"),
        ]


def authority_of(region_code: str) -> str:
    """The 主管部门 of a region: the authority account of the district, else of the
    city, else of the province (its name is public)."""
    if not region_code:
        return ""
    codes = [region_code, f"{region_code[:4]}00", f"{region_code[:2]}0000"]
    found = {user.region_code: user.display_name for user in User.objects.filter(
        kind=AccountKind.AUTHORITY, is_active=True, region_code__in=codes).exclude(display_name="")
        .order_by("id")}
    return next((found[code] for code in codes if code in found), "")


def notice_board(project: Project) -> NoticeBoard:
    """The 维权信息告示牌 of a project the caller holds. The 劳资专管员's phone is the
    one given for that office in the project information (a work contact meant to be
    posted), shown in full; the project manager's phone is not printed."""
    info = information_of(project)
    by_role: dict[str, list[str]] = {}
    for unit in project.participants.order_by("id"):
        text = unit.unit_name
        if unit.role in (ParticipantRole.SPECIALTY_CONTRACTOR, ParticipantRole.LABOUR_SUBCONTRACTOR):
            content = f"，{unit.subcontract_content}" if unit.subcontract_content else ""
            text = f"{unit.unit_name}（{unit.get_role_display()}{content}）"
        by_role.setdefault(unit.role, []).append(text)
    labour_manager = ""
    if info is not None and info.labour_manager_name:
        labour_manager = " ".join(filter(None, [info.labour_manager_name,
                                                info.labour_manager_phone]))
    authority = authority_of(project.region_code) or f"{project.region_name}建设主管部门".strip()
    return NoticeBoard(
        project_name=project.name, address=project.address,
        owners=by_role.get(ParticipantRole.OWNER, []),
        general_contractors=by_role.get(ParticipantRole.GENERAL_CONTRACTOR, []),
        project_manager=info.manager_name if info is not None else "",
        labour_manager=labour_manager or "未填写（请施工总承包单位在项目信息中填写）",
        subcontractors=by_role.get(ParticipantRole.SPECIALTY_CONTRACTOR, [])
        + by_role.get(ParticipantRole.LABOUR_SUBCONTRACTOR, []),
        supervisors=by_role.get(ParticipantRole.SUPERVISOR, []),
        authority=authority, pay_day=pay_day_of(info), minimum_wage=minimum_monthly_wage(),
        hotlines=list(settings.COMPLAINT_HOTLINES))
