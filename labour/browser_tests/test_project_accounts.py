"""项目账号认证 walked in a real browser, as the seed (二) describes it: the authority
creates a project; the general contractor's applicant applies for a project account
and its enterprise account approves it; the project account (first login, forced
修改密码) completes the project information, adds a 劳务分包 unit and submits it;
the 劳务分包 unit may not apply until the authority has approved the information,
then applies and is approved by its own enterprise account."""

import re

import pytest
from playwright.sync_api import expect

from labour.browser_tests.steps import login, logout, write_files
from labour.testing import (
    enterprise_account,
    jpeg_bytes,
    latest_code,
    make_uscc,
    password_from_sms,
    png_bytes,
    sms_texts,
)

pytestmark = pytest.mark.browser

REVIEWER, REVIEWER_PASSWORD = "zz_reviewer", "Review2026"
ENTERPRISE_PASSWORD = "Qiye2026"  # noqa: S105 - a test account's password
PROJECT_PASSWORD = "Xiangmu2026"  # noqa: S105 - a test account's password
PROJECT = "郑州市中原区建设路保障性住房项目"
GC_ADMIN, GC_PHONE, GC_MASKED = "赵项目", "13600000701", "136****0701"
SUB_ADMIN, SUB_PHONE, SUB_MASKED = "孙劳务", "13600000703", "136****0703"
NOT_YET = "该项目信息尚未审核通过，专业承包/劳务分包单位暂不能进行项目账号认证"
LONG = 15_000  # ms; a page with uploads or image previews may take a moment


def _files(tmp_path):
    files = {
        "letter": ("项目授权书.jpg", jpeg_bytes(color=(180, 30, 30))),
        "front": ("身份证正面.png", png_bytes()),
        "back": ("身份证反面.jpg", jpeg_bytes(color=(90, 90, 90))),
        "board": ("维权信息告示牌.jpg", jpeg_bytes(color=(20, 120, 60))),
        "letter_sealed": ("劳务分包授权书.png", png_bytes(color=(200, 40, 40))),
    }
    return write_files(tmp_path, files)


def _open_application_form(page, live_server):
    """The login page → 项目 → 「账号认证」."""
    page.goto(live_server.url + "/")
    page.get_by_role("tab", name="项目").click()
    page.locator("#part-project").get_by_role("link", name="账号认证").click()
    expect(page).to_have_url(live_server.url + "/certification/project/")
    expect(page.get_by_role("heading", name="项目账号认证")).to_be_visible()


def _type_unit(page, unit_name, unit_code):
    """单位名称 and 统一社会信用代码, then leave the field: 项目名称 is filled from the
    server (fetch)."""
    page.get_by_label("单位名称").fill(unit_name)
    with page.expect_response(re.compile(r"/certification/project/projects/\?unit=.*&code=")):
        page.get_by_label("统一社会信用代码").fill(unit_code)
        page.get_by_label("统一社会信用代码").blur()


def _apply(page, live_server, server_idle, files, *, unit_name, unit_code, admin, phone, masked,
           letter):
    """Fill in 项目账号认证 for `unit_name` and submit it; returns the application number."""
    _open_application_form(page, live_server)
    _type_unit(page, unit_name, unit_code)
    project = page.get_by_label("项目名称")
    expect(project.get_by_role("option", name=PROJECT)).to_have_count(1)
    project.select_option(label=PROJECT)
    page.get_by_label("账号管理员授权书").set_input_files(letter)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载模板").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    assert download.path().read_bytes()[:2] == b"PK"  # a .docx is a zip
    page.get_by_label("账号管理员姓名").fill(admin)
    page.get_by_label("账号管理员手机号").fill(phone)
    page.get_by_label("身份证正面").set_input_files(files["front"])
    page.get_by_label("身份证反面").set_input_files(files["back"])

    page.get_by_role("button", name="获取验证码").click()
    button = page.locator("button.code-btn")
    expect(button).to_have_text(re.compile(r"^\d{1,2}秒后重新获取$"))
    expect(button).to_be_disabled()
    expect(page.locator(".code-status")).to_contain_text(f"验证码已发送至{masked}")
    with server_idle:
        assert "项目账号认证" in sms_texts(phone)[-1]
        code = latest_code(phone)
    page.get_by_label("验证码", exact=True).fill(code)
    page.get_by_role("button", name="立即认证").click()
    number = page.locator("#application-number")
    expect(number).to_have_text(re.compile(r"^XZ\d{13}$"), timeout=LONG)
    receipt = page.locator(".receipt dl.details")
    expect(receipt.locator("dt", has_text="单位名称")).to_be_visible()
    expect(receipt).to_contain_text(unit_name)
    expect(page.get_by_role("button", name="打印认证回执")).to_be_visible()
    expect(page.get_by_text(f"审核结果将以短信方式发送至账号管理员手机号 {masked}")).to_be_visible()
    return number.inner_text()


