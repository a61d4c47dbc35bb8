"""工资核算 and 工资发放 services: who is on a sheet, the money rules, the review chain,
payment line by line, and the ledger that is never deleted."""

from datetime import date
from decimal import Decimal

import pytest

from labour.audit.models import Action, AuditEvent
from labour.core.errors import PermissionDenied404, ServiceError
from labour.factories import (
    AttachmentFactory,
    EnterpriseAccountFactory,
    ProjectWorkerFactory,
    TeamFactory,
    WageCardFactory,
    WorkerEventFactory,
)
from labour.payroll import services
from labour.payroll.choices import LineStatus, SheetStatus
from labour.payroll.models import RetentionError, WageItem, WageLine, WageSheet
from labour.projects.choices import ParticipantRole

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_20th")]
OCT = date(2026, 10, 1)
GROSS, DEDUCTION = "gross", "deduction"


def _sheet(world, month=OCT, actor="labour"):
    return services.create_sheet(actor=world[actor], code=world["project"].code,
                                 team_id=world["team"].pk, month=month)


def _line(sheet, worker):
    return WageLine.objects.get(sheet=sheet, worker=worker, is_back_pay=False)


def _items(**amounts):
    names = {"wage": (GROSS, "计时工资"), "overtime": (GROSS, "加班工资"),
             "tax": (DEDUCTION, "个人所得税"), "loan": (DEDUCTION, "借支")}
    return {names[k]: v for k, v in amounts.items()}


def _ready(world, sheet, **amounts):
    """Every line of the sheet given its days and items, the signed scan uploaded."""
    lines = {line.pk: services.LineInput(days="20", items=_items(**(amounts or {"wage": "5000"})))
             for line in WageLine.objects.filter(sheet=sheet)}
    services.save_lines(actor=world["labour"], number=sheet.number, lines=lines)
    services.attach_signed_scan(actor=world["labour"], number=sheet.number,
                                scan=AttachmentFactory())


def test_a_new_sheet_lists_every_worker_of_the_team_on_site_that_month(world):
    sheet = _sheet(world)
    on = set(WageLine.objects.filter(sheet=sheet).values_list("worker_id", flat=True))
    people = world["people"]
    assert on == {people["whole"].pk, people["part"].pk}
    assert sheet.status == SheetStatus.DRAFT and sheet.line_count == 2
    assert sheet.number.startswith("GZ202610")
    assert AuditEvent.objects.filter(action=Action.WAGE_SHEET_CREATED, object_id=str(sheet.pk)).exists()


def test_one_sheet_per_team_and_month_and_never_ahead(world):
    _sheet(world)
    with pytest.raises(ServiceError, match="已存在"):
        _sheet(world, actor="labour_project")  # its project account: the same team
    with pytest.raises(ServiceError, match="不能晚于本月"):
        _sheet(world, month=date(2026, 12, 1))
    assert _sheet(world, month=date(2026, 11, 1)).line_count == 2  # whole + later


def test_only_the_teams_participant_prepares_its_sheets(world):
    with pytest.raises(ServiceError, match="请选择本单位的班组"):  # the GC reads, not prepares
        services.create_sheet(actor=world["gc"], code=world["project"].code,
                              team_id=world["team"].pk, month=OCT)
    outsider = EnterpriseAccountFactory()
    with pytest.raises(PermissionDenied404):
        services.create_sheet(actor=outsider, code=world["project"].code,
                              team_id=world["team"].pk, month=OCT)
    assert not WageSheet.objects.exists()


def test_totals_are_computed_from_the_items_on_the_server(world):
    sheet = _sheet(world)
    line = _line(sheet, world["people"]["whole"])
    services.save_lines(actor=world["labour"], number=sheet.number, lines={line.pk: services.LineInput(
        days="21.5", work_hours="172", items=_items(wage="5200.00", overtime="300.5", tax="45.25",
                                                    loan="500"))})
    line.refresh_from_db()
    sheet.refresh_from_db()
    assert (line.days, line.work_hours) == (Decimal("21.5"), Decimal("172.00"))
    assert (line.gross_total, line.deduction_total, line.net_amount) == (
        Decimal("5500.50"), Decimal("545.25"), Decimal("4955.25"))
    assert set(WageItem.objects.filter(line=line).values_list("name", "amount")) == {
        ("计时工资", Decimal("5200.00")), ("加班工资", Decimal("300.50")),
        ("个人所得税", Decimal("45.25")), ("借支", Decimal("500.00"))}
    assert (sheet.gross_total, sheet.deduction_total, sheet.net_total) == (
        Decimal("5500.50"), Decimal("545.25"), Decimal("4955.25"))
    # typed again without the loan: the item goes
    services.save_lines(actor=world["labour"], number=sheet.number, lines={line.pk: services.LineInput(
        days="21.5", items=_items(wage="5200", overtime="300.50", tax="45.25"))})
    line.refresh_from_db()
    assert line.net_amount == Decimal("5455.25")
    assert not WageItem.objects.filter(line=line, name="借支").exists()


