"""What every page owes a user on a 390 × 844 phone and on a desktop (issue 7 items 3,
4, 14): no page scrolls sideways, labels stand above their fields and buttons take the
width, tables scroll in their own box, header links never wrap mid-word; and axe-core's
WCAG 2 AA rules (contrast, labels, names of buttons/links/images, unique ids) pass.

Each page is opened as the actor who uses it, with data made by labour.factories
(fast: no SMS flow), including long names. Screenshots are saved under the test's tmp
dir (phone-*.png, desktop-*.png)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from labour.browser_tests.a11y import violations
from labour.factories import (
    AuthorityFactory,
    EnterpriseAccountFactory,
    EnterpriseApplicationFactory,
    EnterpriseFactory,
    ProjectAccountApplicationFactory,
    ProjectAccountFactory,
    ProjectFactory,
    ProjectInformationFactory,
    ProjectInfoSubmissionFactory,
)
from labour.projects.choices import InfoStatus
from labour.reviews.choices import ReviewStatus

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG_UNIT = "郑州市中原区建设路第一建筑工程集团有限责任公司第三工程分公司"
LONG_PROJECT = "郑州市中原区建设路与桐柏路交叉口东北角保障性住房及配套商业综合体建设项目（一期）"


@pytest.fixture
def world(transactional_db):
    """Every page's data, made directly (long names, history, each status)."""
    authority = AuthorityFactory(username="zz_layout")
    gc = EnterpriseFactory(name=LONG_UNIT, region_code="410102")
    gc_account = EnterpriseAccountFactory(enterprise=gc)
    draft = ProjectFactory(name=LONG_PROJECT, units={"general_contractor": gc})
    ProjectInformationFactory(project=draft, manager_name="", guarantee_form="")
    submitted = ProjectFactory(name="郑州市金水区某学校教学楼项目", info_status=InfoStatus.SUBMITTED,
                               units={"general_contractor": gc})
    ProjectInformationFactory(project=submitted)
    ProjectInfoSubmissionFactory(project=submitted, submitted_by=gc_account,
                                 snapshot={"manager_name": "李经理", "guarantee_form_label": "银行保函",
                                           "participants": []})
    ProjectInfoSubmissionFactory(project=submitted, submitted_by=gc_account,
                                 status=ReviewStatus.RETURNED, return_reason="工资专用账户信息有误",
                                 submitted_at=timezone.now() - timedelta(days=3),
                                 reviewed_at=timezone.now() - timedelta(days=2),
                                 reviewer=authority)
    first = EnterpriseApplicationFactory(name=LONG_UNIT + "（第一次）", status=ReviewStatus.RETURNED,
                                         reviewer=authority,
                                         reviewed_at=timezone.now() - timedelta(hours=20),
                                         submitted_at=timezone.now() - timedelta(days=2))
    pending = EnterpriseApplicationFactory(name=LONG_UNIT + "（重新认证）",
                                           credit_code=first.credit_code, previous=first)
    account_application = ProjectAccountApplicationFactory(project=draft, enterprise=gc)
    ProjectAccountFactory(enterprise=gc, project=submitted)
    # the roster (issue 8): a team and workers of the general contractor on the draft project
    from labour.factories import TeamFactory, WageCardFactory, WorkerContractFactory, WorkerEventFactory
    from labour.projects.models import Participant

    own = Participant.objects.get(project=draft, role="general_contractor")
    team = TeamFactory(participant=own, name="钢筋一班", responsible_name="赵责任")
    workers = [WageCardFactory(worker__participant=own, worker__team=team).worker for _ in range(3)]
    WorkerContractFactory(worker=workers[0])
    WorkerEventFactory(worker=workers[0])
    # payroll (issue 9): the GC's own team's sheets, one being typed, one to confirm, one to pay
    from labour.factories import SheetSubmissionFactory, WageItemFactory, WageLineFactory, WageSheetFactory

    sheets = {}
    for status, month in (("draft", 8), ("submitted", 9), ("confirmed", 10)):
        sheet = WageSheetFactory(team=team, status=status, month=timezone.datetime(2026, month, 1).date(),
                                 created_by=gc_account)
        for worker in workers:
            line = WageLineFactory(sheet=sheet, worker=worker, gross_total="6000.00",
                                   deduction_total="200.00", net_amount="5800.00", days="21.5")
            WageItemFactory(line=line, name="计时工资", amount="6000.00")
            WageItemFactory(line=line, kind="deduction", name="借支", amount="200.00")
        if status != "draft":
            SheetSubmissionFactory(sheet=sheet, submitted_by=gc_account,
                                   status="submitted" if status == "submitted" else "confirmed")
        sheets[status] = sheet.number
        if status == "draft":  # 导入工资明细: a file checked, one row refused
            _checked_wage_import(gc_account, sheet)
    # 欠薪预警 (issue 9 item 8): the facts of these months
    from labour.arrears.facts import rebuild

    rebuild()
    return {"authority": authority, "gc": gc_account, "draft": draft, "submitted": submitted,
            "pending": pending, "account_application": account_application, "worker": workers[0],
            "team": team, "sheets": sheets, "wage_import": _wage_import_path(sheets["draft"])}


