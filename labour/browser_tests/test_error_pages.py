"""Error pages in a browser (issue 7 §2): Chinese, in the platform's layout (its
stylesheet applied), on a desktop and at 390 px, DEBUG off."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
BLUE = "rgb(29, 95, 167)"  # the top bar of base.html


def _in_layout(page, heading):
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(".topbar")).to_have_css("background-color", BLUE)
    expect(page.locator(".brand")).to_have_text("郑州市建设劳务服务平台")
    expect(page.get_by_role("link", name="返回首页")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_error_pages_in_a_browser(live_server, page, settings):
    settings.DEBUG = False
    response = page.goto(live_server.url + "/no/such/page/")
    assert response.status == 404
    _in_layout(page, "页面不存在")

    response = page.goto(live_server.url + "/certification/project/?unit=%00")
    assert response.status == 400
    _in_layout(page, "请求无效")

    # a form sent after its CSRF cookie is gone (another tab logged out, or it expired)
    page.goto(live_server.url + "/")
    page.context.clear_cookies()
    panel = page.locator("#part-enterprise")
    panel.get_by_label("账号", exact=True).fill("91410100000000001X")
    panel.get_by_label("密码", exact=True).fill("Abc12345")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        panel.get_by_role("button", name="登录企业账号").click()
    assert posted.value.status == 403
    _in_layout(page, "页面已过期，请刷新后重试")
    page.get_by_role("link", name="刷新页面").click()
    expect(page.get_by_role("tab", name="企业")).to_be_visible()

    settings.ROOT_URLCONF = "labour.core.tests.test_error_pages"  # it has a failing /boom/
    response = page.goto(live_server.url + "/boom/")
    assert response.status == 500
    _in_layout(page, "系统繁忙，请稍后重试")
    expect(page.locator(".request-id")).to_have_text(response.headers["x-request-id"])


@pytest.mark.django_db(transaction=True)
def test_error_page_fits_a_phone(live_server, browser, settings):
    settings.DEBUG = False
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/no/such/page/")
        _in_layout(page, "页面不存在")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
