"""实名制用工 walked in Chromium (issue 8): a labour subcontractor's project account
creates a team, adds a worker by hand, imports a file with two bad rows, fixes it
and imports it, records 进场 and 退场; the general contractor then reads that
roster and cannot edit it; another participant gets 404. The roster also fits a
390 px phone."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from labour.browser_tests.steps import login, logout, write_files
from labour.factories import (
    PASSWORD,
    EnterpriseAccountFactory,
    EnterpriseFactory,
    ParticipantFactory,
    ProjectAccountFactory,
    ProjectFactory,
)
from labour.testing import jpeg_bytes
from labour.workforce.importing import COLUMNS
from labour.workforce.rules import make_resident_id

pytestmark = pytest.mark.browser

TODAY = dt.date.today()
KEYS = [c.key for c in COLUMNS]
LONG = 15_000


def _number(seq):
    return make_resident_id("410102", dt.date(1988, 8, 8), seq)


@pytest.fixture
def project_world(db, server_idle):
    with server_idle:
        gc = EnterpriseFactory(name="郑州总包建设有限公司", region_code="410102")
        lab = EnterpriseFactory(name="郑州劳务分包有限公司", region_code="410102")
        owner = EnterpriseFactory(name="郑州建设单位有限公司", region_code="410102")
        project = ProjectFactory(name="郑州实名制演示项目", region_code="410102", info_status="approved",
                                 units={"general_contractor": gc, "owner": owner})
        ParticipantFactory(project=project, role="labour_subcontractor", enterprise=lab)
        return {
            "project": project,
            "lab_project": ProjectAccountFactory(enterprise=lab, project=project, username="XM700001"),
            "gc_project": ProjectAccountFactory(enterprise=gc, project=project, username="XM700002"),
            "owner": EnterpriseAccountFactory(enterprise=owner),
        }


def _row(number, name, **overrides):
    row = {"name": name, "id_type": "居民身份证", "id_number": number, "nation": "汉族",
           "grant_org": "郑州市公安局", "id_valid_from": "2020-01-01", "id_valid_until": "长期",
           "address": "郑州市中原区某村", "phone": "13600001111", "politics_type": "群众",
           "culture_level": "初中", "team": "钢筋一班", "work_role": "建筑工人", "work_type": "020 钢筋工",
           "is_team_leader": "否", "safety_training_date": "2026-01-05", "has_insurance": "是"}
    row.update(overrides)
    return row


def _fill(template_path, rows, out_path):
    book = load_workbook(template_path)
    sheet = book["人员名单"]
    for r, row in enumerate(rows, start=2):
        for c, key in enumerate(KEYS, start=1):
            if key in row:
                sheet.cell(row=r, column=c, value=row[key])
    book.save(out_path)
    return out_path


def test_labour_subcontractor_keeps_its_roster_and_the_contractor_reads_it(
        page, live_server, server_idle, project_world, tmp_path):
    code = project_world["project"].code
    files = write_files(tmp_path, {"photo": ("本人照片.jpg", jpeg_bytes((600, 800)))})
    login(page, live_server, "project", "项目", "XM700001", PASSWORD)

    # 班组管理 → 新建班组
    page.get_by_role("link", name="班组管理").first.click()
    page.get_by_role("link", name="新建班组").click()
    page.get_by_label("班组名称").fill("钢筋一班")
    page.get_by_label("责任人姓名").fill("赵责任")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#teams")).to_contain_text("钢筋一班")

    # 人员管理 → 新增人员, two steps
    page.get_by_role("navigation", name="功能").get_by_role("link", name="人员管理").click()
    page.get_by_role("link", name="新增人员").click()
    page.get_by_label("姓名").fill("周大力")
    page.get_by_label("证件号码").fill(_number(1).lower())
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="本项目信息")).to_be_visible()
    page.get_by_label("民族").select_option(label="汉族")
    page.get_by_label("发证机关").fill("郑州市公安局中原分局")
    page.get_by_label("证件有效期开始").fill("2019-03-01")
    page.get_by_label("长期").check()
    page.get_by_label("住址").fill("河南省郑州市中原区某路1号")
    page.get_by_label("手机号", exact=True).fill("13612345678")
    page.get_by_label("政治面貌").select_option(label="群众")
    page.get_by_label("文化程度").select_option(label="初中")
    page.get_by_label("本人照片").set_input_files(files["photo"])
    page.get_by_label("班组", exact=True).select_option(label="钢筋一班")
    page.get_by_label("工种").select_option(label="020 钢筋工")
    page.get_by_label("基本安全培训日期").fill((TODAY - dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="周大力")).to_be_visible(timeout=LONG)
    masked = _number(1)[:6] + "********" + _number(1)[-4:]
    expect(page.locator("#id-number")).to_have_text(masked)

    # 批量导入: the template, a file with two bad rows, then the fixed file
    page.get_by_role("link", name="批量导入").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载模板").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    template = tmp_path / "模板.xlsx"
    download.save_as(template)
    bad = _fill(template, [
        _row(_number(3), "吴一"),
        _row(int(_number(5)) if _number(5)[-1] != "X" else int(_number(7)), "郑二"),  # Excel made it a number
        _row(_number(9)[:-1] + ("0" if _number(9)[-1] != "0" else "1"), "王三"),      # wrong check digit
    ], tmp_path / "人员名单.xlsx")
    page.get_by_label("人员名单文件").set_input_files(bad)
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("#job-summary")).to_contain_text("不能导入 2 行", timeout=LONG)
    refusals = page.locator("#refusals")
    expect(refusals).to_contain_text("身份证号被 Excel 转为数字，请将该列设为文本格式后重新填写")
    expect(refusals).to_contain_text("校验位不正确")
    expect(refusals.locator("tbody tr").first).to_contain_text("3")
    fixed = _fill(template, [_row(_number(3), "吴一"), _row(_number(11), "郑二"),
                             _row(_number(13), "王三")], tmp_path / "人员名单（改正）.xlsx")
    page.get_by_role("link", name="改正后重新上传").click()
    page.get_by_label("人员名单文件").set_input_files(fixed)
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("#job-summary")).to_contain_text("可导入 3 行", timeout=LONG)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认导入").click()
    roster = page.locator("#roster")
    for name in ("周大力", "吴一", "郑二", "王三"):
        expect(roster).to_contain_text(name, timeout=LONG)

    # the phone: the roster scrolls inside its box, the page does not
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    # 合同, then 进场 and 退场
    roster.get_by_role("link", name="周大力").click()
    page.get_by_role("link", name="登记合同").click()
    page.get_by_label("开始日期").fill((TODAY - dt.timedelta(days=10)).isoformat())
    page.get_by_label("结束日期").fill((TODAY + dt.timedelta(days=300)).isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#contract")).to_contain_text("劳动合同")
    page.get_by_role("link", name="进场", exact=True).click()
    page.get_by_label("日期", exact=True).fill((TODAY - dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="登记进场").click()
    expect(page.get_by_role("heading", name="周大力")).to_contain_text("在场")
    page.get_by_role("link", name="退场", exact=True).click()
    page.get_by_label("日期", exact=True).fill((TODAY - dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="登记退场").click()
    expect(page.locator(".form-errors, .error").first).to_contain_text("不能早于上一次进场日期")
    page.get_by_label("日期", exact=True).fill(TODAY.isoformat())
    page.get_by_role("button", name="登记退场").click()
    expect(page.get_by_role("heading", name="周大力")).to_contain_text("已退场")
    expect(page.locator("#events tbody tr")).to_have_count(2)
    worker_url = page.url
    logout(page, live_server)

    # the general contractor reads the roster, cannot edit it
    login(page, live_server, "project", "项目", "XM700002", PASSWORD)
    page.goto(f"{live_server.url}/workforce/roster/{code}/")
    for name in ("周大力", "吴一", "郑二", "王三"):
        expect(page.locator("#roster")).to_contain_text(name)
    page.goto(worker_url)
    expect(page.get_by_role("heading", name="周大力")).to_be_visible()
    expect(page.locator("#id-number")).to_have_text(masked)
    expect(page.get_by_role("button", name="查看完整信息")).to_have_count(0)
    expect(page.get_by_role("link", name="修改", exact=True)).to_have_count(0)
    response = page.goto(worker_url + "edit/")
    assert response.status == 404
    page.goto(f"{live_server.url}/workforce/roster/{code}/")
    logout(page, live_server)

    # another participant (the owner) gets 404 on that worker
    login(page, live_server, "enterprise", "企业", project_world["owner"].username, PASSWORD)
    response = page.goto(worker_url)
    assert response.status == 404
    expect(page.get_by_text("周大力")).to_have_count(0)
    with server_idle:
        from labour.workforce.models import ProjectWorker

        assert ProjectWorker.objects.filter(project=project_world["project"]).count() == 4
