"""导入工资明细 (issue 9, item 1): 「下载模板」 pre-filled with the sheet's lines (ID numbers
only by their last 4), the upload, the preview (each refused cell with its row, column
and Chinese reason; the totals computed on the server) and 「确认导入」 through
save_lines; every bad row or file refused with nothing else changed; only the sheet's
own participant, only while the sheet is 草稿 or 已退回; applied once."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from labour.audit.models import Action, AuditEvent
from labour.core.errors import PermissionDenied404, ServiceError
from labour.factories import AttachmentFactory, AuthorityFactory, EnterpriseAccountFactory
from labour.payroll import importing, services
from labour.payroll.models import WageItem, WageLine
from labour.workforce import importing as roster_importing
from labour.workforce.choices import ImportStatus
from labour.workforce.models import ImportJob

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_20th")]
OCT = dt.date(2026, 10, 1)


def _sheet(world, month=OCT):
    return services.create_sheet(actor=world["labour"], code=world["project"].code,
                                 team_id=world["team"].pk, month=month)


def _line(sheet, worker, back_pay=False):
    return WageLine.objects.get(sheet=sheet, worker=worker, is_back_pay=back_pay)


def _fill(data, values=None, extra=(), header=None):
    """The downloaded template with {name: {column: value}} typed into each person's
    row, `extra` rows ({column: value}) appended, and optionally another header."""
    book = load_workbook(io.BytesIO(data))
    ws = book["工资明细"]
    titles = [c.value for c in ws[1]]
    col = {title: i + 1 for i, title in enumerate(titles)}
    for r in range(2, ws.max_row + 1):
        for column, value in (values or {}).get(ws.cell(row=r, column=col["姓名"]).value, {}).items():
            ws.cell(row=r, column=col[column], value=value)
    for row in extra:
        r = ws.max_row + 1
        for column, value in row.items():
            ws.cell(row=r, column=col[column], value=value)
    if header is not None:
        for index, title in enumerate(header, start=1):
            ws.cell(row=1, column=index, value=title)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(world, sheet, data, name="工资明细.xlsx", actor="labour"):
    job = importing.start_import(actor=world[actor], number=sheet.number,
                                 upload=SimpleUploadedFile(name, data))
    roster_importing.schedule(job, "check")
    job.refresh_from_db()
    return job


def _confirm(world, sheet, job, actor="labour"):
    job = importing.confirm_import(actor=world[actor], number=sheet.number, job_id=job.pk)
    roster_importing.schedule(job, "import")
    job.refresh_from_db()
    return job


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _snapshot(sheet):
    sheet.refresh_from_db()
    return (sheet.gross_total, sheet.net_total,
            sorted(WageLine.objects.filter(sheet=sheet).values_list("days", "net_amount")),
            WageItem.objects.filter(line__sheet=sheet).count())


# ------------------------------------------------------------------ round trip

def test_template_round_trip_download_fill_upload_preview_confirm(world):
    sheet = _sheet(world)
    whole, part = world["people"]["whole"], world["people"]["part"]
    client = _client(world["labour"])
    page = client.get(f"/payroll/sheet/{sheet.number}/").content.decode()
    assert f'href="/payroll/sheet/{sheet.number}/import/"' in page and "导入工资明细" in page
    response = client.get(f"/payroll/sheet/{sheet.number}/import/template/")
    assert response.status_code == 200 and response["Content-Type"] == importing.XLSX_TYPE
    data = response.content
    # the file never carries a full ID number: only its last 4, and the line key hidden
    raw = b"".join(zipfile.ZipFile(io.BytesIO(data)).read(n)
                   for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
    for worker in (whole, part):
        number = worker.person.id_number
        assert number.encode() not in raw and number[:-4].encode() not in raw
    ws = load_workbook(io.BytesIO(data))["工资明细"]
    assert [c.value for c in ws[1]] == importing.headers(back_pay=False)
    assert ws.column_dimensions["A"].hidden
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {whole.person.name, part.person.name}
    assert rows[whole.person.name][2] == "*" * 14 + whole.person.id_number[-4:]
    assert rows[whole.person.name][0] == f"{sheet.number}/{_line(sheet, whole).pk}"

    filled = _fill(data, {
        whole.person.name: {"出勤天数": 21.5, "工时": 172, "计时工资": 5000, "加班工资": 300.5,
                            "个人所得税": "12.34"},
        part.person.name: {"出勤天数": "10", "计件工资": "2,000", "借支": 500},
    })
    response = client.post(f"/payroll/sheet/{sheet.number}/import/",
                           {"file": SimpleUploadedFile("十月.xlsx", filled)})
    job = ImportJob.objects.get(kind="wage_lines")
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    assert job.status == ImportStatus.CHECKED and job.accepted_count == 2 and job.refusals == []
    assert job.target == sheet.number and job.stored_file == ""
    assert WageItem.objects.count() == 0  # the preview changes nothing
    body = client.get(response["Location"]).content.decode()
    assert "可导入 <strong>2</strong> 行" in body and "确认导入" in body
    assert "5288.16" in body and "1500.00" in body  # each row's 实发, computed on the server
    assert "6788.16 元" in body  # the sheet's 实发合计 after the import

    response = client.post(response["Location"])
    assert response.status_code == 302 and response["Location"] == f"/payroll/sheet/{sheet.number}/"
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and job.imported_count == 2 and job.payload_token == ""
    line = _line(sheet, whole)
    assert (line.days, line.work_hours) == (Decimal("21.5"), Decimal("172.00"))
    assert (line.gross_total, line.deduction_total, line.net_amount) == (
        Decimal("5300.50"), Decimal("12.34"), Decimal("5288.16"))
    assert {(i.name, i.amount) for i in line.items.all()} == {
        ("计时工资", Decimal("5000.00")), ("加班工资", Decimal("300.50")),
        ("个人所得税", Decimal("12.34"))}
    assert _line(sheet, part).net_amount == Decimal("1500.00")
    sheet.refresh_from_db()
    assert (sheet.gross_total, sheet.deduction_total, sheet.net_total) == (
        Decimal("7300.50"), Decimal("512.34"), Decimal("6788.16"))
    saved = AuditEvent.objects.get(action=Action.WAGE_LINE_SAVED)
    assert saved.detail["lines"] == 2 and saved.actor_id == world["labour"].pk
    checked = AuditEvent.objects.get(action=Action.ROSTER_IMPORT_CHECKED)
    assert checked.detail["number"] == sheet.number and checked.detail["accepted"] == 2
    # once: a second 「确认导入」 is refused and changes nothing
    with pytest.raises(ServiceError, match="已导入"):
        importing.confirm_import(actor=world["labour"], number=sheet.number, job_id=job.pk)
    assert AuditEvent.objects.filter(action=Action.WAGE_LINE_SAVED).count() == 1


def test_back_pay_lines_carry_their_columns_and_their_own_month(world):
    sheet = _sheet(world, month=dt.date(2026, 11, 1))
    whole = world["people"]["whole"]
    services.add_line(actor=world["labour"], number=sheet.number, worker_id=whole.pk,
                      back_pay_month=OCT)
    data = importing.template_workbook(sheet)
    ws = load_workbook(io.BytesIO(data))["工资明细"]
    assert [c.value for c in ws[1]] == importing.headers(back_pay=True)
    kinds = sorted((r[3], r[4] or "") for r in ws.iter_rows(min_row=2, values_only=True)
                   if r[1] == whole.person.name)
    assert kinds == [("否", ""), ("是", "2026-10")]
    back = _line(sheet, whole, back_pay=True)
    book = load_workbook(io.BytesIO(data))
    ws = book["工资明细"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=4).value == "是":
            ws.cell(row=r, column=6, value=31)  # October has 31 days
            ws.cell(row=r, column=8, value=800)
        elif ws.cell(row=r, column=2).value == whole.person.name:
            ws.cell(row=r, column=4, value="是")  # 是否补发 cannot be changed here
            current_row = r
    buffer = io.BytesIO()
    book.save(buffer)
    job = _upload(world, sheet, buffer.getvalue())
    assert [(r["row"], r["column"]) for r in job.refusals] == [(current_row, "是否补发")]
    _confirm(world, sheet, job)
    back.refresh_from_db()
    assert back.days == Decimal("31.0") and back.net_amount == Decimal("800.00")


# ------------------------------------------------------------------ bad rows

def test_each_bad_row_is_named_with_its_row_and_column_and_nothing_else_changes(world):
    sheet = _sheet(world)
    whole, part = world["people"]["whole"], world["people"]["part"]
    services.save_lines(actor=world["labour"], number=sheet.number, lines={
        _line(sheet, part).pk: services.LineInput(days="5", items={("gross", "计时工资"): "900"})})
    before = _snapshot(sheet)
    other = _sheet(world, month=dt.date(2026, 11, 1))
    other_key = importing.line_key(other, WageLine.objects.filter(sheet=other).first())
    data = importing.template_workbook(sheet)
    cases = [  # (typed into whole's row or an extra row, the column, a word of the reason)
        ({"出勤天数": 31.5}, "出勤天数", "不能超过2026-10的31天"),
        ({"出勤天数": dt.datetime(2026, 10, 5)}, "出勤天数", "日期格式"),
        ({"计时工资": -100}, "计时工资", "不能为负数"),
        ({"加班工资": "12.345"}, "加班工资", "最多保留两位小数"),
        ({"计时工资": 100, "借支": 200}, "代扣合计", "代扣合计不能大于应发合计"),
        ({"姓名": 12345}, "姓名", "应为文字，该单元格是数字格式"),
        ({"证件号码": "410102198506010011"}, "证件号码", "不符"),
        ({"工时": "很多"}, "工时", "工时应为数字"),
    ]
    for typed, column, reason in cases:
        job = _upload(world, sheet, _fill(data, {whole.person.name: {"出勤天数": 20, **typed}}))
        refused = {r["column"]: r["reason"] for r in job.refusals}
        assert column in refused and reason in refused[column], (typed, job.refusals)
        assert all(r["row"] in (2, 3) for r in job.refusals)
        assert job.accepted_count == 1  # part's row stays good
        assert "410102198506010011" not in str(job.refusals)
    # rows for workers not on the sheet: a row added by hand, a row of another sheet, a
    # line listed twice
    extra = [{"姓名": "张三", "证件号码": "****1234", "出勤天数": 3},
             {"明细编号": other_key, "姓名": whole.person.name, "出勤天数": 3},
             {"明细编号": importing.line_key(sheet, _line(sheet, part)), "姓名": part.person.name,
              "证件号码": importing.masked_id(_line(sheet, part)), "出勤天数": 3}]
    job = _upload(world, sheet, _fill(data, extra=extra))
    reasons = {r["row"]: r["reason"] for r in job.refusals}
    assert "不是本工资表的人员" in reasons[4] and "另一张工资表" in reasons[5]
    assert "与第3行是同一条工资明细" in reasons[6] or "与第2行是同一条工资明细" in reasons[6]
    assert all(r["column"] == "姓名" for r in job.refusals)
    assert _snapshot(sheet) == before  # checking changes nothing
    # 确认导入 applies the good rows only; a refused row's line keeps its values
    job = _upload(world, sheet, _fill(data, {whole.person.name: {"出勤天数": 40},
                                             part.person.name: {"出勤天数": 7, "计时工资": 1000}}))
    assert job.accepted_count == 1
    shown = importing.preview(job, sheet)  # whole keeps 0.00, part 900.00 → 1000.00
    assert [r.net for r in shown.rows] == [Decimal("1000.00")] and shown.net_total == Decimal("1000.00")
    assert _snapshot(sheet) == before
    _confirm(world, sheet, job)
    assert _line(sheet, whole).days == Decimal("0.0")
    assert _line(sheet, part).days == Decimal("7.0")
    assert _line(sheet, part).net_amount == Decimal("1000.00")


def _with_nul(data):
    """The workbook with a NUL byte written into its sheet XML (Excel never writes one;
    a crafted file can)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"NULHERE", b"\x00")
            dst.writestr(info, content)
    return out.getvalue()