def _approve_application(page, live_server, credit_code, number):
    """The unit's enterprise account: 「项目账号审核」 → 审核 → 「通过」."""
    login(page, live_server, "enterprise", "企业", credit_code, ENTERPRISE_PASSWORD)
    page.get_by_role("link", name="项目账号审核").click()
    expect(page.get_by_role("heading", name="项目账号审核")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text(PROJECT)
    row.get_by_role("link", name="审核").click()
    expect(page).to_have_url(re.compile(rf"/certification/project/review/{number}/$"))
    images = page.locator(".previews img")
    expect(images).to_have_count(3)
    for i in range(3):
        expect(images.nth(i)).to_have_js_property("complete", True, timeout=LONG)
    page.get_by_role("button", name="通过", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已通过项目账号认证", timeout=LONG)
    expect(page.get_by_role("row").filter(has_text=number)).to_have_count(0)
    logout(page, live_server)


def _login_name(text):
    return re.search(r"登录名称：([A-Za-z0-9]+)", text).group(1)


@pytest.mark.django_db(transaction=True)
def test_project_accounts(live_server, server_idle, page, tmp_path):
    from labour.accounts.services import save_authority_user

    files = _files(tmp_path)
    page.on("dialog", lambda dialog: dialog.accept())  # 「通过」/「提交审核」 ask confirm()

    # 1. the authority's reviewer and three certified enterprises
    with server_idle:
        authority, _ = save_authority_user(actor=None, username=REVIEWER, region_code="410100",
                                           name="郑州市城乡建设局", password=REVIEWER_PASSWORD)
        units = {}
        for key, seq in (("gc", 701), ("owner", 702), ("labour", 703)):
            user = enterprise_account(authority, seq, f"137000{seq:05d}")
            user.set_password(ENTERPRISE_PASSWORD)
            user.save()
            units[key] = (user.enterprise.name, user.username)
    gc_name, gc_code = units["gc"]
    owner_name, owner_code = units["owner"]
    labour_name, labour_code = units["labour"]
    supervisor_code = make_uscc("410100", 704)  # not certified

    # 2. the authority creates the project
    login(page, live_server, "authority", "主管部门", REVIEWER, REVIEWER_PASSWORD)
    page.get_by_role("link", name="项目管理").click()
    page.get_by_role("link", name="新建项目").click()
    expect(page.get_by_role("heading", name="新建项目")).to_be_visible()
    page.get_by_label("项目名称").fill(PROJECT)
    page.get_by_label("所属区域").fill("410102")
    page.get_by_label("项目地址").fill("郑州市中原区建设路88号")
    page.get_by_label("项目类别").select_option(label="房屋建筑工程")
    page.get_by_label("建设性质").select_option(label="新建")
    page.get_by_label("总投资（万元）").fill("36000")
    page.get_by_label("建筑面积（㎡）").fill("120000.5")
    page.get_by_label("计划开工日期").fill("2026-12-01")
    page.get_by_label("计划竣工日期").fill("2028-12-31")
    page.get_by_label("施工总承包单位名称").fill(gc_name)
    page.get_by_label("施工总承包统一社会信用代码").fill(gc_code)
    page.get_by_label("建设单位名称").fill(owner_name)
    page.get_by_label("建设单位统一社会信用代码").fill(owner_code)
    page.get_by_label("监理单位名称").fill("郑州市某监理咨询有限公司")
    page.get_by_label("监理单位统一社会信用代码").fill(supervisor_code)
    page.get_by_role("button", name="创建项目").click()
    expect(page.get_by_role("status")).to_contain_text("项目已创建，项目编号", timeout=LONG)
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT)
    expect(page.get_by_role("heading", level=1)).to_contain_text("项目信息待完善")
    project_code = page.locator("dt", has_text="项目编号").locator("xpath=following-sibling::dd[1]")
    expect(project_code).to_have_text(re.compile(r"^XM410102\d+$"))
    code = project_code.inner_text()
    expect(page.get_by_role("status")).to_contain_text(code)
    for text in (gc_name, owner_name, "郑州市某监理咨询有限公司"):
        expect(page.get_by_role("row").filter(has_text=text)).to_have_count(1)
    logout(page, live_server)

    # 3. the general contractor's applicant: 项目 → 「账号认证」
    gc_number = _apply(page, live_server, server_idle, files, unit_name=gc_name, unit_code=gc_code,
                       admin=GC_ADMIN, phone=GC_PHONE, masked=GC_MASKED, letter=files["letter"])

    # 4. the general contractor's enterprise account approves it
    _approve_application(page, live_server, gc_code, gc_number)
    with server_idle:
        approved = sms_texts(GC_PHONE)[-1]
    assert PROJECT in approved
    gc_login = _login_name(approved)
    assert gc_login.startswith("XM")
    random_password = password_from_sms(approved)

    # 5. the project account: first login, 修改密码, 项目信息完善
    login(page, live_server, "project", "项目", gc_login, random_password)
    expect(page).to_have_url(live_server.url + "/account/password/")
    dialog = page.get_by_role("dialog", name="修改密码")
    dialog.get_by_label("旧密码").fill(random_password)
    dialog.get_by_label("新密码", exact=True).fill(PROJECT_PASSWORD)
    dialog.get_by_label("确认新密码").fill(PROJECT_PASSWORD)
    dialog.get_by_role("button", name="确认").click()
    expect(page).to_have_url(live_server.url + "/home/")
    expect(page.get_by_role("status")).to_contain_text("密码修改成功")
    expect(page.get_by_text(gc_login).first).to_be_visible()  # its own login name
    page.get_by_role("link", name="本项目").click()
    expect(page).to_have_url(live_server.url + "/projects/account/")
    expect(page.get_by_role("link", name="本项目")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT)
    expect(page.get_by_text("本单位在该项目中的参建类型：施工总承包")).to_be_visible()

    page.get_by_role("link", name="项目信息完善").click()
    expect(page.get_by_role("heading", name=re.compile("^项目信息完善"))).to_be_visible()
    info = page.locator("form").filter(has=page.get_by_role("button", name="提交审核"))
    info.get_by_label("项目经理姓名").fill("李经理")
    info.get_by_label("项目经理手机号").fill("13911110000")
    info.get_by_label("劳资专管员姓名").fill("王专管")
    info.get_by_label("劳资专管员手机号").fill("13922220000")
    info.get_by_label("合同金额（万元）").fill("28000.50")
    info.get_by_label("实际开工日期").fill("2026-12-05")
    info.get_by_label("开户银行").fill("中国建设银行郑州分行")
    info.get_by_label("账号", exact=True).fill("41050100000000001")
    info.get_by_label("户名", exact=True).fill(gc_name)
    info.get_by_label("工资保证金金额（万元）").fill("300")
    info.get_by_label("缴纳形式").select_option(label="银行保函")
    info.get_by_label("缴纳日期").fill("2026-11-20")
    info.get_by_label("维权信息告示牌").set_input_files(files["board"])
    info.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("项目信息已保存", timeout=LONG)
    expect(page.get_by_text("已上传：维权信息告示牌.jpg")).to_be_visible()

    adding = page.locator("form").filter(has=page.get_by_role("button", name="添加参建单位"))
    adding.get_by_label("参建类型").select_option(label="劳务分包")
    adding.get_by_label("单位名称").fill(labour_name)
    adding.get_by_label("统一社会信用代码").fill(labour_code)
    adding.get_by_label("分包内容").fill("主体结构劳务")
    adding.get_by_role("button", name="添加参建单位").click()
    expect(page.get_by_role("status")).to_contain_text(f"已添加参建单位：{labour_name}")
    labour_row = page.get_by_role("row").filter(has_text=labour_code)
    expect(labour_row).to_contain_text("劳务分包")
    expect(labour_row).to_contain_text("主体结构劳务")

    info = page.locator("form").filter(has=page.get_by_role("button", name="提交审核"))
    expect(info.get_by_label("项目经理姓名")).to_have_value("李经理")  # the saved draft
    info.get_by_role("button", name="提交审核").click()
    expect(page.get_by_role("status")).to_contain_text("项目信息已提交审核", timeout=LONG)
    expect(page.get_by_role("heading", name=re.compile("^项目信息完善"))).to_contain_text("待审核")
    expect(page.get_by_role("button", name="提交审核")).to_have_count(0)
    logout(page, live_server)

    # 6. the 劳务分包 unit may not apply yet: the project is listed with the reason
    _open_application_form(page, live_server)
    _type_unit(page, labour_name, labour_code)
    expect(page.locator("#blocked-projects")).to_contain_text(f"{PROJECT}：{NOT_YET}")
    expect(page.get_by_label("项目名称").get_by_role("option")).to_have_count(1)
    expect(page.get_by_label("项目名称").get_by_role("option", name=PROJECT)).to_have_count(0)

    # 7. the authority approves the project information
    login(page, live_server, "authority", "主管部门", REVIEWER, REVIEWER_PASSWORD)
    page.get_by_role("link", name="项目信息审核").click()
    expect(page.get_by_role("heading", name="项目信息审核")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text(gc_name)
    row.get_by_role("link", name="审核").click()
    expect(page).to_have_url(re.compile(rf"/projects/review/{code}/$"))
    expect(page.get_by_role("row").filter(has_text=labour_code)).to_contain_text("劳务分包")
    page.get_by_role("button", name="通过", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"已通过 {PROJECT} 的项目信息", timeout=LONG)
    expect(page.get_by_role("row").filter(has_text=code)).to_have_count(0)
    logout(page, live_server)

    # 8. now the 劳务分包 unit applies; its enterprise account approves it
    labour_number = _apply(page, live_server, server_idle, files, unit_name=labour_name,
                           unit_code=labour_code, admin=SUB_ADMIN, phone=SUB_PHONE, masked=SUB_MASKED,
                           letter=files["letter_sealed"])
    _approve_application(page, live_server, labour_code, labour_number)
    with server_idle:
        approved = sms_texts(SUB_PHONE)[-1]
    assert PROJECT in approved
    labour_login = _login_name(approved)
    assert labour_login.startswith("XM")
    assert labour_login != gc_login
    assert password_from_sms(approved)
