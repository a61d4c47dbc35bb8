"""工资核算 and 工资发放 walked in Chromium (issue 9): a labour subcontractor makes
last month's sheet for its team, corrects a line the server refused, uploads the
signed scan and submits; the general contractor returns it once, then confirms,
exports the bank file, records a payment with one failed line and pays that line
again; the authority's 欠薪预警 shows the project before that last payment and not
after; a worker reads his own line through 工资查询 (no account: ID, phone, SMS code)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from labour.browser_tests.steps import login, logout, write_files
from labour.factories import (
    PASSWORD,
    AuthorityFactory,
    EnterpriseFactory,
    ParticipantFactory,
    PersonFactory,
    ProjectAccountFactory,
    ProjectFactory,
    ProjectInformationFactory,
    ProjectWorkerFactory,
    TeamFactory,
    WageCardFactory,
    WorkerEventFactory,
)
from labour.testing import latest_code, png_bytes

pytestmark = pytest.mark.browser

TODAY = dt.date.today()
LAST_MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
LONG = 15_000
WU_ID, WU_PHONE = "11010519491231002X", "15800000001"  # 吴小二's, for 工资查询


@pytest.fixture
def payroll_world(db, server_idle):
    """A project whose information (and 工资专用账户) is approved; the labour
    subcontractor's team 钢筋一班 with two workers 在场 since two months ago, one with
    a wage card."""
    with server_idle:
        gc = EnterpriseFactory(name="郑州总包建设有限公司", region_code="410102")
        lab = EnterpriseFactory(name="郑州劳务分包有限公司", region_code="410102")
        project = ProjectFactory(name="郑州工资演示项目", region_code="410102",
                                 info_status="approved", units={"general_contractor": gc})
        # 约定发薪日 the 1st: last month's pay day has passed (欠薪预警 warns only after it)
        ProjectInformationFactory(project=project, pay_day=1)
        sub = ParticipantFactory(project=project, role="labour_subcontractor", enterprise=lab)
        team = TeamFactory(participant=sub, project=project, name="钢筋一班")
        workers = {}
        for name in ("周大力", "吴小二"):
            person = (PersonFactory(name=name, id_number=WU_ID, phone=WU_PHONE) if name == "吴小二"
                      else PersonFactory(name=name))
            worker = ProjectWorkerFactory(participant=sub, project=project, team=team, person=person)
            WorkerEventFactory(worker=worker, kind="1", date=LAST_MONTH)
            workers[name] = worker
        WageCardFactory(worker=workers["周大力"])
        return {
            "project": project, "workers": workers,
            "lab_project": ProjectAccountFactory(enterprise=lab, project=project, username="XM710001"),
            "gc_project": ProjectAccountFactory(enterprise=gc, project=project, username="XM710002"),
            "authority": AuthorityFactory(region_code="410100", username="zzjsj-wage"),
        }


def _cell(page, name, column):
    return page.get_by_label(f"{name} {column}", exact=True)


def test_a_sheet_from_making_to_paid(page, live_server, server_idle, payroll_world, tmp_path):
    files = write_files(tmp_path, {"scan": ("签字表.png", png_bytes((800, 600))),
                                   "receipt": ("回单.png", png_bytes((600, 400))),
                                   "receipt2": ("回单2.png", png_bytes((600, 400)))})
    page.on("dialog", lambda dialog: dialog.accept())  # 「提交」/「确认」/「登记」 ask confirm()

    # 1. the labour subcontractor makes last month's sheet: both workers are on it
    login(page, live_server, "project", "项目", "XM710001", PASSWORD)
    page.get_by_role("navigation", name="功能").get_by_role("link", name="工资核算").click()
    page.get_by_label("班组").select_option(label="钢筋一班")
    expect(page.get_by_label("工资月份")).to_have_value(LAST_MONTH.strftime("%Y-%m"))
    page.get_by_role("button", name="新建工资表").click()
    expect(page.get_by_text("已列出该月在场的2名人员")).to_be_visible()
    sheet_url = page.url

    # 2. a line the server refuses: the cell is marked, what was typed stays
    _cell(page, "周大力", "出勤天数").fill("32")
    _cell(page, "周大力", "计时工资").fill("6000")
    _cell(page, "周大力", "借支").fill("500")
    _cell(page, "吴小二", "出勤天数").fill("20.5")
    _cell(page, "吴小二", "计时工资").fill("4100")
    page.get_by_role("button", name="保存本页").click()
    days = _cell(page, "周大力", "出勤天数")
    expect(days).to_have_attribute("aria-invalid", "true")
    expect(days).to_have_value("32")
    expect(days).to_be_focused()
    expect(page.get_by_role("alert").first).to_contain_text("周大力")
    expect(_cell(page, "吴小二", "计时工资")).to_have_value("4100")
    days.fill("21.5")
    page.get_by_role("button", name="保存本页").click()
    expect(page.get_by_text("工资明细已保存")).to_be_visible()
    expect(page.locator(".details")).to_contain_text("9600.00 元")  # 5500 + 4100 实发

    # 3. 「打印工资支付表」 gives the PDF to sign; submit without the signed scan is
    # refused; with it, accepted
    href = page.get_by_role("link", name="打印工资支付表").get_attribute("href")
    printed = page.request.get(live_server.url + href)
    assert printed.ok and printed.headers["content-type"] == "application/pdf"
    assert printed.body().startswith(b"%PDF-")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_text("请先打印工资支付表")).to_be_visible()
    page.get_by_label("签字确认的工资支付表").set_input_files(files["scan"])
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_text("签字确认的工资支付表已上传")).to_be_visible()
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("待确认")
    logout(page, live_server)

    # 4. the general contractor returns it once
    login(page, live_server, "project", "项目", "XM710002", PASSWORD)
    page.goto(sheet_url)
    page.get_by_label("退回原因", exact=True).fill("吴小二出勤天数与考勤不符")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已退回")
    logout(page, live_server)

    # 5. the subcontractor reads the reason, corrects, submits again
    login(page, live_server, "project", "项目", "XM710001", PASSWORD)
    page.goto(sheet_url)
    expect(page.get_by_text("吴小二出勤天数与考勤不符")).to_be_visible()
    _cell(page, "吴小二", "出勤天数").fill("19")
    page.get_by_role("button", name="保存本页").click()
    expect(page.get_by_text("工资明细已保存")).to_be_visible()
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("待确认")
    logout(page, live_server)

    # 6. the general contractor confirms, exports the bank file, records the payment
    login(page, live_server, "project", "项目", "XM710002", PASSWORD)
    page.goto(sheet_url)
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已确认")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出银行代发文件").click()
    book = load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    rows = [row for row in book.active.iter_rows(values_only=True) if row and row[1] == "周大力"]
    assert len(rows) == 1 and float(rows[0][6]) == 5500.0  # 吴小二 has no card: not in it
    page.get_by_role("link", name="登记发放").click()
    page.get_by_label("发放日期").fill(TODAY.isoformat())
    page.get_by_label("银行批次号").fill("PC0001")
    page.get_by_label("银行回单").set_input_files(files["receipt"])
    page.get_by_role("group", name="吴小二 本次结果").get_by_label("发放失败").check()
    page.get_by_label("吴小二 发放失败原因").fill("未登记工资卡")
    page.get_by_role("button", name="登记发放结果").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("发放中")
    expect(page.locator("table.wage-lines")).to_contain_text("未登记工资卡")

    logout(page, live_server)

    # 7. the authority's 欠薪预警: one of the two workers unpaid after the pay day
    login(page, live_server, "authority", "主管部门", "zzjsj-wage", PASSWORD)
    page.get_by_role("navigation", name="功能").get_by_role("link", name="欠薪预警").click()
    row = page.locator("table.list tbody tr", has_text="郑州工资演示项目")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(LAST_MONTH.strftime("%Y-%m"))
    expect(row).to_contain_text("2名在场工人中1名没有已发放的工资")
    logout(page, live_server)

    # 8. the card is registered; the failed line is paid again: the sheet is 已发放
    login(page, live_server, "project", "项目", "XM710002", PASSWORD)
    page.goto(sheet_url)
    with server_idle:
        WageCardFactory(worker=payroll_world["workers"]["吴小二"])
    page.get_by_role("link", name="登记发放").click()
    page.get_by_label("发放日期").fill(TODAY.isoformat())
    page.get_by_label("银行批次号").fill("PC0002")
    page.get_by_label("银行回单").set_input_files(files["receipt2"])
    expect(page.get_by_role("group", name="吴小二 本次结果").get_by_label("已发放")).to_be_checked()
    page.get_by_role("button", name="登记发放结果").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已发放")
    expect(page.locator("#main")).to_contain_text("PC0002")
    href = page.get_by_role("link", name="代发凭证").get_attribute("href")
    voucher = page.request.get(live_server.url + href)
    assert voucher.ok and voucher.headers["content-type"] == "application/pdf"
    with server_idle:
        from labour.payroll.models import WageSheet

        sheet = WageSheet.objects.get()
        assert sheet.status == "paid" and sheet.paid_total == sheet.net_total
    logout(page, live_server)

    # 9. 欠薪预警 no longer lists the project
    login(page, live_server, "authority", "主管部门", "zzjsj-wage", PASSWORD)
    page.get_by_role("navigation", name="功能").get_by_role("link", name="欠薪预警").click()
    expect(page.locator("table.list").first).not_to_contain_text("郑州工资演示项目")
    logout(page, live_server)

    # 10. 吴小二 reads his own line through 工资查询, without an account
    page.goto(live_server.url + "/")
    page.locator("main").get_by_role("link", name="工资查询").click()
    page.get_by_label("证件号码").fill(WU_ID)
    page.get_by_label("手机号").fill(WU_PHONE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".code-status")).to_contain_text("验证码已发送至该手机号")
    with server_idle:
        code = latest_code(WU_PHONE)
    page.get_by_label("验证码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="吴小二的工资")).to_be_visible()
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(LAST_MONTH.strftime("%Y-%m"))
    expect(rows).to_contain_text("4100.00")
    expect(rows).to_contain_text("已发放")
    expect(page.locator("main")).not_to_contain_text("周大力")
