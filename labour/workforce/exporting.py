"""「导出」: the roster as .xlsx. Every number is written as text (Excel keeps every
digit); ID, card and phone numbers are masked unless the row is the user's own
(the owning participant); the export is written in the audit log."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from labour.audit.models import Action
from labour.audit.services import record
from labour.core.masking import mask_card_number, mask_id_number, mask_phone

from .models import ProjectWorker, own_participations
from .selectors import RosterFilter, access_roster_project, overview, roster

if TYPE_CHECKING:
    from labour.accounts.models import User
    from labour.projects.models import Project

HEADERS = ["项目编号", "项目名称", "参建单位", "姓名", "证件类型", "证件号码", "性别", "出生日期", "民族",
           "手机号", "班组", "工人类型", "工种", "是否班组长", "基本安全培训日期", "状态",
           "最近进退场日期", "合同", "合同期限", "开户银行", "开户支行名称", "卡号"]
TEXT_COLUMNS = {"项目编号", "证件号码", "手机号", "卡号", "出生日期", "基本安全培训日期", "最近进退场日期"}


def _row(worker: ProjectWorker, full: bool) -> list[Any]:
    person = worker.person
    id_number, phone = person.id_number, person.phone
    card = getattr(worker, "wage_card", None)
    contract = getattr(worker, "contract", None)
    card_number = card.card_number if card else ""
    if not full:
        id_number, phone = mask_id_number(id_number), mask_phone(phone)
        card_number = mask_card_number(card_number) if card_number else ""
    return [
        worker.project.code, worker.project.name, worker.participant.unit_name, person.name,
        person.id_type_label, id_number, person.get_gender_display(), f"{person.birth_date:%Y-%m-%d}",
        person.nation_label, phone, worker.team.name, worker.get_work_role_display(),
        worker.work_type_label, "是" if worker.is_team_leader else "否",
        f"{worker.safety_training_date:%Y-%m-%d}" if worker.safety_training_date else "",
        worker.get_status_display(),
        f"{worker.last_event_date:%Y-%m-%d}" if worker.last_event_date else "",
        contract.get_agreement_kind_display() if contract else "无",
        f"{contract.start_date:%Y-%m-%d} 至 {contract.end_date:%Y-%m-%d}" if contract else "",
        card.bank_name if card else "", card.branch_name if card else "", card_number,
    ]


def _workbook(rows: Any, own: set[int]) -> tuple[bytes, int, int]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员名单")
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = full_count = 0
    for worker in rows:
        full = worker.participant_id in own
        cells = []
        for title, value in zip(HEADERS, _row(worker, full), strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            if title in TEXT_COLUMNS:
                cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
        count += 1
        full_count += full
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count, full_count


@transaction.atomic
def export_roster(*, actor: User, code: str, filters: RosterFilter,
                  ip: str | None = None) -> tuple[bytes, str]:
    """The project's roster the actor reads (with its filters). Returns (xlsx, name)."""
    project: Project = access_roster_project(actor, code)
    own = set(own_participations(actor).filter(project=project).values_list("pk", flat=True))
    data, count, full = _workbook(roster(actor, project, filters).iterator(chunk_size=500), own)
    record(action=Action.ROSTER_EXPORTED, actor=actor, ip=ip, obj=project, project_code=project.code,
           rows=count, full_numbers=full)
    return data, f"人员名单_{project.code}_{timezone.localdate():%Y%m%d}.xlsx"


@transaction.atomic
def export_overview(*, actor: User, filters: RosterFilter, ip: str | None = None) -> tuple[bytes, str]:
    """人员总览 as .xlsx: the enterprise's own workers (full numbers: its own rows)."""
    own = set(own_participations(actor).values_list("pk", flat=True))
    data, count, full = _workbook(overview(actor, filters).iterator(chunk_size=500), own)
    record(action=Action.ROSTER_EXPORTED, actor=actor, ip=ip, rows=count, full_numbers=full,
           overview=True)
    return data, f"人员总览_{timezone.localdate():%Y%m%d}.xlsx"