@pytest.mark.parametrize(("days", "items", "message"), [
    ("32", {}, "不能超过2026-10的31天"),
    ("20.3", {}, "以半天为单位"),
    ("-1", {}, "不能为负数"),
    ("abc", {}, "应为数字"),
    ("20", {"wage": "-5"}, "计时工资不能为负数"),
    ("20", {"wage": "100.123"}, "最多保留两位小数"),
    ("20", {"wage": "1e3"}, "应为金额"),
    ("20", {"wage": "NaN"}, "应为金额"),
    ("20", {"wage": "三千"}, "应为金额"),
    ("20", {"wage": "1000", "loan": "1000.01"}, "代扣合计不能大于应发合计"),
])
def test_a_refused_line_names_the_worker_and_the_field_and_changes_nothing(world, days, items,
                                                                           message):
    sheet = _sheet(world)
    whole, part = _line(sheet, world["people"]["whole"]), _line(sheet, world["people"]["part"])
    with pytest.raises(ServiceError, match=message) as refused:
        services.save_lines(actor=world["labour"], number=sheet.number, lines={
            part.pk: services.LineInput(days="5", items=_items(wage="1000")),
            whole.pk: services.LineInput(days=days, items=_items(**items))})
    assert world["people"]["whole"].person.name in refused.value.message
    part.refresh_from_db()
    assert part.net_amount == 0 and not WageItem.objects.exists()  # all or nothing


def test_february_and_full_width_digits(world):
    sheet = _sheet(world, month=date(2026, 2, 1))  # nobody of the team was there yet
    assert sheet.line_count == 0
    sheet = _sheet(world)
    line = _line(sheet, world["people"]["whole"])
    services.save_lines(actor=world["labour"], number=sheet.number, lines={
        line.pk: services.LineInput(days="２１．５", items=_items(wage="５０００"))})
    line.refresh_from_db()
    assert (line.days, line.net_amount) == (Decimal("21.5"), Decimal("5000.00"))


def test_back_pay_lines_for_an_earlier_month_on_site_then(world):
    november = _sheet(world, month=date(2026, 11, 1))
    part = world["people"]["part"]  # 在场 in October only
    line = services.add_line(actor=world["labour"], number=november.number, worker_id=part.pk,
                             back_pay_month=OCT)
    assert line.is_back_pay and line.back_pay_month == OCT
    with pytest.raises(ServiceError, match="已在本工资表中"):
        services.add_line(actor=world["labour"], number=november.number, worker_id=part.pk,
                          back_pay_month=OCT)
    with pytest.raises(ServiceError, match="不是本班组在2026-11在场的人员"):
        services.add_line(actor=world["labour"], number=november.number, worker_id=part.pk)
    with pytest.raises(ServiceError, match="补发月份应早于"):
        services.add_line(actor=world["labour"], number=november.number, worker_id=part.pk,
                          back_pay_month=date(2026, 11, 1))
    gone = world["people"]["gone"]
    with pytest.raises(ServiceError, match="不是本班组在2026-10在场的人员"):
        services.add_line(actor=world["labour"], number=november.number, worker_id=gone.pk,
                          back_pay_month=OCT)
    # a back-pay line's days are bounded by its own month
    with pytest.raises(ServiceError, match="2026-10的31天"):
        services.save_lines(actor=world["labour"], number=november.number, lines={
            line.pk: services.LineInput(days="31.5", items=_items(wage="10"))})


def test_submit_needs_the_signed_scan_unless_the_deployment_confirms_otherwise(world, settings):
    sheet = _sheet(world)
    with pytest.raises(ServiceError, match="签字确认后上传扫描件"):
        services.submit_sheet(actor=world["labour"], number=sheet.number)
    settings.PAYROLL_SIGNED_SCAN_REQUIRED = False
    services.submit_sheet(actor=world["labour"], number=sheet.number)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED


