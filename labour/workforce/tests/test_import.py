"""批量导入 (issue 8, item 7 and Rules): the template, the preview listing every
refused row (row, column, Chinese reason) while importing nothing, 「确认导入」 in
one transaction, and the files refused whole."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from labour.audit.models import Action, AuditEvent
from labour.core.errors import ServiceError
from labour.factories import WageCardFactory
from labour.workforce import importing
from labour.workforce.choices import ImportStatus
from labour.workforce.importing import HEADERS
from labour.workforce.models import ImportJob, Person, ProjectWorker, Team, WageCard
from labour.workforce.rules import NUMERIC_ID_CELL

from .helpers import add, id_number
from .sheets import cn, good_row, workbook_bytes

pytestmark = pytest.mark.django_db


def _upload(world, data, name="人员名单.xlsx", actor="lab_project"):
    job = importing.start_import(actor=world["users"][actor], code=world["project"].code,
                                 upload=SimpleUploadedFile(name, data))
    importing.schedule(job, "check")
    job.refresh_from_db()
    return job


def _confirm(world, job, actor="lab_project"):
    job = importing.confirm_import(actor=world["users"][actor], code=world["project"].code, job_id=job.pk)
    importing.schedule(job, "import")
    job.refresh_from_db()
    return job


def test_the_template_has_drop_downs_and_text_number_columns(world):
    book = load_workbook(io.BytesIO(importing.template_workbook(["钢筋一班", "木工班"])))
    sheet = book["人员名单"]
    assert [c.value for c in sheet[1]] == HEADERS
    lists = {str(v.sqref).split(":")[0][:-1]: v.formula1 for v in sheet.data_validations.dataValidation}
    letters = {h: sheet.cell(row=1, column=i + 1).column_letter for i, h in enumerate(HEADERS)}
    for header in ("证件类型", "民族", "工种", "工人类型", "政治面貌", "文化程度", "开户银行",
                   "是否班组长", "班组"):
        assert letters[header] in lists, header
    codes = book["代码表"]
    assert codes.sheet_state == "hidden"
    values = {cell.value for row in codes.iter_rows() for cell in row if cell.value}
    assert {"010 砌筑工", "380 金属工", "900 管理人员", "汉族", "基诺族", "郑州银行", "木工班"} <= values
    for header in ("证件号码", "卡号", "手机号"):
        assert sheet[f"{letters[header]}2"].number_format == "@"


def test_preview_lists_every_refused_row_and_imports_nothing(world):
    add(world, seq=90, name="已在册")  # already on LAB's roster
    rows = [
        good_row(id_number(1), "甲一"),
        good_row(int(id_number(2)[:17] + "0") if id_number(2)[-1] == "X" else int(id_number(2)), "乙二"),
        good_row(id_number(3)[:-1] + ("1" if id_number(3)[-1] != "1" else "2"), "丙三"),
        good_row(id_number(1), "丁四"),                              # same as row 2
        good_row(id_number(90), "已在册"),                           # on the roster already
        good_row(id_number(4), "戊五", team="不存在的班组", phone="123"),
        good_row(id_number(5), "己六", bank="郑州银行", branch_name="郑州银行中原支行",
                 card_number=6228480012345678),                      # a card turned into a number
        good_row(id_number(6), "庚七", bank="郑州银行", branch_name="郑州银行中原支行",
                 card_number="6228480099998888", work_type="999 不存在"),
        good_row(id_number(7), "辛八", bank="中国银行", branch_name="中国银行郑州分行",
                 card_number="6216600000000007", is_team_leader="是"),
    ]
    job = _upload(world, workbook_bytes(rows))
    assert job.status == ImportStatus.CHECKED and job.total_rows == 9
    assert ProjectWorker.objects.count() == 1 and Person.objects.count() == 1  # nothing imported
    refused = {(r["row"], r["column"]): r["reason"] for r in job.refusals}
    assert refused[(3, "证件号码")] == NUMERIC_ID_CELL
    assert NUMERIC_ID_CELL == "身份证号被 Excel 转为数字，请将该列设为文本格式后重新填写"
    assert "校验位不正确" in refused[(4, "证件号码")]
    assert refused[(5, "证件号码")] == "与第2行的证件号码重复"
    assert refused[(6, "证件号码")] == "该人员已在本单位本项目的人员名单中"
    assert "不存在" in refused[(7, "班组")] and "手机号" in refused[(7, "手机号")]
    assert refused[(8, "卡号")] == "卡号被 Excel 转为数字，请将该列设为文本格式后重新填写"
    assert "工种" in refused[(9, "工种")]
    assert job.accepted_count == 2  # rows 2 and 10
    # the page lists them
    body = importing_page(world, job)
    assert "身份证号被 Excel 转为数字" in body and "可导入 <strong>2</strong> 行" in body
    # 确认导入: the accepted rows, in one go, and the team leader
    job = _confirm(world, job)
    assert job.status == ImportStatus.IMPORTED and job.imported_count == 2
    names = set(ProjectWorker.objects.values_list("person__name", flat=True))
    assert names == {"已在册", "甲一", "辛八"}
    assert Team.objects.get(name="钢筋一班").leader.person.name == "辛八"
    assert WageCard.objects.get().card_number == "6216600000000007"
    assert AuditEvent.objects.filter(action=Action.ROSTER_IMPORTED).get().detail["imported"] == 2
    with pytest.raises(ServiceError, match="已导入"):
        importing.confirm_import(actor=world["users"]["lab_project"], code=world["project"].code,
                                 job_id=job.pk)


def importing_page(world, job):
    from django.test import Client

    client = Client()
    client.force_login(world["users"]["lab_project"])
    return client.get(f"/workforce/roster/{world['project'].code}/import/{job.pk}/").content.decode()


def test_a_fixed_file_imports_every_row_and_reuses_known_persons(world):
    far_worker_person = add(world, seq=33, name="老熟人").person  # known on the platform
    ProjectWorker.objects.all().delete()
    rows = [good_row(id_number(i), f"工人{cn(i)}") for i in (11, 12)] + [good_row(id_number(33), "老熟人")]
    job = _confirm(world, _upload(world, workbook_bytes(rows)))
    assert job.refusals == [] and job.imported_count == 3
    assert Person.objects.filter(pk=far_worker_person.pk).exists() and Person.objects.count() == 3
    worker = ProjectWorker.objects.get(person__name="工人一一")
    assert worker.import_job_id == job.pk and worker.person.id_valid_until is None


def test_a_known_number_with_another_name_is_refused(world):
    add(world, seq=34, name="真名")
    ProjectWorker.objects.all().delete()
    job = _upload(world, workbook_bytes([good_row(id_number(34), "假名")]))
    assert job.refusals == [{"row": 2, "column": "姓名",
                             "reason": "姓名与证件号码不符（平台已有该证件号码的人员）"}]
    assert job.accepted_count == 0


def test_a_card_held_by_another_person_is_refused(world):
    other = add(world, seq=35)
    WageCardFactory(worker=other, card_number="6222000011112222")
    row = good_row(id_number(36), bank="中国工商银行", branch_name="工行某支行",
                   card_number="6222000011112222")
    job = _upload(world, workbook_bytes([row]))
    assert job.refusals[0]["reason"] == "该卡号已登记在其他人员名下"


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("人员名单.xls", b"\xd0\xcf\x11\xe0 old excel", "请上传 .xlsx 格式的文件"),
    ("人员名单.csv", "姓名,证件号码\n".encode(), "请上传 .xlsx 格式的文件"),
    ("人员名单.xlsx", b"PK\x03\x04 not really a zip", "不是有效的 .xlsx 工作簿"),
    ("人员名单.xlsx", b"", "文件是空的"),
])
def test_files_that_are_not_xlsx_are_refused(world, name, data, reason):
    with pytest.raises(ServiceError, match=reason):
        importing.start_import(actor=world["users"]["lab"], code=world["project"].code,
                               upload=SimpleUploadedFile(name, data))
    assert not ImportJob.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused_at_check(world):
    buffer = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    job = _upload(world, buffer.getvalue())
    assert job.status == ImportStatus.REFUSED and "不是有效的 .xlsx" in job.message
    assert job.stored_file == ""


def test_a_wrong_header_is_refused(world):
    header = list(HEADERS)
    header[2] = "身份证号"
    job = _upload(world, workbook_bytes([good_row(id_number(1))], header=header))
    assert job.status == ImportStatus.REFUSED
    assert job.message.startswith("表头与模板不一致：第3列应为“证件号码”，实际为“身份证号”")
    header[2] = "410102198506010011"  # a number typed over the header is not echoed
    job = _upload(world, workbook_bytes([good_row(id_number(1))], header=header))
    assert "410102198506010011" not in job.message and "所填内容" in job.message
    assert not ProjectWorker.objects.exists()


def test_too_big_and_too_many_rows_are_refused(world, settings):
    data = workbook_bytes([good_row(id_number(i)) for i in range(1, 6)])
    settings.WORKFORCE_IMPORT_MAX_BYTES = len(data) - 1
    with pytest.raises(ServiceError, match="文件超过"):
        importing.start_import(actor=world["users"]["lab"], code=world["project"].code,
                               upload=SimpleUploadedFile("a.xlsx", data))
    settings.WORKFORCE_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    settings.WORKFORCE_IMPORT_MAX_ROWS = 4
    job = _upload(world, data)
    assert job.status == ImportStatus.REFUSED and job.message == "数据超过4行，请分成多个文件导入"


def test_nothing_is_half_imported_when_the_roster_changed_since_the_check(world):
    rows = [good_row(id_number(i), f"工人{cn(i)}") for i in (41, 42, 43)]
    job = _upload(world, workbook_bytes(rows))
    assert job.accepted_count == 3
    add(world, seq=42, name="工人四二")  # added by hand meanwhile
    job = _confirm(world, job)
    assert job.status == ImportStatus.FAILED and "第3行" in job.message
    assert list(ProjectWorker.objects.values_list("person__name", flat=True)) == ["工人四二"]
    assert Person.objects.count() == 1


def test_a_large_file_is_a_background_job_with_progress(world, settings):
    settings.WORKFORCE_IMPORT_BACKGROUND_BYTES = 1  # every file counts as large
    rows = [good_row(id_number(i), f"工人{cn(i)}") for i in range(1, 301)]
    job = importing.start_import(actor=world["users"]["lab"], code=world["project"].code,
                                 upload=SimpleUploadedFile("大文件.xlsx", workbook_bytes(rows)))
    assert job.in_background and job.status == ImportStatus.QUEUED
    from django.test import Client

    client = Client()
    client.force_login(world["users"]["lab"])
    base = f"/workforce/roster/{world['project'].code}/import/{job.pk}"
    status = client.get(f"{base}/status/").json()
    assert status["busy"] is True and status["percent"] == 0
    assert "<progress" in client.get(f"{base}/").content.decode()
    importing.schedule(job, "check")  # no broker: the Celery task runs inline
    status = client.get(f"{base}/status/").json()
    assert status == {"status": "checked", "label": "待确认导入", "busy": False, "percent": 100,
                      "checked": 300, "total": 300}
    response = client.post(f"{base}/")
    assert response.status_code == 302 and ProjectWorker.objects.count() == 300


def test_the_uploaded_file_is_kept_encrypted_until_checked(world):
    from labour.attachments.storage import private_storage

    number = id_number(51)
    job = importing.start_import(actor=world["users"]["lab"], code=world["project"].code,
                                 upload=SimpleUploadedFile("a.xlsx", workbook_bytes([good_row(number)])))
    with private_storage.open(job.stored_file, "rb") as handle:
        stored = handle.read()
    assert stored[:2] != b"PK" and number.encode() not in stored
    importing.schedule(job, "check")
    job.refresh_from_db()
    assert job.stored_file == "" and number not in job.payload_token
