"""Every URL of payroll × every actor (issue 9, Rules: visibility as for the roster):
the participant its own sheets; the general contractor every sheet of its project
(it confirms and pays them); the authority its jurisdiction, read only; everyone else
404 (a visitor not signed in: the login page). A refused POST changes nothing."""

from decimal import Decimal

import pytest

from labour.audit.models import AuditEvent
from labour.factories import ProjectInformationFactory, WageLineFactory, WageSheetFactory, WorkerEventFactory
from labour.payroll.models import Payment, SheetSubmission, WageLine, WageSheet
from labour.workforce.tests.helpers import world  # noqa: F401 - the roster's ten actors

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "city", "luoyang", "gc", "gc_project", "lab", "lab_project", "own", "out", "far"]
PROJECT = {"city", "gc", "gc_project", "lab", "lab_project", "own"}  # open the project's payroll page
READ = {"city", "gc", "gc_project", "lab", "lab_project"}           # read LAB's sheets
PAY = {"gc", "gc_project"}                                           # confirm and pay them
PREPARE = {"lab", "lab_project"}                                     # prepare them


@pytest.fixture
def sheets(world):  # noqa: F811
    ProjectInformationFactory(project=world["project"])  # its 工资专用账户 pays
    draft = WageSheetFactory(team=world["lab_team"], number="GZ202610000001")
    line = WageLineFactory(sheet=draft, gross_total=Decimal("6000.00"))
    WorkerEventFactory(worker=line.worker, kind="1", date=draft.month)
    confirmed = WageSheetFactory(team=world["lab_team"], number="GZ202609000001",
                                 month=draft.month.replace(month=9), status="confirmed")
    WageLineFactory(sheet=confirmed, worker=line.worker, gross_total=Decimal("6000.00"))
    paid = WageSheetFactory(team=world["lab_team"], number="GZ202607000001",
                            month=draft.month.replace(month=7), status="paid")
    WageLineFactory(sheet=paid, worker=line.worker, gross_total=Decimal("6000.00"), pay_status="paid")
    return {"draft": draft, "confirmed": confirmed, "paid": paid, "line": line}


def _client(client, world, actor):  # noqa: F811
    user = world["users"][actor]
    if user is not None:
        client.force_login(user)
    return client


def _urls(world, sheets):  # noqa: F811
    code, draft, confirmed = world["project"].code, sheets["draft"].number, sheets["confirmed"].number
    paid = sheets["paid"].number
    return {  # url → who gets 200 on GET
        f"/payroll/project/{code}/": PROJECT,
        f"/payroll/project/{code}/notice-board/": PROJECT,       # 维权信息告示牌
        f"/payroll/sheet/{draft}/": READ,
        f"/payroll/sheet/{confirmed}/": READ,
        f"/payroll/sheet/{draft}/print/": READ,                  # 打印工资支付表
        f"/payroll/sheet/{draft}/slips/": READ,                  # 工资清单
        f"/payroll/sheet/{paid}/voucher/": READ,                 # 代发凭证
        f"/payroll/sheet/{draft}/import/": PREPARE,              # 导入工资明细
        f"/payroll/sheet/{draft}/import/template/": PREPARE,
        f"/payroll/sheet/{confirmed}/bank-file/": PAY,
        f"/payroll/sheet/{confirmed}/payment/": PAY,
        f"/arrears/warnings/project/{code}/": {"city", "gc", "gc_project"},  # 欠薪预警 of the project
    }


LANDINGS = {  # pages of no one object: who gets 200 (the others 404, anonymous the login page)
    "/payroll/": {"city", "luoyang", "gc", "lab", "own", "out", "far"},
    "/arrears/warnings/": {"city", "luoyang"},
    "/arrears/enterprise/": {"gc", "gc_project", "lab", "lab_project", "own", "out", "far"},
}