def test_the_general_contractor_returns_then_confirms_and_a_confirmed_sheet_is_frozen(world):
    sheet = _sheet(world)
    _ready(world, sheet)
    services.submit_sheet(actor=world["labour_project"], number=sheet.number)
    with pytest.raises(PermissionDenied404):  # the preparer does not confirm its own
        services.confirm_sheet(actor=world["labour"], number=sheet.number)
    with pytest.raises(ServiceError, match="不能修改"):  # submitted: no edits
        _ready(world, sheet)
    services.return_sheet(actor=world["gc_project"], number=sheet.number, reason="加班工资有误")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.RETURNED
    _ready(world, sheet, wage="5100")
    second = services.submit_sheet(actor=world["labour"], number=sheet.number)
    assert second.previous is not None and second.previous.return_reason == "加班工资有误"
    services.confirm_sheet(actor=world["gc"], number=sheet.number)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.CONFIRMED and sheet.confirmed_at
    with pytest.raises(ServiceError, match="不能重复审核"):
        services.confirm_sheet(actor=world["gc_project"], number=sheet.number)
    with pytest.raises(ServiceError, match="已确认，不能修改"):
        _ready(world, sheet, wage="9999")
    assert list(sheet.submissions.order_by("submitted_at").values_list("status", flat=True)) == [
        "returned", "confirmed"]


def test_the_general_contractor_confirms_its_own_teams_sheets(world):
    gc_unit = world["project"].participants.get(role=ParticipantRole.GENERAL_CONTRACTOR)
    team = TeamFactory(participant=gc_unit, project=world["project"], name="总包管理班")
    worker = ProjectWorkerFactory(participant=gc_unit, project=world["project"], team=team)
    WorkerEventFactory(worker=worker, kind="1", date=date(2026, 9, 1))
    sheet = services.create_sheet(actor=world["gc"], code=world["project"].code, team_id=team.pk,
                                  month=OCT)
    services.attach_signed_scan(actor=world["gc"], number=sheet.number, scan=AttachmentFactory())
    services.submit_sheet(actor=world["gc"], number=sheet.number)
    services.confirm_sheet(actor=world["gc_project"], number=sheet.number)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.CONFIRMED


def _confirmed(world, **amounts):
    sheet = _sheet(world)
    _ready(world, sheet, **amounts)
    services.submit_sheet(actor=world["labour"], number=sheet.number)
    services.confirm_sheet(actor=world["gc"], number=sheet.number)
    return sheet


def test_the_bank_file_pays_each_worker_from_the_project_wage_account(world):
    WageCardFactory(worker=world["people"]["part"], card_number="6217000011112222333")
    sheet = _confirmed(world, wage="5000", tax="12.34")
    with pytest.raises(PermissionDenied404):
        services.bank_file(actor=world["labour"], number=sheet.number)
    file = services.bank_file(actor=world["gc"], number=sheet.number)
    assert file.payer.number == "41050100000000001"  # the 工资专用账户, not the unit's own
    assert [row.amount for row in file.rows] == [Decimal("4987.66")] * 2
    assert file.total == Decimal("9975.32")
    assert "6217000011112222333" in [row.card_number for row in file.rows]
    event = AuditEvent.objects.get(action=Action.WAGE_BANK_FILE)
    assert event.detail["rows"] == 2


def test_payment_line_by_line_a_failed_line_paid_again_then_the_sheet_is_paid(world):
    sheet = _confirmed(world)
    whole, part = _line(sheet, world["people"]["whole"]), _line(sheet, world["people"]["part"])

    with pytest.raises(ServiceError, match="没有登记工资卡"):
        services.record_payment(actor=world["gc"], number=sheet.number, paid_on=date(2026, 11, 10),
                                batch_number="PC0001", receipt=AttachmentFactory(),
                                outcomes={part.pk: None})
    services.record_payment(actor=world["gc"], number=sheet.number, paid_on=date(2026, 11, 10),
                            batch_number="PC0001", receipt=AttachmentFactory(),
                            outcomes={whole.pk: None, part.pk: "户名不符"})
    sheet.refresh_from_db()
    whole.refresh_from_db()
    part.refresh_from_db()
    assert sheet.status == SheetStatus.PAYING and sheet.paid_total == Decimal("5000.00")
    assert whole.pay_status == LineStatus.PAID and whole.paid_on == date(2026, 11, 10)
    assert whole.masked_card_number.startswith("****")
    assert part.pay_status == LineStatus.FAILED and part.failure_reason == "户名不符"
    with pytest.raises(ServiceError, match="已发放，不能重复发放"):
        services.record_payment(actor=world["gc"], number=sheet.number, paid_on=date(2026, 11, 11),
                                batch_number="PC0002", receipt=AttachmentFactory(),
                                outcomes={whole.pk: None})
    WageCardFactory(worker=world["people"]["part"])
    services.record_payment(actor=world["gc_project"], number=sheet.number,
                            paid_on=date(2026, 11, 12), batch_number="PC0003",
                            receipt=AttachmentFactory(), outcomes={part.pk: None})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PAID and sheet.paid_total == sheet.net_total
    assert sheet.payments.count() == 2  # the refused attempts wrote nothing


