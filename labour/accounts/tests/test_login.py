from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone

from labour.audit.models import Action, AuditEvent
from labour.testing import assert_sent_to_login

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
    assert "已锁定" in login(client, "zz_reviewer", "Review2026").content.decode()


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
        # logged out: the login page, saying so, then back to the queue
        assert_sent_to_login(client.get("/certification/review/"), "/certification/review/",
                             "authority")
        page = client.get("/", {"next": "/certification/review/", "part": "authority"})
        assert "登录已过期，请重新登录" in page.content.decode()


def test_logout_needs_post(client, authority):
    login(client, "zz_reviewer", "Review2026")
    assert client.get("/logout/").status_code == 405
    client.post("/logout/")
    assert "_auth_user_id" not in client.session


def _from(address):
    from django.test import Client

    return Client(REMOTE_ADDR=address)


def test_a_lock_holds_for_the_address_that_guessed_not_for_the_owner(authority):
    """Enterprise login names are public credit codes: five wrong passwords from one
    address must not keep the owner out from another."""
    attacker, owner = _from("10.66.0.1"), _from("10.77.0.2")
    for _ in range(5):
        login(attacker, "zz_reviewer", "wrong1")
    assert "已锁定" in login(attacker, "zz_reviewer", "Review2026").content.decode()
    assert login(owner, "zz_reviewer", "Review2026").status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOCKOUT).get().ip == "10.66.0.1"


def test_one_address_trying_many_accounts_is_throttled(authority, settings):
    settings.LOGIN_IP_HOURLY_FAILURES = 10
    client = _from("10.66.0.9")
    answers = [login(client, f"guess{i}", "wrong1").content.decode() for i in range(12)]
    assert all("账号或密码错误" in a for a in answers[:10])
    assert "登录尝试过于频繁" in answers[10] and "登录尝试过于频繁" in answers[11]
    # even the right password is refused from there for the hour; others are not
    assert "登录尝试过于频繁" in login(client, "zz_reviewer", "Review2026").content.decode()
    assert login(_from("10.66.0.10"), "zz_reviewer", "Review2026").status_code == 302


def test_resetting_by_sms_code_lifts_the_locks_of_every_address(authority, client):
    from labour.accounts.services import _forget_failures

    for _ in range(5):
        login(client, "zz_reviewer", "wrong1")
    assert "已锁定" in login(client, "zz_reviewer", "Review2026").content.decode()
    _forget_failures("zz_reviewer")  # what reset_password does once the code is proven
    assert login(client, "zz_reviewer", "Review2026").status_code == 302


def test_unknown_accounts_cost_the_same_password_check(authority, monkeypatch):
    """The time of the answer must not tell whether an account exists: an unknown one
    goes through one password hashing too."""
    from django.contrib.auth import hashers

    checks = []
    original = hashers.check_password
    monkeypatch.setattr("labour.accounts.services.check_password",
                        lambda *a, **k: checks.append("dummy") or original(*a, **k))
    login(_from("10.1.0.1"), "nobody-at-all", "wrong1")
    assert checks == ["dummy"]


def test_an_enterprise_accounts_page_loads_its_enterprise_with_the_user(client, authority):
    """One query for the account and its enterprise (AccountBackend), not one each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from labour.testing import enterprise_account

    user = enterprise_account(authority, 601, "13700000601")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/projects/my/").content.decode()
    assert "我的项目" in html
    loads = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    assert len(loads) == 1 and '"enterprises_enterprise"' in loads[0]
    assert not any(q["sql"].startswith('SELECT "enterprises_enterprise"')
                   for q in queries.captured_queries)


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, authority):
    client.force_login(authority)
    assert client.get("/home/").status_code == 200
    authority.is_active = False
    authority.save()
    assert_sent_to_login(client.get("/home/"), "/home/", "")


def test_the_production_server_makes_the_dummy_hash_before_its_workers_fork():
    """config/gunicorn.py's when_ready (master, app preloaded) fills it, so that the first
    unknown-account login in a worker costs one check, as a known account's does."""
    import runpy
    from pathlib import Path

    from labour.accounts import services

    config = runpy.run_path(str(Path(django_settings.BASE_DIR) / "config" / "gunicorn.py"))
    assert config["preload_app"] is True
    services._DUMMY_HASH.clear()
    config["when_ready"](None)
    assert len(services._DUMMY_HASH) == 1
    made = services._DUMMY_HASH[0]
    services._burn_a_check("Nope12345x")
    assert services._DUMMY_HASH == [made]  # not made again at a login