@pytest.mark.parametrize("actor", ACTORS)
def test_landing_pages(client, world, actor):  # noqa: F811
    client = _client(client, world, actor)
    for url, allowed in LANDINGS.items():
        response = client.get(url)
        if actor == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/?next="), url
        elif url == "/payroll/" and actor in ("gc_project", "lab_project"):
            assert response.status_code == 302 and world["project"].code in response["Location"]
        else:
            assert response.status_code == (200 if actor in allowed else 404), (url, actor)
    # 「导出」 of 欠薪预警 is a read of the authority's own jurisdiction
    response = client.post("/arrears/warnings/export/")
    expected = 302 if actor == "anonymous" else 200 if actor in LANDINGS["/arrears/warnings/"] else 404
    assert response.status_code == expected, actor


@pytest.mark.parametrize("actor", ACTORS)
def test_get_matrix(client, world, sheets, actor):  # noqa: F811
    client = _client(client, world, actor)
    for url, allowed in _urls(world, sheets).items():
        response = client.get(url)
        if actor == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/?next="), url
            continue
        expected = 200 if actor in allowed else 404
        assert response.status_code == expected, (url, actor, response.status_code)
        if expected == 404:
            body = response.content.decode(errors="replace")
            assert "钢筋一班" not in body and sheets["draft"].number not in body


@pytest.mark.parametrize("actor", ACTORS)
def test_the_project_page_lists_only_what_the_actor_may_read(client, world, sheets, actor):  # noqa: F811
    response = _client(client, world, actor).get(f"/payroll/project/{world['project'].code}/")
    if actor not in PROJECT:
        return  # 404 or the login page: test_get_matrix
    listed = sheets["draft"].number in response.content.decode()
    assert listed == (actor in READ), actor


def _state():
    return (list(WageSheet.objects.order_by("pk").values_list("status", "line_count")),
            list(WageLine.objects.order_by("pk").values_list("days", "gross_total", "pay_status")),
            SheetSubmission.objects.count(), Payment.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize("actor", sorted(set(ACTORS) - PREPARE))
def test_refused_posts_change_nothing(client, world, sheets, actor):  # noqa: F811
    """The preparer's actions by anyone else, and the general contractor's decisions
    and payment by anyone but the general contractor: 404 (anonymous: the login page)."""
    client = _client(client, world, actor)
    submitted = WageSheetFactory(team=world["lab_team"], month=sheets["draft"].month.replace(month=8),
                                 status="submitted")
    draft, line = sheets["draft"].number, sheets["line"].pk
    before = _state()
    posts = [
        (f"/payroll/project/{world['project'].code}/", {"team": world["lab_team"].pk, "month": "2026-08"}),
        (f"/payroll/sheet/{draft}/", {"action": "save", "line": line, f"line-{line}-days": "3"}),
        (f"/payroll/sheet/{draft}/", {"action": "remove", "line_id": line}),
        (f"/payroll/sheet/{draft}/", {"action": "submit"}),
        (f"/payroll/sheet/{draft}/import/", {}),
    ]
    if actor not in PAY:
        posts += [
            (f"/payroll/sheet/{submitted.number}/", {"decision": "approve"}),
            (f"/payroll/sheet/{submitted.number}/", {"decision": "return", "reason": "金额有误"}),
            (f"/payroll/sheet/{sheets['confirmed'].number}/payment/",
             {"paid_on": "2026-10-10", "batch_number": "PC1"}),
        ]
    for url, data in posts:
        response = client.post(url, data)
        if actor == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/?next="), url
        elif "/project/" in url and actor in PROJECT:
            assert response.status_code == 200, (url, actor)  # no team of its own to pick: the form again
        else:
            assert response.status_code == 404, (url, data, actor, response.status_code)
    assert _state() == before


def test_no_wage_account_no_bank_file_but_a_message(client, world):  # noqa: F811
    """A confirmed sheet whose project information names no 工资专用账户: the general
    contractor is sent back to the sheet with the reason, never a server error."""
    confirmed = WageSheetFactory(team=world["lab_team"], status="confirmed")
    client.force_login(world["users"]["gc"])
    response = client.get(f"/payroll/sheet/{confirmed.number}/bank-file/", follow=True)
    assert response.redirect_chain[-1][0] == f"/payroll/sheet/{confirmed.number}/"
    assert "项目信息中没有工资专用账户" in response.content.decode()
