"""The payroll pages as their users walk them: the subcontractor makes, fills and
submits a sheet; the general contractor returns, confirms, exports the bank file and
records the payment; the authority reads; everyone else gets 404."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from labour.factories import AuthorityFactory, EnterpriseAccountFactory, WageCardFactory
from labour.payroll.choices import LineStatus, SheetStatus
from labour.payroll.models import Payment, WageLine, WageSheet
from labour.testing import assert_sent_to_login, png_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_20th")]


def _as(client, user):
    client.force_login(user)
    return client


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _new_sheet(client, world, month="2026-10"):
    url = reverse("payroll:project", args=[world["project"].code])
    return client.post(url, {"team": world["team"].pk, "month": month})


def _lines(sheet):
    return {line.worker_id: line for line in WageLine.objects.filter(sheet=sheet)}


def _fill(client, sheet, values):
    """POST 保存本页: values = {line: (days, 计时工资, 借支)}."""
    url = reverse("payroll:sheet", args=[sheet.number])
    data = {"action": "save", "line": [line.pk for line in values]}
    from labour.payroll.forms import item_columns

    columns = item_columns()
    wage, loan = columns.index(("gross", "计时工资")), columns.index(("deduction", "借支"))
    for line, (days, amount, deduction) in values.items():
        data[f"line-{line.pk}-days"] = days
        data[f"line-{line.pk}-item-{wage}"] = amount
        data[f"line-{line.pk}-item-{loan}"] = deduction
    return client.post(url, data)


@pytest.fixture
def sheet(client, world):
    """October's sheet of 木工班, made through the page by the labour subcontractor."""
    response = _new_sheet(_as(client, world["labour"]), world)
    sheet = WageSheet.objects.get()
    assert response.status_code == 302 and response.url == reverse("payroll:sheet",
                                                                   args=[sheet.number])
    return sheet


def test_new_sheet_lists_the_team_on_site_and_refuses_a_second_or_a_future_month(client, world,
                                                                                sheet):
    html = _page(client, reverse("payroll:sheet", args=[sheet.number]))
    people = world["people"]
    rows = {key for key, worker in people.items() if f'title="{worker.person.name}"' in html}
    assert rows == {"whole", "part"}
    again = _new_sheet(client, world)
    assert again.status_code == 200 and "工资表已存在" in again.content.decode()
    future = _new_sheet(client, world, month="2026-12")
    assert future.status_code == 200 and "不能晚于本月" in future.content.decode()
    assert WageSheet.objects.count() == 1


def test_a_refused_line_is_named_and_what_was_typed_stays(client, world, sheet):
    lines = _lines(sheet)
    whole, part = lines[world["people"]["whole"].pk], lines[world["people"]["part"].pk]
    response = _fill(client, sheet, {whole: ("32", "5000", ""), part: ("8", "1800.5", "")})
    assert response.status_code == 302
    html = _page(client, response.url)
    assert world["people"]["whole"].person.name in html and "不能超过2026-10的31天" in html
    assert 'value="1800.5"' in html  # the typing is not lost, the refused cell marked
    assert (f'name="line-{whole.pk}-days" value="32" aria-label="{world["people"]["whole"].person.name}'
            f' 出勤天数" aria-invalid="true" aria-describedby="line-{whole.pk}-error"') in html
    assert f'id="line-{whole.pk}-error"' in html and f'id="line-{part.pk}-error"' not in html
    whole.refresh_from_db()
    assert whole.days == 0 and whole.net_amount == 0  # nothing saved
    _fill(client, sheet, {whole: ("21.5", "5000", "300"), part: ("8", "1800.5", "")})
    sheet.refresh_from_db()
    assert (sheet.gross_total, sheet.deduction_total, sheet.net_total) == (
        Decimal("6800.50"), Decimal("300.00"), Decimal("6500.50"))