@pytest.mark.parametrize(("name", "make", "reason"), [
    ("工资.xls", lambda d: b"\xd0\xcf\x11\xe0 old excel", "请上传 .xlsx 格式的文件"),
    ("工资.xlsx", lambda d: b"%PDF-1.4 a pdf named .xlsx", "不是有效的 .xlsx 工作簿"),
    ("工资.xlsx", lambda d: b"\xff\xd8\xff\xe0 a jpeg named .xlsx", "不是有效的 .xlsx 工作簿"),
    ("工资.xlsx", lambda d: b"", "文件是空的"),
])
def test_files_lying_about_their_type_are_refused_at_upload(world, name, make, reason):
    sheet = _sheet(world)
    before = _snapshot(sheet)
    with pytest.raises(ServiceError, match=reason):
        importing.start_import(actor=world["labour"], number=sheet.number,
                               upload=SimpleUploadedFile(name, make(importing.template_workbook(sheet))))
    assert not ImportJob.objects.exists() and _snapshot(sheet) == before


def test_files_refused_whole_at_check(world, settings):
    sheet = _sheet(world)
    whole = world["people"]["whole"]
    before = _snapshot(sheet)
    data = importing.template_workbook(sheet)
    headers = importing.headers(back_pay=False)
    wrong = list(headers)
    wrong[3] = "天数"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "a zip, not a workbook")
    cases = [
        (_with_nul(_fill(data, {whole.person.name: {"工时": "NULHERE"}})), "非法字符（如空字符）"),
        (buffer.getvalue(), "不是有效的 .xlsx 工作簿"),
        (_fill(data, header=wrong), "表头与模板不一致：第4列应为“出勤天数”，实际为“天数”"),
        (_fill(data, header=[*headers, "备注"]), "表头与模板不一致：多出了第17列起的内容"),
    ]
    for content, reason in cases:
        job = _upload(world, sheet, content)
        assert job.status == ImportStatus.REFUSED and reason in job.message, job.message
        assert job.stored_file == "" and "\x00" not in job.message
    settings.PAYROLL_IMPORT_MAX_BYTES = len(data) - 1
    with pytest.raises(ServiceError, match="文件超过"):
        importing.start_import(actor=world["labour"], number=sheet.number,
                               upload=SimpleUploadedFile("大.xlsx", data))
    settings.PAYROLL_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    settings.PAYROLL_IMPORT_MAX_ROWS = 1
    job = _upload(world, sheet, data)
    assert job.status == ImportStatus.REFUSED and job.message == "数据超过1行，请分成多个文件导入"
    assert _snapshot(sheet) == before