def _wage_import_path(number):
    from labour.workforce.models import ImportJob

    job = ImportJob.objects.get(kind="wage_lines", target=number)
    return f"/payroll/sheet/{number}/import/{job.pk}/"


def _checked_wage_import(actor, sheet):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from labour.payroll import importing
    from labour.workforce.importing import check_import

    book = load_workbook(BytesIO(importing.template_workbook(sheet)))
    book["工资明细"]["D2"] = 99  # 出勤天数 past the month's days
    buffer = BytesIO()
    book.save(buffer)
    job = importing.start_import(actor=actor, number=sheet.number,
                                 upload=SimpleUploadedFile("八月工资明细.xlsx", buffer.getvalue()))
    check_import(job.pk)


def _pages(world):
    """(actor, name, path) of every page checked; actor None: not signed in."""
    draft, submitted = world["draft"].code, world["submitted"].code
    return [
        (None, "login", "/"),
        (None, "enterprise-apply", "/certification/enterprise/"),
        (None, "enterprise-apply-errors", "/certification/enterprise/#submit"),
        (None, "project-apply", "/certification/project/"),
        (None, "project-apply-errors", "/certification/project/#submit"),
        ("authority", "enterprise-review-queue", "/certification/review/?tab=all"),
        ("authority", "enterprise-review-detail", f"/certification/review/{world['pending'].number}/"),
        ("authority", "info-review-queue", "/projects/review/?tab=all"),
        ("authority", "info-review-detail", f"/projects/review/{submitted}/"),
        ("authority", "project-management", "/projects/manage/"),
        ("authority", "project-detail", f"/projects/manage/{draft}/"),
        ("authority", "project-create", "/projects/manage/new/"),
        ("authority", "project-create-errors", "/projects/manage/new/#submit"),
        ("gc", "project-account-review-queue", "/certification/project/review/?tab=all"),
        ("gc", "project-account-review-detail",
         f"/certification/project/review/{world['account_application'].number}/"),
        ("gc", "my-projects", "/projects/my/"),
        ("gc", "my-project-detail", f"/projects/my/{draft}/"),
        ("gc", "information-editable", f"/projects/my/{draft}/information/"),
        ("gc", "information-missing", f"/projects/my/{draft}/information/#submit"),
        ("gc", "information-read-only", f"/projects/my/{submitted}/information/"),
        ("gc", "roster", f"/workforce/roster/{draft}/"),
        ("gc", "worker", f"/workforce/roster/{draft}/workers/{world['worker'].pk}/"),
        ("gc", "worker-new", f"/workforce/roster/{draft}/workers/new/"),
        ("gc", "worker-edit", f"/workforce/roster/{draft}/workers/{world['worker'].pk}/edit/"),
        ("gc", "contract", f"/workforce/roster/{draft}/workers/{world['worker'].pk}/contract/"),
        ("gc", "card", f"/workforce/roster/{draft}/workers/{world['worker'].pk}/card/"),
        ("gc", "entry", f"/workforce/roster/{draft}/workers/{world['worker'].pk}/entry/"),
        ("gc", "teams", f"/workforce/teams/{draft}/"),
        ("gc", "team-edit", f"/workforce/teams/{draft}/{world['team'].pk}/"),
        ("gc", "import", f"/workforce/roster/{draft}/import/"),
        ("gc", "overview", "/workforce/overview/"),
        ("authority", "roster-authority", f"/workforce/roster/{draft}/"),
        ("gc", "payroll-project", f"/payroll/project/{draft}/"),
        ("gc", "payroll-sheet-draft", f"/payroll/sheet/{world['sheets']['draft']}/"),
        ("gc", "payroll-sheet-to-confirm", f"/payroll/sheet/{world['sheets']['submitted']}/"),
        ("gc", "payroll-payment", f"/payroll/sheet/{world['sheets']['confirmed']}/payment/"),
        ("authority", "payroll-sheet-authority", f"/payroll/sheet/{world['sheets']['confirmed']}/"),
        ("gc", "payroll-import", f"/payroll/sheet/{world['sheets']['draft']}/import/"),
        ("gc", "payroll-import-preview", world["wage_import"]),
        ("authority", "arrears-warnings", "/arrears/warnings/"),
        ("authority", "arrears-project", f"/arrears/warnings/project/{draft}/"),
        ("gc", "arrears-enterprise", "/arrears/enterprise/"),
    ]


