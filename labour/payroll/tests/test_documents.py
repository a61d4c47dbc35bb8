"""The payroll's PDFs: 打印工资支付表, 工资清单, 代发凭证 and 维权信息告示牌. Each opens with
pypdf and says what it must; numbers are masked for whoever is not the preparing
participant; totals add up; a long sheet repeats its header on every page; who may
download what."""

import io
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from labour.audit.models import Action, AuditEvent
from labour.core.masking import mask_id_number, mask_phone
from labour.factories import (
    AuthorityFactory,
    EnterpriseAccountFactory,
    EnterpriseFactory,
    ParticipantFactory,
    PaymentFactory,
    ProjectAccountFactory,
    WageItemFactory,
    WageLineFactory,
    WageSheetFactory,
)
from labour.payroll import pdf, selectors
from labour.payroll.models import WageLine
from labour.testing import assert_sent_to_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_20th")]


def _as(client, user):
    client.force_login(user)
    return client


def _pages(data):
    """The text of each page of a PDF (which must open, and carry no script), its
    cells and lines joined by single spaces."""
    assert data.startswith(b"%PDF-")
    assert b"/JavaScript" not in data and b"/JS " not in data and b"/OpenAction" not in data
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def _get_pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    return response, _pages(response.content)


def _line(sheet, worker, items, **extra):
    """A line with its items {(kind, name): amount}; its totals are their sums."""
    gross = sum((a for (k, _n), a in items.items() if k == "gross"), Decimal("0.00"))
    deductions = sum((a for (k, _n), a in items.items() if k == "deduction"), Decimal("0.00"))
    line = WageLineFactory(sheet=sheet, worker=worker, gross_total=gross,
                           deduction_total=deductions, **extra)
    for (kind, name), amount in items.items():
        WageItemFactory(line=line, kind=kind, name=name, amount=amount)
    return line


WHOLE = {("gross", "计时工资"): Decimal("5000.00"), ("gross", "加班工资"): Decimal("300.00"),
         ("deduction", "借支"): Decimal("600.00")}
PART = {("gross", "计件工资"): Decimal("2000.50"),
        ("deduction", "社会保险个人部分"): Decimal("100.25")}


@pytest.fixture
def sheet(world):
    """October's sheet of 木工班 (prepared by the labour subcontractor): two lines."""
    team = world["team"]
    sheet = WageSheetFactory(team=team, month=date(2026, 10, 1), number="GZ202610000001",
                             created_by=world["labour"], gross_total=Decimal("7300.50"),
                             deduction_total=Decimal("700.25"), net_total=Decimal("6600.25"),
                             line_count=2)
    _line(sheet, world["people"]["whole"], WHOLE, days=Decimal("22.0"))
    _line(sheet, world["people"]["part"], PART, days=Decimal("9.5"), work_hours=Decimal("76.00"))
    return sheet


def _urls(sheet):
    return [reverse("payroll:pay_table", args=[sheet.number]),
            reverse("payroll:wage_slips", args=[sheet.number])]


# ------------------------------------------------------------------ 打印工资支付表

def test_the_pay_table_of_the_preparer_has_full_numbers_items_totals_and_signatures(
        client, world, sheet):
    whole = world["people"]["whole"].person
    part = world["people"]["part"].person
    response, pages = _get_pdf(_as(client, world["labour"]),
                               reverse("payroll:pay_table", args=[sheet.number]))
    disposition = response["Content-Disposition"]
    assert 'filename="wage-sheet-GZ202610000001.pdf"' in disposition
    assert f"filename*=UTF-8''{quote('工资支付表-GZ202610000001.pdf')}" in disposition
    assert len(pages) == 1
    text = pages[0]
    for expected in ("农民工工资支付表", world["project"].name, "劳务公司", "木工班",
                     "工资月份：2026-10", "姓名", "证件号码", "联系方式", "出勤天数", "工时",
                     "应发项目", "代扣项目", "计时工资", "加班工资", "计件工资", "借支",
                     "社会保险个人部分", "应发合计", "代扣合计", "实发", "工人签字",
                     whole.name, part.name, whole.id_number, whole.phone, part.id_number,
                     "5000.00", "300.00", "600.00", "2000.50", "100.25", "4700.00", "1900.25",
                     "22.0", "9.5", "76.00", "制表人", "制表日期", "第 1 页 共 1 页"):
        assert expected in text or expected in text.replace(" ", ""), expected  # headings wrap
    # the totals row: 2 people, days, each item, 应发/代扣/实发 summed
    assert "合计 2人 31.5 76.00 5000.00 2000.50 300.00 100.25 600.00 7300.50 700.25 6600.25" in text
    event = AuditEvent.objects.get(action=Action.WAGE_DOCUMENT)
    assert event.detail["document"] == "工资支付表" and event.detail["unmasked"] is True
    assert event.actor == world["labour"] and event.detail["lines"] == 2
    assert whole.id_number not in str(event.detail) and whole.id_number not in str(event.changes)