def test_a_nul_byte_in_the_upload_name_is_dropped(world):
    sheet = _sheet(world)
    job = _upload(world, sheet, importing.template_workbook(sheet), name="工资\x00明细.xlsx")
    assert job.file_name == "工资明细.xlsx"


def test_a_long_sheet_is_checked_and_imported_in_the_background(world, settings):
    settings.PAYROLL_IMPORT_BACKGROUND_LINES = 1  # the sheet has 2 lines
    sheet = _sheet(world)
    whole = world["people"]["whole"]
    job = importing.start_import(
        actor=world["labour"], number=sheet.number,
        upload=SimpleUploadedFile("a.xlsx", _fill(importing.template_workbook(sheet),
                                                  {whole.person.name: {"计时工资": 4000}})))
    assert job.in_background and job.status == ImportStatus.QUEUED
    client = _client(world["labour"])
    base = f"/payroll/sheet/{sheet.number}/import/{job.pk}"
    assert client.get(f"{base}/status/").json()["busy"] is True
    assert "<progress" in client.get(f"{base}/").content.decode()
    roster_importing.schedule(job, "check")  # no broker: the Celery task runs inline
    assert client.get(f"{base}/status/").json() == {
        "status": "checked", "label": "待确认导入", "busy": False, "percent": 100,
        "checked": 2, "total": 2}
    assert client.post(f"{base}/").status_code == 302
    assert _line(sheet, whole).net_amount == Decimal("4000.00")


