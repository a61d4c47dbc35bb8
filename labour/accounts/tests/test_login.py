from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone

from labour.accounts.models import User
from labour.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def login(client, username, password, kind="authority"):
    return client.post("/", {"kind": kind, f"{kind}-username": username,
                             f"{kind}-password": password})


def test_login_page_has_three_parts_and_the_certification_button(client):
    html = client.get("/").content.decode()
    for part in ("企业", "项目", "主管部门"):
        assert f">{part}</button>" in html
    enterprise_part = html.split('id="part-enterprise"')[1].split("</section>")[0]
    assert ">账号认证</a>" in enterprise_part
    project_part = html.split('id="part-project"')[1].split("</section>")[0]
    assert '<a class="btn btn-secondary" href="/certification/project/">账号认证</a>' in project_part


def test_authority_logs_in_and_the_session_id_changes(client, authority):
    client.get("/")
    before = client.session.session_key or client.cookies.get("sessionid")
    response = login(client, "zz_reviewer", "Review2026")
    assert response.status_code == 302
    assert client.session.session_key != before
    assert AuditEvent.objects.filter(action=Action.LOGIN_SUCCESS, actor=authority).exists()
    assert "企业账号认证审核" in client.get("/home/", follow=True).content.decode()


def test_wrong_part_of_the_login_page_is_refused(client, authority):
    response = login(client, "zz_reviewer", "Review2026", kind="enterprise")
    assert "账号或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_for_thirty_minutes(client, authority):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(4):
            assert "账号或密码错误" in login(client, "zz_reviewer", "wrong1").content.decode()
        assert "已锁定" in login(client, "zz_reviewer", "wrong1").content.decode()
        # locked: even the right password is refused
        assert "已锁定" in login(client, "zz_reviewer", "Review2026").content.decode()
        assert AuditEvent.objects.filter(action=Action.LOCKOUT).count() == 1
        assert AuditEvent.objects.filter(action=Action.LOGIN_FAILURE).count() == 6
        traveller.move_to(start + timedelta(minutes=29))
        assert "已锁定" in login(client, "zz_reviewer", "Review2026").content.decode()
        traveller.move_to(start + timedelta(minutes=31))
        assert login(client, "zz_reviewer", "Review2026").status_code == 302


def test_a_success_resets_the_failure_count(client, authority):
    for _ in range(4):
        login(client, "zz_reviewer", "wrong1")
    assert login(client, "zz_reviewer", "Review2026").status_code == 302
    client.post("/logout/")
    for _ in range(4):
        login(client, "zz_reviewer", "wrong1")
    assert login(client, "zz_reviewer", "Review2026").status_code == 302


def test_unknown_accounts_answer_like_real_ones(client, authority, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "login-unknown"}}
    answers_real = [login(client, "zz_reviewer", "wrong1").content.decode().count("账号或密码错误")
                    for _ in range(4)]
    answers_fake = [login(client, "nobody", "wrong1").content.decode().count("账号或密码错误")
                    for _ in range(4)]
    assert answers_real == answers_fake
    assert "已锁定" in login(client, "nobody", "wrong1").content.decode()


def test_lock_settings_are_configurable(client, authority, settings):
    settings.LOGIN_MAX_FAILURES = 2
    login(client, "zz_reviewer", "wrong1")
    assert "已锁定" in login(client, "zz_reviewer", "wrong1").content.decode()
    assert User.objects.get(pk=authority.pk).locked_until is not None


def test_idle_sessions_end_after_thirty_minutes():
    # the expiry moves with activity, saved at most once a minute (labour/core/tests/test_sessions.py)
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is False
    assert django_settings.SESSION_REFRESH_SECONDS == 60


def test_idle_session_expires(client, authority, settings):
    # database sessions follow time-machine's clock (Redis keeps its own: the time to
    # live of a session in Redis is tested in labour/core/tests/test_sessions.py)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        login(client, "zz_reviewer", "Review2026")
        traveller.move_to(start + timedelta(minutes=20))
        assert client.get("/certification/review/").status_code == 200  # activity renews it
        traveller.move_to(start + timedelta(minutes=45))
        assert client.get("/certification/review/").status_code == 200
        traveller.move_to(start + timedelta(minutes=76))
        assert client.get("/certification/review/").status_code == 404  # logged out


def test_logout_needs_post(client, authority):
    login(client, "zz_reviewer", "Review2026")
    assert client.get("/logout/").status_code == 405
    client.post("/logout/")
    assert "_auth_user_id" not in client.session