@pytest.mark.parametrize("who", ["gc", "gc_project", "authority"])
def test_others_get_the_pay_table_with_masked_numbers(client, world, sheet, who):
    user = (AuthorityFactory(region_code=world["project"].region_code) if who == "authority"
            else world[who])
    whole = world["people"]["whole"].person
    _response, pages = _get_pdf(_as(client, user), reverse("payroll:pay_table", args=[sheet.number]))
    text = pages[0]
    assert mask_id_number(whole.id_number) in text and whole.id_number not in text
    assert mask_phone(whole.phone) in text and whole.phone not in text
    assert "6600.25" in text
    assert AuditEvent.objects.get(action=Action.WAGE_DOCUMENT).detail["unmasked"] is False


def test_a_long_sheet_repeats_its_header_and_numbers_its_pages(client, world):
    sheet = WageSheetFactory(team=world["team"], month=date(2026, 10, 1),
                             created_by=world["labour"])
    for _ in range(45):
        _line(sheet, _team_worker(world), {("gross", "计时工资"): Decimal("100.01")})
    _response, pages = _get_pdf(_as(client, world["labour"]),
                                reverse("payroll:pay_table", args=[sheet.number]))
    assert len(pages) >= 3
    for n, text in enumerate(pages, start=1):
        assert "姓名" in text and "证件号码" in text and "工人签字" in text, n
        assert f"第 {n} 页 共 {len(pages)} 页" in text
        assert "工资月份：2026-10" in text
    names = [line.worker.person.name for line in selectors.document_lines(sheet)]
    assert all(any(name in text for text in pages) for name in names)
    assert "合计 45人" in pages[-1] and "4500.45" in pages[-1]
    assert all("合计 45人" not in text for text in pages[:-1])


def _team_worker(world):
    from labour.factories import ProjectWorkerFactory, WorkerEventFactory

    team = world["team"]
    worker = ProjectWorkerFactory(participant=team.participant, project=team.project, team=team)
    WorkerEventFactory(worker=worker, kind="1", date=date(2026, 9, 1))
    return worker


# ------------------------------------------------------------------ 工资清单

def test_wage_slips_one_page_per_line_or_one_line(client, world, sheet):
    whole = world["people"]["whole"].person
    lines = {line.worker_id: line for line in WageLine.objects.filter(sheet=sheet)}
    _as(client, world["gc"])
    url = reverse("payroll:wage_slips", args=[sheet.number])
    response, pages = _get_pdf(client, url)
    assert 'filename="wage-slips-GZ202610000001.pdf"' in response["Content-Disposition"]
    assert len(pages) == 2
    first = next(text for text in pages if whole.name in text)
    for expected in ("工资清单", world["project"].name, "劳务公司", "木工班", "2026-10",
                     mask_id_number(whole.id_number), "计时工资", "5000.00", "加班工资", "300.00",
                     "借支", "600.00", "应发合计", "5300.00", "代扣合计", "实发金额", "4700.00 元",
                     "未发放", "中国建设银行", "12333"):
        assert expected in first, expected
    assert whole.id_number not in first
    assert whole.id_number not in "".join(pages)
    one = lines[world["people"]["part"].pk]
    _response, pages = _get_pdf(client, f"{url}?line={one.pk}")
    assert len(pages) == 1 and world["people"]["part"].person.name in pages[0]
    assert "1900.25" in pages[0] and "未登记工资卡" in pages[0]
    other = WageLineFactory()  # a line of another sheet: not this sheet's
    for bad in (str(other.pk), "abc", "1e3", "-1", "9" * 40, "１"):
        assert client.get(f"{url}?line={bad}").status_code == 404, bad