# ------------------------------------------------------------------ what changed since

def test_nothing_is_imported_when_the_sheet_changed_since_the_check(world):
    sheet = _sheet(world)
    whole, part = world["people"]["whole"], world["people"]["part"]
    data = _fill(importing.template_workbook(sheet), {whole.person.name: {"计时工资": 3000},
                                                     part.person.name: {"计时工资": 1000}})
    job = _upload(world, sheet, data)
    services.remove_line(actor=world["labour"], number=sheet.number,
                         line_id=_line(sheet, part).pk)
    job = _confirm(world, sheet, job)
    assert job.status == ImportStatus.FAILED and "未导入任何工资明细" in job.message
    assert _line(sheet, whole).net_amount == Decimal("0.00")
    # and a sheet submitted since the check cannot be imported into
    job = _upload(world, sheet, data)
    services.attach_signed_scan(actor=world["labour"], number=sheet.number, scan=AttachmentFactory())
    services.submit_sheet(actor=world["labour"], number=sheet.number)
    with pytest.raises(ServiceError, match="工资表待确认，不能导入工资明细"):
        importing.confirm_import(actor=world["labour"], number=sheet.number, job_id=job.pk)
    assert _line(sheet, whole).net_amount == Decimal("0.00")


# ------------------------------------------------------------------ who may

