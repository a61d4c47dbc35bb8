"""Error pages (issue 7 §2) and NUL bytes (issue 10 §2): Chinese pages in the
platform's layout with DEBUG off, and a NUL byte anywhere answers 400, never 500."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import path

from labour.core.error_views import CSRF_TITLE

pytestmark = pytest.mark.django_db

LAYOUT = "郑州市建设劳务服务平台"


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom)]
# the platform's URLs and one that fails, for the 500 page
from config.urls import urlpatterns as _platform  # noqa: E402

urlpatterns = [*urlpatterns, *_platform]
handler400 = "labour.core.error_views.bad_request"
handler403 = "labour.core.error_views.permission_denied"
handler404 = "labour.core.error_views.page_not_found"
handler500 = "labour.core.error_views.server_error"


def _page(response):
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html and 'class="topbar"' in html and LAYOUT in html
    assert "Traceback" not in html and "Django" not in html
    return html


def test_404_is_a_chinese_page_in_the_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = _page(response)
    assert "页面不存在" in html and "返回首页" in html


def test_500_is_a_chinese_page_with_the_request_id(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_X_REQUEST_ID="req-0123456789")
    assert response.status_code == 500
    html = _page(response)
    assert "系统繁忙，请稍后重试" in html and "req-0123456789" in html
    assert response["X-Request-ID"] == "req-0123456789"


def test_500_page_falls_back_to_plain_html_when_the_layout_cannot_render(settings, monkeypatch):
    from labour.core import error_views

    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry for 'core/app.css'")

    monkeypatch.setattr(error_views.loader, "render_to_string", broken)
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500 and "系统繁忙，请稍后重试" in response.content.decode()


def test_csrf_failure_says_the_page_has_expired(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post("/", {"kind": "enterprise", "enterprise-username": "x"})
    assert response.status_code == 403
    html = _page(response)
    assert CSRF_TITLE == "页面已过期，请刷新后重试" and CSRF_TITLE in html
    assert 'href="/"' in html  # 刷新页面: the form again


def test_403_and_400_pages(settings, rf):
    from labour.core import error_views

    settings.DEBUG = False
    request = rf.get("/")
    html = error_views.permission_denied(request).content.decode()
    assert "无权访问" in html and LAYOUT in html
    response = error_views.bad_request(request)
    assert response.status_code == 400 and "请求无效" in response.content.decode()


def test_make_run_serves_with_debug_off_and_keeps_the_sms_outbox_page(client, settings):
    """make run: DEBUG off, the outbox backend; the simulated phone stays available."""
    settings.DEBUG = False
    settings.SMS_BACKEND = "outbox"
    assert client.get("/dev/sms/").status_code == 200
    settings.SMS_BACKEND = "aliyun"
    assert client.get("/dev/sms/").status_code == 404


# ------------------------------------------------------------------ NUL bytes

ANONYMOUS_GETS = [
    "/?part=%00", "/certification/project/?unit=%00", "/certification/project/?unit=a%00b",
    "/certification/project/projects/?unit=%00", "/certification/project/?from=%00",
    "/certification/enterprise/?from=%00", "/certification/region/?code=41%0001",
    "/certification/enterprise/submitted/%00/", "/certification/project/submitted/QY%00/",
    "/certification/progress/?x%00=1", "/account/forgot/?username=a%00b",
]
LOGGED_IN_GETS = [
    "/certification/review/?q=%00", "/certification/review/?page=%00",
    "/certification/review/QY%00/", "/certification/project/review/?page=%00",
    "/certification/project/review/XM%00/", "/projects/manage/?q=a%00b",
    "/projects/manage/?page=%00", "/projects/manage/%00/", "/projects/my/?page=%00",
    "/projects/my/%00/", "/projects/my/%00/information/", "/projects/review/?page=%00",
    "/projects/review/%00/", "/files/%00/", "/enterprise/?tab=%00", "/home/?next=%00",
]
POSTS = [
    ("/account/forgot/", {"username": "a\x00b", "admin_phone": "13800000000", "code": "123456",
                          "new_password": "Abc12345", "confirm_password": "Abc12345"}),
    ("/account/forgot/code/", {"username": "a\x00b", "phone": "13800000000"}),
    ("/", {"kind": "enterprise", "enterprise-username": "a\x00b",
           "enterprise-password": "x"}),
    ("/sms/code/", {"purpose": "enterprise_cert\x00", "phone": "13800000000"}),
    ("/certification/progress/", {"admin_phone": "1380000\x000000", "code": "1"}),
    ("/certification/project/", {"unit": "某公司\x00", "project": "XM1"}),
    ("/certification/enterprise/", {"name": "某公司\x00", "credit_code": "\x00"}),
]


def _assert_refused(response):
    assert response.status_code == 400, response.status_code
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    html = _page(response)
    assert "请求无效" in html


@pytest.fixture
def users(setup):
    authority = setup["authority"]
    return {"anonymous": None, "authority": authority, "enterprise": setup["gc"]}


@pytest.mark.parametrize("url", ANONYMOUS_GETS)
def test_nul_in_anonymous_urls_answers_400(client, settings, url):
    settings.DEBUG = False
    _assert_refused(client.get(url))


@pytest.mark.parametrize("actor", ["authority", "enterprise"])
def test_nul_in_logged_in_urls_answers_400(client, settings, users, actor):
    settings.DEBUG = False
    client.force_login(users[actor])
    for url in LOGGED_IN_GETS:
        response = client.get(url)
        assert response.status_code == 400, (url, response.status_code)
        assert "请求无效" in response.content.decode()


@pytest.mark.parametrize(("url", "data"), POSTS)
def test_nul_in_form_fields_answers_400(client, settings, url, data):
    settings.DEBUG = False
    _assert_refused(client.post(url, data))


def test_nul_in_a_file_name_is_dropped_and_in_a_cookie_answers_400(client, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # looked up by the cookie
    from django.core.files.uploadedfile import SimpleUploadedFile

    from labour.testing import png_bytes

    settings.DEBUG = False
    # Django's multipart parser removes non-printable characters from file names
    upload = SimpleUploadedFile("证书\x00.png", png_bytes(), content_type="image/png")
    response = client.post("/certification/enterprise/", {"certificate": upload})
    assert response.status_code == 200 and "请输入" in response.content.decode()
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    _assert_refused(client.get("/"))


def test_nul_changes_nothing(client, settings):
    from labour.audit.models import AuditEvent

    settings.DEBUG = False
    before = AuditEvent.objects.count()
    client.post("/", {"kind": "enterprise", "enterprise-username": "a\x00b",
                      "enterprise-password": "x"})
    assert AuditEvent.objects.count() == before
    assert not get_user_model().objects.filter(username__contains="a").exists()
