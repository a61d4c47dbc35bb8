"""工资查询 walked in Chromium on a 390 px phone and a desktop (issue 9 item 6): from the login page a
worker with no account types his ID number (full width, a lower-case x) and his phone,
gets the code by SMS, sees his wage lines of two projects, opens one line's items and
ends the query. Each page fits the screen and passes axe-core's WCAG 2 AA rules."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from labour.browser_tests.a11y import violations
from labour.browser_tests.test_layout import DESKTOP, LAYOUT, PHONE
from labour.factories import (
    ParticipantFactory,
    PersonFactory,
    ProjectFactory,
    ProjectWorkerFactory,
    TeamFactory,
    WageItemFactory,
    WageLineFactory,
    WageSheetFactory,
)
from labour.testing import latest_code

pytestmark = pytest.mark.browser

ID_NUMBER = "41010219850307007X"
PHONE_NUMBER = "15899990001"
LONG_PROJECT = "郑州市中原区建设路与桐柏路交叉口东北角保障性住房及配套商业综合体建设项目（一期）"


@pytest.fixture
def worker(db, server_idle):
    """王师傅 on two projects: a paid September and a confirmed October on the first, a
    failed October payment on the second; a draft November that is not shown."""
    with server_idle:
        person = PersonFactory(id_number=ID_NUMBER, phone=PHONE_NUMBER, name="王师傅")
        lines = []
        for n, (name, sheets) in enumerate(((LONG_PROJECT, (("09", "paid", "paid"),
                                                            ("10", "confirmed", "unpaid"),
                                                            ("11", "draft", "unpaid"))),
                                            ("郑州市金水区某学校教学楼项目", (("10", "paying", "failed"),)))):
            unit = ParticipantFactory(project=ProjectFactory(name=name), role="labour_subcontractor")
            team = TeamFactory(participant=unit, name=f"钢筋{n + 1}班")
            row = ProjectWorkerFactory(person=person, participant=unit, project=unit.project,
                                       team=team)
            for month, status, paid in sheets:
                sheet = WageSheetFactory(team=team, status=status,
                                         month=dt.date(2026, int(month), 1))
                line = WageLineFactory(sheet=sheet, worker=row, gross_total=Decimal("6000.00"),
                                       deduction_total=Decimal("250.50"), pay_status=paid,
                                       failure_reason="卡号已销户" if paid == "failed" else "")
                WageItemFactory(line=line, name="计时工资", amount=Decimal("6000.00"))
                WageItemFactory(line=line, kind="deduction", name="借支", amount=Decimal("250.50"))
                lines.append(line)
        return person


def _check(page, name, problems, tmp_path):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    problems += [f"{name}: {p}" for p in page.evaluate(LAYOUT)]
    problems += [f"{name}: {v}" for v in violations(page)]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_worker_reads_his_wages(browser, live_server, worker, server_idle, tmp_path, size):
    viewport = PHONE if size == "phone" else DESKTOP
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []
    try:
        page.goto(live_server.url + "/")
        page.locator("main").get_by_role("link", name="工资查询").click()
        expect(page.get_by_role("heading", name="工资查询")).to_be_visible()
        _check(page, "query-form", problems, tmp_path)
        page.get_by_label("证件号码").fill("４１０１０２１９８５０３０７００７ｘ")
        page.get_by_label("手机号").fill(PHONE_NUMBER)
        page.get_by_role("button", name="获取验证码").click()
        expect(page.locator(".code-status")).to_contain_text("验证码已发送至该手机号")
        with server_idle:
            code = latest_code(PHONE_NUMBER)
        page.get_by_label("验证码").fill(code)
        page.get_by_role("button", name="查询").click()

        expect(page.get_by_role("heading", name="王师傅的工资")).to_be_visible()
        rows = page.locator("table.list tbody tr")
        expect(rows).to_have_count(3)  # September, October of the first; October of the second
        expect(page.locator("main")).to_contain_text("5749.50")
        expect(page.locator(".status-failed")).to_have_text("发放失败")
        expect(page.locator("main")).to_contain_text("410102********007X")
        _check(page, "query-result", problems, tmp_path)

        page.get_by_role("link", name="2026-10 郑州市金水区某学校教学楼项目 工资项目").click()
        expect(page.locator("main")).to_contain_text("卡号已销户")
        expect(page.locator("table.list")).to_contain_text("借支")
        _check(page, "query-line", problems, tmp_path)

        page.get_by_role("link", name="返回工资查询").click()
        page.get_by_role("button", name="退出查询").click()
        expect(page.locator(".messages")).to_contain_text("已退出工资查询")
        page.goto(live_server.url + "/payroll/query/wages/")
        expect(page.get_by_role("heading", name="工资查询")).to_be_visible()  # the form again
    finally:
        context.close()
    print(f"screenshots: {tmp_path}")
    assert not problems, "\n".join(problems)