def test_only_the_sheets_own_participant_while_draft_or_returned(world):
    sheet = _sheet(world)
    data = _fill(importing.template_workbook(sheet),
                 {world["people"]["whole"].person.name: {"计时工资": 3000}})
    job = _upload(world, sheet, data, actor="labour_project")  # its project account too
    assert job.accepted_count == 2 and job.refusals == []
    base = f"/payroll/sheet/{sheet.number}/import"
    urls = [f"{base}/", f"{base}/template/", f"{base}/{job.pk}/", f"{base}/{job.pk}/status/"]
    outsiders = [world["gc"], world["gc_project"], EnterpriseAccountFactory(),
                 AuthorityFactory(region_code=world["project"].region_code[:4] + "00")]
    for user in outsiders:
        client = _client(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"{base}/{job.pk}/").status_code == 404
        assert client.post(f"{base}/", {"file": SimpleUploadedFile("a.xlsx", data)}).status_code == 404
    for user in outsiders[:3]:
        with pytest.raises(PermissionDenied404):
            importing.start_import(actor=user, number=sheet.number,
                                   upload=SimpleUploadedFile("a.xlsx", data))
        with pytest.raises(PermissionDenied404):
            importing.confirm_import(actor=user, number=sheet.number, job_id=job.pk)
    assert ImportJob.objects.count() == 1 and _line(sheet, world["people"]["whole"]).net_amount == 0
    # a wage import is not a roster import, and the other way round
    roster = f"/workforce/roster/{world['project'].code}/import/{job.pk}/"
    assert _client(world["labour"]).get(roster).status_code == 404
    assert _client(world["labour"]).get(f"{base}/{job.pk}/").status_code == 200
    # the sheet's own participant, once it is submitted: no more import
    services.attach_signed_scan(actor=world["labour"], number=sheet.number, scan=AttachmentFactory())
    services.submit_sheet(actor=world["labour"], number=sheet.number)
    client = _client(world["labour"])
    response = client.get(f"{base}/")
    assert response.status_code == 302 and response["Location"] == f"/payroll/sheet/{sheet.number}/"
    assert client.get(f"{base}/template/").status_code == 302
    page = client.get(f"{base}/{job.pk}/").content.decode()
    assert ">确认导入</button>" not in page
    assert 'id="not-editable">工资表<span class="status status-submitted">待确认</span>，不能导入' in page
    assert client.post(f"{base}/{job.pk}/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert f'href="{base}/"' not in client.get(f"/payroll/sheet/{sheet.number}/").content.decode()
    with pytest.raises(ServiceError, match="不能导入工资明细"):
        importing.start_import(actor=world["labour"], number=sheet.number,
                               upload=SimpleUploadedFile("a.xlsx", data))
    # returned by the general contractor: the participant may import again
    services.return_sheet(actor=world["gc"], number=sheet.number, reason="出勤天数有误")
    assert client.get(f"{base}/").status_code == 200
    assert _confirm(world, sheet, job).status == ImportStatus.IMPORTED
    assert _line(sheet, world["people"]["whole"]).net_amount == Decimal("3000.00")


# ------------------------------------------------------------------ race (PostgreSQL)

@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_confirms_of_one_file_apply_it_once(world):
    from django.db import connection

    from labour.testing import race

    if connection.vendor != "postgresql":
        pytest.skip("row-lock race needs PostgreSQL: set DATABASE_URL=postgres://…")
    sheet = _sheet(world)
    whole = world["people"]["whole"]
    job = _upload(world, sheet, _fill(importing.template_workbook(sheet),
                                      {whole.person.name: {"出勤天数": 20, "计时工资": 4200}}))
    assert job.accepted_count == 2

    def confirm():
        confirmed = importing.confirm_import(actor=world["labour"], number=sheet.number,
                                             job_id=job.pk)
        return roster_importing.run_import(confirmed.pk)

    outcomes = race(confirm, confirm)
    errors = [exc for _result, exc in outcomes if exc is not None]
    assert len(errors) == 1 and isinstance(errors[0], ServiceError)
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and job.imported_count == 2
    assert AuditEvent.objects.filter(action=Action.WAGE_LINE_SAVED).count() == 1
    assert _line(sheet, whole).net_amount == Decimal("4200.00")
    assert WageItem.objects.filter(line__sheet=sheet).count() == 1