def test_wage_slips_need_no_request_and_take_lines_of_several_sheets(world, sheet):
    other = WageSheetFactory(team=world["team"], month=date(2026, 9, 1))
    _line(other, world["people"]["whole"], {("gross", "计时工资"): Decimal("3000.00")})
    lines = list(selectors.for_documents(
        WageLine.objects.filter(worker=world["people"]["whole"]).order_by("sheet__month")))
    pages = _pages(pdf.wage_slips(lines))
    assert len(pages) == 2
    assert "2026-09" in pages[0] and "3000.00" in pages[0]
    assert "2026-10" in pages[1] and "4700.00" in pages[1]
    assert "没有工资明细" in _pages(pdf.wage_slips([]))[0]


# ------------------------------------------------------------------ 代发凭证

def _pay(sheet, world):
    """Every line paid through the project's wage account (two payments)."""
    first = PaymentFactory(sheet=sheet, paid_on=date(2026, 11, 10), batch_number="PC20261110001",
                           payer_account_name="测试项目工资专用账户", paid_count=1)
    second = PaymentFactory(sheet=sheet, paid_on=date(2026, 11, 18), batch_number="PC20261118001",
                            payer_account_name="测试项目工资专用账户", paid_count=1)
    for line, payment in zip(WageLine.objects.filter(sheet=sheet).order_by("id"), (first, second),
                             strict=True):
        from labour.workforce import crypto

        line.pay_status, line.payment, line.paid_on = "paid", payment, payment.paid_on
        line.card_bank_name = "中国建设银行 郑州中原路支行"
        line.card_number_token = crypto.encrypt(f"621700000000{line.pk:04d}")
        line.save()
    sheet.status, sheet.paid_total = "paid", sheet.net_total
    sheet.save()


def test_the_voucher_is_refused_until_every_line_is_paid(client, world, sheet):
    url = reverse("payroll:voucher", args=[sheet.number])
    sheet_url = reverse("payroll:sheet", args=[sheet.number])
    for status in ("draft", "confirmed", "paying"):
        sheet.status = status
        sheet.save()
        response = _as(client, world["labour"]).get(url, follow=True)
        assert response.redirect_chain[-1][0] == sheet_url
        assert "全部发放后才有代发凭证" in response.content.decode()
        assert url not in response.content.decode()  # no button either
    assert not AuditEvent.objects.filter(action=Action.WAGE_DOCUMENT).exists()


def test_the_voucher_of_a_paid_sheet(client, world, sheet):
    _pay(sheet, world)
    url = reverse("payroll:voucher", args=[sheet.number])
    assert url in _as(client, world["labour"]).get(
        reverse("payroll:sheet", args=[sheet.number])).content.decode()
    for user in (world["labour"], world["labour_project"], world["gc"], world["gc_project"],
                 AuthorityFactory(region_code="410100")):
        response, pages = _get_pdf(_as(client, user), url)
    text = "".join(pages)
    assert 'filename="payment-voucher-GZ202610000001.pdf"' in response["Content-Disposition"]
    for expected in ("农民工工资代发凭证", "测试项目工资专用账户", "41050100000000001",
                     "中国建设银行郑州分行", "PC20261110001", "PC20261118001", "2026-11-10",
                     "2026-11-18", world["people"]["whole"].person.name, "4700.00", "1900.25",
                     "已发放", "合计 2人 6600.25", "总包公司", "劳务公司"):
        assert expected in text, expected
    for line in WageLine.objects.filter(sheet=sheet):
        card = f"621700000000{line.pk:04d}"
        assert f"****{card[-4:]}" in text and card not in text


# ------------------------------------------------------------------ 维权信息告示牌

