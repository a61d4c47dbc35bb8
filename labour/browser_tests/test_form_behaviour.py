"""The small scripts of app.js that users meet in forms: 退回 checks its reason before
the confirmation dialog, a text field says 「最多可输入N个字」 at its limit, an upload
over the size limit is refused beside its field; and the axe harness itself finds a
violation when there is one (so that the layout test's silence means something)."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from labour.browser_tests.a11y import violations
from labour.factories import AuthorityFactory, EnterpriseApplicationFactory
from labour.reviews.choices import ReviewStatus

pytestmark = pytest.mark.browser


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


def test_return_checks_the_reason_before_the_dialog(page, live_server, transactional_db,
                                                    server_idle):
    application = EnterpriseApplicationFactory(region_code="410102")
    _sign_in(page, live_server, AuthorityFactory())
    page.goto(f"{live_server.url}/certification/review/{application.number}/")
    dialogs, accept = [], []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("button", name="退回").click()
    error = page.locator("#id_reason_error")
    expect(error).to_have_text("请填写退回原因（或选择常用原因）")
    expect(page.locator("#row_reason")).to_have_class("field required has-error")
    expect(page.get_by_label("退回原因", exact=True)).to_be_focused()
    assert dialogs == []  # no confirmation for a return without a reason
    page.get_by_label("账号管理员授权书未加盖公章").check()
    expect(error).to_have_count(0)
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_role("button", name="退回")).to_be_enabled()
    assert dialogs == ["确认退回？退回原因将以短信发送给账号管理员。"]
    with server_idle:
        application.refresh_from_db()
        assert application.status == ReviewStatus.SUBMITTED  # dismissed: nothing sent
    # confirmed: returned with the ticked reason and the typed one
    accept.append(True)
    page.get_by_label("退回原因", exact=True).fill("请盖章后重新上传")
    page.get_by_role("button", name="退回").click()
    expect(page.locator(".msg-success")).to_contain_text("已退回")
    with server_idle:
        application.refresh_from_db()
        assert application.status == ReviewStatus.RETURNED
        assert application.return_reason == "账号管理员授权书未加盖公章；请盖章后重新上传"


def test_a_text_field_says_its_limit_and_a_big_file_is_refused_at_once(page, live_server,
                                                                      transactional_db, settings,
                                                                      tmp_path):
    settings.UPLOAD_MAX_BYTES = 2048
    page.goto(f"{live_server.url}/certification/enterprise/")
    name = page.get_by_label("单位名称")
    name.fill("长" * 250)
    assert len(name.input_value()) == 200
    expect(page.locator("#id_name_limit")).to_have_text("最多可输入200个字")
    name.fill("郑州某建筑有限公司")
    expect(page.locator("#id_name_limit")).to_have_count(0)
    big = tmp_path / "营业执照.jpg"
    big.write_bytes(b"\xff\xd8" + b"0" * 5000)
    page.get_by_label("证书上传").set_input_files(big)
    expect(page.locator("#id_certificate_size")).to_contain_text("文件“营业执照.jpg”超过")
    assert page.get_by_label("证书上传").input_value() == ""


def test_the_axe_harness_reports_a_violation(page):
    page.set_content('<html lang="zh-CN"><body><main><input type="text">'
                     '<a href="/x"></a><p style="color:#aaa;background:#fff">浅灰文字</p>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                     '<span id="a"></span><span id="a"></span></main></body></html>')
    found = " ".join(violations(page))
    for rule in ("label", "link-name", "color-contrast", "image-alt"):
        assert f"{rule}:" in found, (rule, found)