@pytest.mark.parametrize(("paid_on", "batch", "receipt", "message"), [
    (None, "PC1", True, "请填写发放日期"),
    (date(2026, 11, 21), "PC1", True, "不能晚于今天"),
    (date(2026, 9, 30), "PC1", True, "不能早于工资月份"),
    (date(2026, 11, 10), " ", True, "请填写银行批次号"),
    (date(2026, 11, 10), "PC1", False, "请上传银行回单"),
])
def test_a_payment_needs_its_date_batch_and_receipt(world, paid_on, batch, receipt, message):
    sheet = _confirmed(world)
    line = _line(sheet, world["people"]["whole"])
    with pytest.raises(ServiceError, match=message):
        services.record_payment(actor=world["gc"], number=sheet.number, paid_on=paid_on,
                                batch_number=batch, receipt=AttachmentFactory() if receipt else None,
                                outcomes={line.pk: None})
    line.refresh_from_db()
    assert line.pay_status == LineStatus.UNPAID


def test_only_a_confirmed_sheet_is_paid_and_only_by_the_general_contractor(world):
    sheet = _sheet(world)
    line = _line(sheet, world["people"]["whole"])
    with pytest.raises(ServiceError, match="草稿，不能发放"):
        services.record_payment(actor=world["gc"], number=sheet.number, paid_on=date(2026, 11, 10),
                                batch_number="PC1", receipt=AttachmentFactory(),
                                outcomes={line.pk: None})
    with pytest.raises(PermissionDenied404):
        services.record_payment(actor=world["labour"], number=sheet.number,
                                paid_on=date(2026, 11, 10), batch_number="PC1",
                                receipt=AttachmentFactory(), outcomes={line.pk: None})


def test_the_ledger_is_never_deleted(world):
    sheet = _confirmed(world)
    line = _line(sheet, world["people"]["whole"])
    with pytest.raises(RetentionError):
        sheet.delete()
    with pytest.raises(RetentionError):
        line.delete()
    with pytest.raises(RetentionError):
        WageSheet.objects.all().delete()
    with pytest.raises(RetentionError):
        WageLine.objects.filter(sheet=sheet).delete()
    assert WageLine.objects.filter(sheet=sheet).count() == 2


def test_a_line_added_by_mistake_is_removed_before_confirmation(world):
    sheet = _sheet(world)
    line = _line(sheet, world["people"]["part"])
    services.save_lines(actor=world["labour"], number=sheet.number, lines={
        line.pk: services.LineInput(days="3", items=_items(wage="600"))})
    services.remove_line(actor=world["labour"], number=sheet.number, line_id=line.pk)
    sheet.refresh_from_db()
    assert sheet.line_count == 1 and sheet.net_total == 0
    assert not WageItem.objects.exists()


@pytest.mark.parametrize(("days", "items", "field"), [
    ("32", {}, "days"),
    ("20", {"overtime": "-1"}, "item:gross:加班工资"),
    ("20", {"wage": "100", "tax": "100.001"}, "item:deduction:个人所得税"),
    ("20", {"wage": "100", "loan": "200"}, "deduction_total"),
])
def test_a_refusal_says_which_line_and_cell(world, days, items, field):
    sheet = _sheet(world)
    line = _line(sheet, world["people"]["part"])
    with pytest.raises(services.LineRefused) as refused:
        services.save_lines(actor=world["labour"], number=sheet.number, lines={
            line.pk: services.LineInput(days=days, items=_items(**items))})
    assert (refused.value.line_id, refused.value.field) == (line.pk, field)