def test_the_notice_board_from_the_project_data(client, world, settings):
    settings.COMPLAINT_HOTLINES = ["劳动保障监察举报投诉电话：12333", "测试热线：0371-12345678"]
    settings.MINIMUM_MONTHLY_WAGE = "2100.00"
    project = world["project"]
    AuthorityFactory(region_code="410100", display_name="郑州市城乡建设局")
    ParticipantFactory(project=project, enterprise=EnterpriseFactory(name="专业分包公司"),
                       role="specialty_contractor", unit_name="专业分包公司",
                       subcontract_content="钢结构")
    info = project.information
    info.pay_day = 10
    info.save()
    project_url = reverse("payroll:project", args=[project.code])
    url = reverse("payroll:notice_board", args=[project.code])
    assert url in _as(client, world["labour"]).get(project_url).content.decode()
    response, pages = _get_pdf(client, url)
    assert f'filename="notice-board-{project.code}.pdf"' in response["Content-Disposition"]
    text = "".join(pages)
    owner = project.participants.get(role="owner").unit_name
    for expected in ("维权信息告示牌", project.name, project.address, "建设单位", owner,
                     "施工总承包单位", "总包公司", "劳资专管员", "王专管 13922220000",
                     "分包单位", "劳务公司（劳务分包", "专业分包公司（专业承包，钢结构）",
                     "行业主管部门", "郑州市城乡建设局", "每月10日前支付上月工资",
                     "当地最低工资标准", "2100.00 元/月", "12333", "0371-12345678"):
        assert expected in text, expected
    assert "13911110000" not in text  # the project manager's own phone is not posted


def test_the_notice_board_without_a_labour_manager_uses_the_defaults(client, world):
    project = world["project"]
    info = project.information
    info.labour_manager_name, info.labour_manager_phone, info.pay_day = "", "", None
    info.save()
    _response, pages = _get_pdf(_as(client, world["gc"]),
                                reverse("payroll:notice_board", args=[project.code]))
    text = "".join(pages)
    assert "劳资专管员 未填写" in text
    assert "每月15日前支付上月工资" in text  # PAYROLL_DEFAULT_PAY_DAY


def test_the_authority_on_the_board_is_the_nearest_one(world):
    """The district's authority before the city's (the project's creator here), the
    province's last; with none, the region's name."""
    project = world["project"]  # 410102, created by the city's authority (410100)
    assert selectors.authority_of("410102") == project.created_by.display_name
    AuthorityFactory(region_code="410000", display_name="河南省住房和城乡建设厅")
    AuthorityFactory(region_code="410102", display_name="中原区住房和城乡建设局")
    AuthorityFactory(region_code="410102", display_name="中原区停用账号", is_active=False)
    assert selectors.notice_board(project).authority == "中原区住房和城乡建设局"
    assert selectors.authority_of("410305") == "河南省住房和城乡建设厅"
    from labour.factories import ProjectFactory

    far = ProjectFactory(region_code="420102")
    assert selectors.notice_board(far).authority.endswith("建设主管部门")


# ------------------------------------------------------------------ who may download what

def test_who_may_download_what(client, world, sheet):
    _pay(sheet, world)
    documents = [*_urls(sheet), reverse("payroll:voucher", args=[sheet.number])]
    board = reverse("payroll:notice_board", args=[world["project"].code])
    # another subcontractor of the project: the board, not this unit's sheet
    other_unit = EnterpriseFactory(name="另一劳务公司")
    ParticipantFactory(project=world["project"], enterprise=other_unit)
    for user in (EnterpriseAccountFactory(enterprise=other_unit),
                 ProjectAccountFactory(enterprise=other_unit, project=world["project"])):
        _as(client, user)
        assert client.get(board).status_code == 200
        for url in documents:
            assert client.get(url).status_code == 404, (user, url)
    for user in (EnterpriseAccountFactory(), AuthorityFactory(region_code="410300")):
        _as(client, user)
        for url in [*documents, board]:
            assert client.get(url).status_code == 404, (user, url)
    for url in (reverse("payroll:pay_table", args=["GZ000"]),
                reverse("payroll:notice_board", args=["nope"])):
        assert client.get(url).status_code == 404
    client.logout()
    for url in [*documents, board]:
        assert_sent_to_login(client.get(url), url, "enterprise")
    assert AuditEvent.objects.filter(action=Action.WAGE_DOCUMENT).count() == 0