def _signed_in(browser, live_server, user, viewport):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport)
    context.set_default_timeout(15_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])
    return context


def _open(page, live_server, path):
    """Open the page; a path ending in #submit is the form sent as it is (its errors),
    or for 项目信息完善 「提交审核」 with items missing."""
    target, _, then = path.partition("#")
    page.goto(live_server.url + target)
    if then == "submit":
        page.once("dialog", lambda dialog: dialog.accept())
        button = page.locator("form button[type=submit]", has_text="提交审核")
        if not button.count():
            button = page.locator("main form[enctype], main form[novalidate]").last.locator(
                "button[type=submit]").last
        button.click()
        expect(page.locator(".form-errors")).to_be_visible()
    page.wait_for_load_state("load")


LAYOUT = """() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) {
    const wide = [...document.querySelectorAll("body *")].filter(el => {
      const r = el.getBoundingClientRect();
      return r.right > window.innerWidth + 1 && !el.parentElement.closest(".table-wrap, .menu, .view-tabs");
    }).slice(0, 5).map(el => el.tagName.toLowerCase() + "." + el.className + "#" + el.id);
    problems.push(`scrolls sideways: ${doc.scrollWidth} > ${window.innerWidth} ${wide.join(", ")}`);
  }
  // header links and buttons on one line each (no wrapping mid-word)
  document.querySelectorAll(".topbar a, .topbar button, .menu a, .view-tabs a").forEach(el => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) problems.push("wraps: " + node.textContent.trim());
    }
  });
  if (window.innerWidth <= 720) {
    // labels above their fields, buttons of a form across its width
    document.querySelectorAll(".field").forEach(field => {
      const label = field.querySelector(":scope > label");
      const control = field.querySelector(":scope > .control");
      if (label && control && label.offsetParent &&
          label.getBoundingClientRect().bottom > control.getBoundingClientRect().top + 1)
        problems.push("label beside its field: " + label.textContent.trim());
    });
    document.querySelectorAll(".actions .btn").forEach(btn => {
      const box = btn.parentElement.getBoundingClientRect();
      if (btn.offsetParent && btn.getBoundingClientRect().width < box.width - 2)
        problems.push("button not full width: " + btn.textContent.trim());
    });
  }
  return problems;
}"""


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_page_fits_and_passes_axe(browser, live_server, world, tmp_path, size):
    viewport = PHONE if size == "phone" else DESKTOP
    problems = []
    console: list[str] = []
    contexts = {}
    try:
        for actor, name, path in _pages(world):
            if actor not in contexts:
                contexts[actor] = _signed_in(browser, live_server, world.get(actor), viewport)
                contexts[actor].new_page().on("console", lambda msg: console.append(msg.text))
            page = contexts[actor].pages[0]
            console.clear()
            _open(page, live_server, path)
            assert page.url.startswith(live_server.url + path.partition("#")[0]), (name, page.url)
            page.screenshot(path=str(tmp_path / f"{size}-{name}.png"), full_page=True)
            problems += [f"{name}: {p}" for p in page.evaluate(LAYOUT)]
            problems += [f"{name}: {v}" for v in violations(page)]
            # the site's Content-Security-Policy (no inline script or style) blocked nothing
            problems += [f"{name}: {m}" for m in console if "Content Security Policy" in m]
    finally:
        for context in contexts.values():
            context.close()
    print(f"screenshots: {tmp_path}")
    assert not problems, "\n".join(problems)
