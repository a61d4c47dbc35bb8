"""批量导入: the template, the check (the preview) and 「确认导入」.

1. `template_workbook()` — the .xlsx users fill in: drop-down lists from the code
   tables, the number columns formatted as text.
2. `start_import()` keeps the uploaded file (encrypted, in private storage) after the
   cheap checks (.xlsx, size); `check_import()` reads it: every row passes the
   rules of the form (labour.workforce.rules); duplicates inside the file and
   against the roster are reported; each refused row is listed with its row
   number, column and a Chinese reason. Nothing is imported.
3. `confirm_import()` then `run_import()` import the accepted rows in one
   transaction, after checking again what may have changed since; nothing is ever
   half-imported.
Large files run as Celery jobs (inline when no broker), with progress on the page.

The same machinery serves other imports (工资明细 of a wage sheet): an `Importer`
registered by `kind` says how a kept file is checked and what 「确认导入」 does;
`keep_upload`, `read_rows`, `check_import`, `confirm_job` and `run_import` are shared.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from labour.attachments.storage import private_storage
from labour.audit.models import Action
from labour.audit.services import record
from labour.core.errors import ServiceError
from labour.core.transitions import advance

from . import crypto
from .choices import IMPORT_FLOW, Gender, ImportStatus, WorkerRole
from .codes import CULTURE_LEVELS, ID_TYPES, NATIONS, POLITICS_TYPES, WORK_TYPES, banks
from .models import ImportJob, Person, ProjectWorker, Team, WageCard
from .rules import (
    LONG_TERM,
    NUMERIC_CARD_CELL,
    NUMERIC_ID_CELL,
    check_card,
    check_person,
    check_project_part,
    echo,
    text,
)
from .selectors import CARD_PURPOSE, PHONE_PURPOSE, access_import, access_roster_project, id_number_hash
from .services import _own_unit, roster_changed

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from labour.accounts.models import User
    from labour.projects.models import Participant, Project

log = logging.getLogger(__name__)

SHEET = "人员名单"
CODES_SHEET = "代码表"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNZIPPED_LIMIT = 200 * 1024 * 1024  # a 10 MB .xlsx that unzips past this is refused
PROGRESS_EVERY = 250


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14
    as_text: bool = False  # numbers typed here must stay text (IDs, cards, phones)
    note: str = ""


COLUMNS = [
    Column("name", "姓名", 10, note="必填"),
    Column("id_type", "证件类型", 16, note="必填，下拉选择"),
    Column("id_number", "证件号码", 22, True, "必填，文本格式"),
    Column("gender", "性别", 6, note="证件类型不是居民身份证时必填"),
    Column("birth_date", "出生日期", 12, note="证件类型不是居民身份证时必填，如 1990-05-01"),
    Column("nation", "民族", 10, note="必填，下拉选择"),
    Column("grant_org", "发证机关", 20, note="必填"),
    Column("id_valid_from", "证件有效期开始", 14, note="必填，如 2020-01-01"),
    Column("id_valid_until", "证件有效期结束", 14, note="必填，如 2040-01-01，或填“长期”"),
    Column("address", "住址", 30, note="必填"),
    Column("phone", "手机号", 14, True, "必填，文本格式"),
    Column("politics_type", "政治面貌", 12, note="必填，下拉选择"),
    Column("culture_level", "文化程度", 10, note="必填，下拉选择"),
    Column("urgent_contact_name", "紧急联系人", 10, note="选填"),
    Column("urgent_contact_phone", "紧急联系人电话", 14, True, "选填，文本格式"),
    Column("team", "班组", 14, note="必填，须为本单位已建的班组"),
    Column("work_role", "工人类型", 10, note="必填，下拉选择"),
    Column("work_type", "工种", 16, note="必填，下拉选择"),
    Column("is_team_leader", "是否班组长", 10, note="必填，是/否"),
    Column("safety_training_date", "基本安全培训日期", 14, note="选填，进场前须填写"),
    Column("has_insurance", "是否购买工伤或意外伤害保险", 12, note="选填，是/否"),
    Column("bank", "开户银行", 18, note="工资卡选填；填写时开户银行、开户支行名称、卡号都要填"),
    Column("branch_name", "开户支行名称", 22),
    Column("link_number", "联行号", 14, True, "选填，12位，文本格式"),
    Column("card_number", "卡号", 22, True, "文本格式，12至19位数字"),
]
HEADERS = [c.header for c in COLUMNS]
CARD_KEYS = ("bank", "branch_name", "link_number", "card_number")


def _lists(team_names: list[str]) -> dict[str, list[str]]:
    """The drop-down lists of the template, by column key."""
    return {
        "id_type": ID_TYPES.labels(),
        "gender": [g.label for g in Gender],
        "nation": NATIONS.labels(),
        "politics_type": POLITICS_TYPES.labels(),
        "culture_level": CULTURE_LEVELS.labels(),
        "work_role": [r.label for r in WorkerRole],
        "work_type": WORK_TYPES.labels(),
        "is_team_leader": ["是", "否"],
        "has_insurance": ["是", "否"],
        "bank": [b.name for b in banks()],
        "team": team_names,
    }


def template_workbook(team_names: Iterable[str], *, rows: int = 2000) -> bytes:
    """「下载模板」: header, a note row-free sheet of drop-downs (lists live on a hidden
    sheet), number columns formatted as text so that Excel keeps every digit."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    codes = workbook.create_sheet(CODES_SHEET)
    codes.sheet_state = "hidden"
    guide = workbook.create_sheet("填写说明")
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    last = rows + 1
    lists = _lists([name for name in team_names if name])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = head_font, head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[letter].width = column.width
        if column.as_text:
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).number_format = "@"
        values = lists.get(column.key)
        if values:
            position = list(lists).index(column.key) + 1
            code_col = get_column_letter(position)
            codes.cell(row=1, column=position, value=column.header)
            for i, value in enumerate(values, start=2):
                codes.cell(row=i, column=position, value=value)
            source = f"'{CODES_SHEET}'!${code_col}$2:${code_col}${len(values) + 1}"
            validation = DataValidation(type="list", formula1=source, allow_blank=True,
                                        showErrorMessage=True, errorTitle="请从列表中选择",
                                        error=f"请从下拉列表中选择{column.header}")
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 70
    guide.append(["列", "填写要求"])
    for column in COLUMNS:
        guide.append([column.header, column.note])
    guide.append([])
    guide.append(["说明", "证件号码、卡号、手机号等列已设为文本格式，请勿改为数字格式，"
                          "否则 Excel 会改变长数字（平台将拒绝这样的行）。"])
    guide.append(["说明", "每个文件不超过20000行、10 MB；上传后先检查并列出不能导入的行，"
                          "确认后才导入。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ upload

def _refuse_file(message: str) -> ServiceError:
    return ServiceError(message, field="file")


def start_import(*, actor: User, code: str, upload: UploadedFile, ip: str | None = None) -> ImportJob:
    """Keep an uploaded roster file for checking: only a .xlsx of at most the limit;
    stored encrypted (it holds ID and card numbers) until it has been checked."""
    project = access_roster_project(actor, code)
    participant = _own_unit(actor, project)
    return keep_upload(actor=actor, project=project, participant=participant, upload=upload,
                       kind=ROSTER, max_bytes=settings.WORKFORCE_IMPORT_MAX_BYTES,
                       background_bytes=settings.WORKFORCE_IMPORT_BACKGROUND_BYTES)


def keep_upload(*, actor: User, project: Project, participant: Participant, upload: UploadedFile,
                kind: str, target: str = "", max_bytes: int, background_bytes: int,
                background: bool = False) -> ImportJob:
    """The cheap checks of an upload (.xlsx by name and by content, size), then the file
    kept encrypted in private storage for `check_import`. The caller has authorised
    `actor` for `participant`'s part of `project`. A file over `background_bytes` (or
    any file with `background`) is checked and imported by a Celery job."""
    name = "".join(c for c in (upload.name or "") if c.isprintable()).rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(".xlsx"):
        raise _refuse_file("请上传 .xlsx 格式的文件（可先「下载模板」，不支持 .xls、.csv 等格式）")
    limit = max_bytes
    if (upload.size or 0) > limit:
        raise _refuse_file(f"文件超过{limit // 1024 // 1024} MB，请分成多个文件导入")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse_file(f"文件超过{limit // 1024 // 1024} MB，请分成多个文件导入")
    if not data:
        raise _refuse_file("文件是空的")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse_file("文件不是有效的 .xlsx 工作簿（请用 Excel 或 WPS 另存为 .xlsx）")
    with transaction.atomic():
        job = ImportJob.objects.create(project=project, participant=participant, created_by=actor,
                                       file_name=name, kind=kind, target=target,
                                       in_background=background or len(data) > background_bytes)
        job.stored_file = private_storage.save(f"imports/{job.pk}.bin", ContentFile(
            crypto.encrypt_bytes(data)))
        job.save(update_fields=["stored_file"])
    return job


def schedule(job: ImportJob, step: str) -> None:
    """Run a step now, or as a Celery job when the file is large (a job runs inline
    too when no broker is configured)."""
    from . import tasks

    task = {"check": tasks.check_import_task, "import": tasks.run_import_task}[step]
    if job.in_background and not settings.CELERY_TASK_ALWAYS_EAGER:
        task.delay(str(job.pk))
    else:
        {"check": check_import, "import": run_import}[step](job.pk)


# ------------------------------------------------------------------ check

@dataclass
class Refusal:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


class FileRefused(Exception):
    pass


def _read_rows(data: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    return read_rows(data, sheet_name=SHEET, headers=HEADERS)


def _cells_or_refuse(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The rows of a sheet; XML that cannot be read (a NUL byte, a damaged part) is a
    refused file, not a failed job."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception:  # the XML parser's and openpyxl's many kinds
            raise FileRefused("文件内容已损坏或含有非法字符（如空字符），不是有效的 .xlsx 工作簿"
                              "（请用 Excel 或 WPS 另存为 .xlsx）") from None
        yield row


def read_rows(data: bytes, *, sheet_name: str, headers: list[str]
              ) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) of the data rows under `headers` on `sheet_name` (else the
    first sheet); raises FileRefused for a file that is not a workbook of the template."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > UNZIPPED_LIMIT:
            raise FileRefused("文件解压后过大，不是平台模板生成的工作簿")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        raise FileRefused("文件不是有效的 .xlsx 工作簿（请用 Excel 或 WPS 另存为 .xlsx）") from None
    try:
        sheet = workbook[sheet_name] if sheet_name in workbook.sheetnames else workbook.worksheets[0]
        rows = _cells_or_refuse(sheet.iter_rows(values_only=True))
        header = next(rows, None)
        found = [text(v) for v in (header or ())]
        while found and not found[-1]:
            found.pop()
        if found != headers:
            for index, expected in enumerate(headers):
                got = found[index] if index < len(found) else ""
                if got != expected:
                    raise FileRefused(f"表头与模板不一致：第{index + 1}列应为“{expected}”，"
                                      f"实际为{echo(got) if got else '空'}。请使用「下载模板」得到的文件填写")
            raise FileRefused(f"表头与模板不一致：多出了第{len(headers) + 1}列起的内容。"
                              "请使用「下载模板」得到的文件填写")
        for number, cells in enumerate(rows, start=2):
            values = tuple(cells[: len(headers)]) + (None,) * (len(headers) - len(cells))
            if all(v is None or text(v) == "" for v in values):
                continue
            yield number, values
    finally:
        workbook.close()


def _numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    cleaned = text(value).upper()
    return "E+" in cleaned and cleaned.replace("E+", "").replace(".", "").isdigit()


def _row_values(cells: tuple[Any, ...]) -> dict[str, Any]:
    values = dict(zip((c.key for c in COLUMNS), cells, strict=True))
    for key in ("phone", "urgent_contact_phone", "link_number"):
        value = values.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            values[key] = str(value)  # an 11-digit phone survives as a number
        elif isinstance(value, float) and value.is_integer():
            values[key] = str(int(value))
    if text(values.get("id_valid_until")) == LONG_TERM:
        values["id_long_term"] = True
    return values


@dataclass
class Checked:
    row: int
    person: dict[str, Any]
    part: dict[str, Any]
    card: dict[str, Any] | None


def _check_row(number: int, cells: tuple[Any, ...], teams: dict[str, Team],
               refusals: list[Refusal]) -> Checked | None:
    header = dict(zip((c.key for c in COLUMNS), HEADERS, strict=True))
    values = _row_values(cells)
    errors: dict[str, str] = {}
    numeric_id = _numeric(values["id_number"])
    numeric_card = _numeric(values["card_number"])
    if numeric_id:
        errors["id_number"] = NUMERIC_ID_CELL
    person, person_errors = check_person(values)
    for key, message in person_errors.items():
        errors.setdefault(key if key in header else "id_number", message)
    part, part_errors = check_project_part(values)
    errors.update(part_errors)
    team_name = text(values.get("team"))
    if not team_name:
        errors["team"] = "请填写班组"
    elif team_name not in teams:
        errors["team"] = f"班组{echo(team_name)}不存在，请先在班组管理中创建"
    else:
        part["team_id"] = teams[team_name].pk
    card = None
    if any(text(values.get(k)) for k in CARD_KEYS):
        card, card_errors = check_card(values)
        if numeric_card:
            card_errors["card_number"] = NUMERIC_CARD_CELL
        errors.update(card_errors)
    for key, message in errors.items():
        refusals.append(Refusal(number, header.get(key, key), message))
    if errors:
        return None
    return Checked(number, person, part, card)


def _persons_by_hash(hashes: list[tuple[str, str]]) -> dict[tuple[str, str], Person]:
    found: dict[tuple[str, str], Person] = {}
    by_type: dict[str, list[str]] = {}
    for id_type, digest in hashes:
        by_type.setdefault(id_type, []).append(digest)
    for id_type, digests in by_type.items():
        for start in range(0, len(digests), 500):
            for person in Person.objects.filter(id_type=id_type,
                                                id_number_hmac__in=digests[start:start + 500]):
                found[(id_type, person.id_number_hmac)] = person
    return found


def _cards_held(digests: list[str]) -> dict[str, set[int]]:
    """card hash → the persons holding it."""
    held: dict[str, set[int]] = {}
    for start in range(0, len(digests), 500):
        for digest, person_id in WageCard.objects.filter(
                card_number_hmac__in=digests[start:start + 500]).values_list(
                "card_number_hmac", "worker__person_id"):
            held.setdefault(digest, set()).add(person_id)
    return held


def _cross_check(rows: list[Checked], participant: Participant, teams: dict[str, Team],
                 refusals: list[Refusal]) -> list[Checked]:
    """Duplicates inside the file and against the platform; returns the rows that pass."""
    refused: set[int] = set()

    def refuse(row: Checked, column: str, reason: str) -> None:
        refusals.append(Refusal(row.row, column, reason))
        refused.add(row.row)

    seen_ids: dict[tuple[str, str], int] = {}
    seen_cards: dict[str, int] = {}
    leaders: dict[int, int] = {}
    for row in rows:
        key = (row.person["id_type"], row.person["id_number"])
        if key in seen_ids:
            refuse(row, "证件号码", f"与第{seen_ids[key]}行的证件号码重复")
        else:
            seen_ids[key] = row.row
        if row.card:
            number = row.card["card_number"]
            if number in seen_cards:
                refuse(row, "卡号", f"与第{seen_cards[number]}行的卡号重复")
            else:
                seen_cards[number] = row.row
        if row.part["is_team_leader"]:
            team_id = row.part["team_id"]
            if team_id in leaders:
                refuse(row, "是否班组长",
                       f"同一班组只能有一名班组长（第{leaders[team_id]}行已是该班组的班组长）")
            else:
                leaders[team_id] = row.row
    for row in rows:
        row.person["id_hash"] = id_number_hash(row.person["id_number"])
        if row.card:
            row.card["card_hash"] = crypto.lookup_hash(row.card["card_number"], purpose=CARD_PURPOSE)
    persons = _persons_by_hash([(r.person["id_type"], r.person["id_hash"]) for r in rows])
    on_roster = set(ProjectWorker.objects.filter(
        participant=participant, person_id__in=[p.pk for p in persons.values()]).values_list(
        "person_id", flat=True))
    held = _cards_held([r.card["card_hash"] for r in rows if r.card])
    led = {t.pk for t in teams.values() if t.leader_id}
    for row in rows:
        existing = persons.get((row.person["id_type"], row.person["id_hash"]))
        row.person["existing_id"] = existing.pk if existing else None
        if existing is not None and existing.name != row.person["name"]:
            refuse(row, "姓名", "姓名与证件号码不符（平台已有该证件号码的人员）")
        elif existing is not None and existing.pk in on_roster:
            refuse(row, "证件号码", "该人员已在本单位本项目的人员名单中")
        if row.card:
            holders = held.get(row.card["card_hash"], set()) - {existing.pk if existing else -1}
            if holders:
                refuse(row, "卡号", "该卡号已登记在其他人员名下")
        if row.part["is_team_leader"] and row.part["team_id"] in led:
            refuse(row, "是否班组长", "该班组已有班组长，请先在班组管理中更换班组长")
    return [row for row in rows if row.row not in refused]


def _load(job: ImportJob) -> bytes:
    with private_storage.open(job.stored_file, "rb") as handle:
        return crypto.decrypt_bytes(handle.read())


def _discard_file(job: ImportJob) -> None:
    if job.stored_file:
        private_storage.delete(job.stored_file)
        job.stored_file = ""


def _encode(rows: list[Checked]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value) if not isinstance(value, bool | int | str | type(None)) else value

    payload = [{"row": r.row, "person": {k: plain(v) for k, v in r.person.items()},
                "part": {k: plain(v) for k, v in r.part.items()},
                "card": {k: plain(v) for k, v in r.card.items()} if r.card else None}
               for r in rows]
    return crypto.encrypt(json.dumps(payload, ensure_ascii=False))


def check_import(job_id: UUID | str) -> ImportJob:
    """Check every row of the kept file and keep the preview (refused rows; accepted
    rows encrypted). Imports nothing."""
    job = ImportJob.objects.select_related("participant", "project", "created_by").get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return job
    advance(job, ImportStatus.CHECKING, flow=IMPORT_FLOW)
    try:
        importer_of(job).check(job)
    except FileRefused as exc:
        _discard_file(job)
        advance(job, ImportStatus.REFUSED, flow=IMPORT_FLOW, message=str(exc)[:300],
                stored_file=job.stored_file, finished_at=timezone.now())
    except Exception:
        log.exception("import check failed", extra={"job": str(job.pk), "kind": job.kind})
        job.refresh_from_db()
        _discard_file(job)
        advance(job, ImportStatus.FAILED, flow=IMPORT_FLOW, message="检查文件时出错，请稍后重新上传",
                stored_file=job.stored_file, finished_at=timezone.now())
    return job


def _check(job: ImportJob) -> None:
    data = _load(job)
    teams = {t.name: t for t in Team.objects.filter(participant=job.participant)}
    limit = settings.WORKFORCE_IMPORT_MAX_ROWS
    raw = []
    for number, cells in _read_rows(data):
        raw.append((number, cells))
        if len(raw) > limit:
            raise FileRefused(f"数据超过{limit}行，请分成多个文件导入")
    if not raw:
        raise FileRefused("文件中没有人员数据（从第2行起填写）")
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(raw))
    job.total_rows = len(raw)
    refusals: list[Refusal] = []
    rows: list[Checked] = []
    for index, (number, cells) in enumerate(raw, start=1):
        row = _check_row(number, cells, teams, refusals)
        if row is not None:
            rows.append(row)
        if index % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(checked_rows=index)
    del raw
    accepted = _cross_check(rows, job.participant, teams, refusals)
    refusals.sort(key=lambda r: (r.row, HEADERS.index(r.column) if r.column in HEADERS else 99))
    _discard_file(job)
    with transaction.atomic():
        advance(job, ImportStatus.CHECKED, flow=IMPORT_FLOW, checked_rows=job.total_rows,
                accepted_count=len(accepted), refusals=[r.as_dict() for r in refusals],
                payload_token=_encode(accepted) if accepted else "", stored_file="",
                finished_at=timezone.now())
        record(action=Action.ROSTER_IMPORT_CHECKED, actor=job.created_by, obj=job,
               project_code=job.project.code, file_name=job.file_name, rows=job.total_rows,
               accepted=len(accepted), refused_rows=len({r.row for r in refusals}))


# ------------------------------------------------------------------ 确认导入

@transaction.atomic
def confirm_import(*, actor: User, code: str, job_id: UUID | str, ip: str | None = None) -> ImportJob:
    """「确认导入」: the accepted rows of a checked file (run_import does the work)."""
    project = access_roster_project(actor, code)
    return confirm_job(access_import(actor, project, job_id, for_update=True))


def confirm_job(job: ImportJob) -> ImportJob:
    """「确认导入」 of a job the caller found and locked (`for_update`): checked →
    importing, once; `run_import` (now, or as a Celery job) does the work."""
    if job.status == ImportStatus.IMPORTED:
        raise ServiceError("该文件已导入，不能重复导入")
    if job.status != ImportStatus.CHECKED:
        raise ServiceError(f"该文件{job.get_status_display()}，不能导入")
    if not job.accepted_count:
        raise ServiceError("没有可导入的行：请改正文件后重新上传")
    advance(job, ImportStatus.IMPORTING, flow=IMPORT_FLOW)
    return job


class Changed(Exception):
    pass


def run_import(job_id: UUID | str) -> ImportJob:
    """The work of 「确认导入」, in one transaction with the job locked: the importer
    checks again what may have changed since the preview, then writes; on any refusal
    nothing is written and the job is 导入失败 with the reason."""
    importer = None
    try:
        with transaction.atomic():
            job = (ImportJob.objects.select_for_update().get(pk=job_id))
            if job.status != ImportStatus.IMPORTING:
                return job
            importer = importer_of(job)
            importer.apply(job)
    except Changed as exc:
        assert importer is not None
        return _fail(job_id, f"自检查以来{importer.changes}已有变化（{exc}），"
                             f"未导入任何{importer.noun}，请重新上传文件")
    except ServiceError as exc:
        noun = importer.noun if importer else ""
        return _fail(job_id, f"{exc.message}。未导入任何{noun}")
    except Exception:
        log.exception("import failed", extra={"job": str(job_id)})
        noun = importer.noun if importer else ""
        return _fail(job_id, f"导入时出错，未导入任何{noun}，请稍后重新上传")
    return job


def _fail(job_id: UUID | str, message: str) -> ImportJob:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ImportStatus.IMPORTING:
            advance(job, ImportStatus.FAILED, flow=IMPORT_FLOW, message=message[:300],
                    payload_token="", finished_at=timezone.now())
    return job


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _import(job: ImportJob) -> None:
    """Inside one transaction: check again, then insert in bulk."""
    job = ImportJob.objects.select_related("participant", "project", "created_by").get(pk=job.pk)
    payload = json.loads(crypto.decrypt(job.payload_token))
    participant, actor = job.participant, job.created_by
    teams = {t.pk: t for t in Team.objects.select_for_update().filter(participant=participant)}
    persons = _persons_by_hash([(r["person"]["id_type"], r["person"]["id_hash"]) for r in payload])
    on_roster = set(ProjectWorker.objects.filter(
        participant=participant, person_id__in=[p.pk for p in persons.values()]).values_list(
        "person_id", flat=True))
    held = _cards_held([r["card"]["card_hash"] for r in payload if r["card"]])
    new_persons: list[Person] = []
    for row in payload:
        p = row["person"]
        existing = persons.get((p["id_type"], p["id_hash"]))
        if (existing is None) != (p["existing_id"] is None) or (
                existing is not None and (existing.pk in on_roster or existing.name != p["name"])):
            raise Changed(f"第{row['row']}行的人员")
        team = teams.get(row["part"]["team_id"])
        if team is None or (row["part"]["is_team_leader"] and team.leader_id):
            raise Changed(f"第{row['row']}行的班组")
        if row["card"] and held.get(row["card"]["card_hash"], set()) - {p["existing_id"] or -1}:
            raise Changed(f"第{row['row']}行的卡号")
        if existing is None:
            new_persons.append(Person(
                name=p["name"], id_type=p["id_type"], id_number_token=crypto.encrypt(p["id_number"]),
                id_number_hmac=p["id_hash"], gender=p["gender"],
                birth_date=dt.date.fromisoformat(p["birth_date"]),
                nation=p["nation"], grant_org=p["grant_org"], id_valid_from=_date(p["id_valid_from"]),
                id_valid_until=_date(p.get("id_valid_until")), address=p["address"],
                phone_token=crypto.encrypt(p["phone"]),
                phone_hmac=crypto.lookup_hash(p["phone"], purpose=PHONE_PURPOSE),
                politics_type=p["politics_type"], culture_level=p["culture_level"],
                urgent_contact_name=p.get("urgent_contact_name", ""),
                urgent_contact_phone_token=crypto.encrypt(p.get("urgent_contact_phone") or ""),
                created_by=actor))
    created = Person.objects.bulk_create(new_persons, batch_size=500)
    by_hash = {(p.id_type, p.id_number_hmac): p for p in [*persons.values(), *created]}
    workers = []
    for row in payload:
        p, part = row["person"], row["part"]
        workers.append(ProjectWorker(
            project_id=job.project_id, participant=participant,
            person=by_hash[(p["id_type"], p["id_hash"])], team_id=part["team_id"],
            work_role=part["work_role"], work_type=part["work_type"],
            is_team_leader=part["is_team_leader"],
            safety_training_date=_date(part.get("safety_training_date")),
            has_insurance=part["has_insurance"], import_job=job, created_by=actor))
    workers = ProjectWorker.objects.bulk_create(workers, batch_size=500)
    cards = []
    for row, worker in zip(payload, workers, strict=True):
        if row["card"]:
            c = row["card"]
            cards.append(WageCard(worker=worker, bank_code=c["bank_code"], bank_name=c["bank_name"],
                                  branch_name=c["branch_name"], link_number=c.get("link_number", ""),
                                  card_number_token=crypto.encrypt(c["card_number"]),
                                  card_number_hmac=c["card_hash"], updated_by=actor))
        if row["part"]["is_team_leader"]:
            Team.objects.filter(pk=row["part"]["team_id"]).update(leader=worker)
    WageCard.objects.bulk_create(cards, batch_size=500)
    advance(job, ImportStatus.IMPORTED, flow=IMPORT_FLOW, imported_count=len(workers),
            payload_token="", finished_at=timezone.now())
    record(action=Action.ROSTER_IMPORTED, actor=actor, obj=job, project_code=job.project.code,
           file_name=job.file_name, imported=len(workers), new_persons=len(created),
           wage_cards=len(cards))
    roster_changed(job.project_id, timezone.localdate())



# ------------------------------------------------------------------ kinds of import

@dataclass(frozen=True)
class Importer:
    """One kind of 批量导入. `check(job)` reads the kept file (`load_kept_file`) and
    ends the job 待确认导入 (or raises FileRefused for the whole file); `apply(job)` runs
    inside run_import's transaction with the job locked, writes through the services
    and ends the job 已导入, or raises Changed / ServiceError to write nothing."""

    kind: str
    noun: str  # what is imported, in messages: 人员, 工资明细
    changes: str  # what may change between the preview and 「确认导入」: 人员名单, 工资表
    check: Callable[[ImportJob], None]
    apply: Callable[[ImportJob], None]


_IMPORTERS: dict[str, Importer] = {}
ROSTER = "roster"


def register_importer(importer: Importer) -> Importer:
    """Called from the importing app's `ready()` (the roster registers itself below)."""
    _IMPORTERS[importer.kind] = importer
    return importer


def importer_of(job: ImportJob) -> Importer:
    return _IMPORTERS[job.kind]


def load_kept_file(job: ImportJob) -> bytes:
    """The uploaded file, decrypted, for `Importer.check`."""
    return _load(job)


def discard_kept_file(job: ImportJob) -> None:
    """Forget the uploaded file once checked (the job is saved by the caller)."""
    _discard_file(job)


register_importer(Importer(ROSTER, "人员", "人员名单", check=_check, apply=_import))