def _submit(client, world, sheet):
    url = reverse("payroll:sheet", args=[sheet.number])
    lines = _lines(sheet)
    _fill(client, sheet, {lines[world["people"]["whole"].pk]: ("21.5", "5000", "300"),
                          lines[world["people"]["part"].pk]: ("8", "1800.5", "")})
    refused = client.post(url, {"action": "submit"}, follow=True)
    assert "请先打印工资支付表" in refused.content.decode()
    client.post(url, {"action": "scan", "signed_scan": upload("签字表.png", png_bytes(),
                                                                 "image/png")})
    client.post(url, {"action": "submit"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED and sheet.signed_scan is not None


def test_the_review_chain_through_the_pages(client, world, sheet):
    _submit(client, world, sheet)
    url = reverse("payroll:sheet", args=[sheet.number])
    assert 'name="decision"' not in _page(client, url)  # the preparer does not confirm
    gc = _as(client, world["gc_project"])  # the GC's 劳资专管员 (its project account)
    assert 'value="approve"' in _page(gc, url)
    empty = gc.post(url, {"decision": "return", "reason": ""})
    assert empty.status_code == 200 and "请填写退回原因" in empty.content.decode()
    gc.post(url, {"decision": "return", "reason": "出勤天数与考勤不符"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.RETURNED
    labour = _as(client, world["labour_project"])
    assert "出勤天数与考勤不符" in _page(labour, url)
    labour.post(url, {"action": "submit"})
    gc = _as(client, world["gc"])
    gc.post(url, {"decision": "approve"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.CONFIRMED
    twice = gc.post(url, {"decision": "approve"}, follow=True)
    assert "不能重复审核" in twice.content.decode()
    labour = _as(client, world["labour"])  # frozen: the preparer's save is refused
    line = WageLine.objects.filter(sheet=sheet).first()
    frozen = _fill(labour, sheet, {line: ("1", "1", "")})
    assert "不能修改" in _page(labour, frozen.url)
    line.refresh_from_db()
    assert line.days != 1


def test_bank_file_then_payment_with_a_failed_line_paid_again(client, world, sheet):
    _submit(client, world, sheet)
    gc = _as(client, world["gc"])
    url = reverse("payroll:sheet", args=[sheet.number])
    gc.post(url, {"decision": "approve"})
    response = gc.get(reverse("payroll:bank_file", args=[sheet.number]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    text = "\n".join(" ".join(str(c) for c in row if c is not None)
                     for row in book.active.iter_rows(values_only=True))
    whole = world["people"]["whole"]
    assert whole.person.name in text and whole.person.id_number in text
    assert whole.wage_card.card_number in text
    rows = {row[1].value: row for row in book.active.iter_rows(min_row=6) if row[1].value}
    amount = rows[whole.person.name][6]
    assert Decimal(str(amount.value)) == Decimal("4700.00") and amount.number_format == "0.00"
    assert rows[whole.person.name][2].number_format == "@"  # the ID stays text in Excel
    assert rows["1人"][6].value == amount.value  # 合计
    # 'part' has no wage card: not in the file, and it cannot be paid
    assert world["people"]["part"].person.name not in text
    lines = _lines(sheet)
    paid, failed = lines[whole.pk], lines[world["people"]["part"].pk]
    pay_url = reverse("payroll:payment", args=[sheet.number])
    page = _page(gc, pay_url)  # the bank file's lines are 已发放 until marked otherwise
    assert f'name="line-{paid.pk}" value="paid" checked' in page
    assert f'name="line-{failed.pk}" value="" checked' in page
    form = {"paid_on": "2026-11-12", "batch_number": "PC20261112001",
            "receipt": upload("回单.png", png_bytes(), "image/png"),
            f"line-{paid.pk}": "paid", f"line-{failed.pk}": "paid"}
    refused = gc.post(pay_url, form)
    assert refused.status_code == 200 and "没有登记工资卡" in refused.content.decode()
    assert not Payment.objects.exists()
    form.update({f"line-{failed.pk}": "failed", f"line-{failed.pk}-reason": "户名不符",
                 "receipt": upload("回单.png", png_bytes(), "image/png")})
    assert gc.post(pay_url, form).status_code == 302
    sheet.refresh_from_db()
    paid.refresh_from_db()
    failed.refresh_from_db()
    assert sheet.status == SheetStatus.PAYING and sheet.paid_total == Decimal("4700.00")
    assert paid.pay_status == LineStatus.PAID and failed.pay_status == LineStatus.FAILED
    assert "户名不符" in _page(gc, url)
    WageCardFactory(worker=world["people"]["part"])
    again = {"paid_on": "2026-11-18", "batch_number": "PC20261118001",
             "receipt": upload("回单2.png", png_bytes(), "image/png"), f"line-{failed.pk}": "paid"}
    assert gc.post(pay_url, again).status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PAID and sheet.paid_total == sheet.net_total
    assert Payment.objects.count() == 2
    done = gc.get(pay_url, follow=True)
    assert done.redirect_chain[-1][0] == url and "已发放，不能登记发放" in done.content.decode()


def test_who_may_open_each_page(client, world, sheet):
    number, code = sheet.number, world["project"].code
    reads = [reverse("payroll:project", args=[code]), reverse("payroll:sheet", args=[number])]
    gc_only = [reverse("payroll:bank_file", args=[number]),
               reverse("payroll:payment", args=[number])]
    outsider = EnterpriseAccountFactory()
    far_authority = AuthorityFactory(region_code="410300")
    for user in (outsider, far_authority):
        _as(client, user)
        for url in reads + gc_only:
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, {"action": "submit", "decision": "approve"}).status_code == 404
    authority = AuthorityFactory(region_code=world["project"].region_code)
    _as(client, authority)
    for url in reads:
        assert client.get(url).status_code == 200, url
    for url in gc_only:
        assert client.get(url).status_code == 404, url
    for data in ({"action": "submit"}, {"decision": "approve"}):
        assert client.post(reads[1], data).status_code == 404  # read-only
    _as(client, world["gc"])  # the GC reads the subcontractor's sheet, does not edit it
    assert client.post(reads[1], {"action": "submit"}).status_code == 404
    client.logout()
    for url in reads + gc_only:
        assert_sent_to_login(client.get(url), url, "enterprise")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT


def test_the_ledger_cannot_be_deleted_through_the_admin(world, sheet):
    """Registered in the admin or not, no ledger model offers 删除 there (条例: kept 3 years)."""
    from django.contrib import admin

    from labour.payroll.models import Payment, SheetSubmission, WageItem

    for model in (WageSheet, WageLine, WageItem, Payment, SheetSubmission):
        registered = admin.site._registry.get(model)
        assert registered is None or not registered.has_delete_permission(None), model
