import pytest
from django.test import Client

from labour.accounts.models import User
from labour.accounts.passwords import check_password_rule, random_password
from labour.audit.models import Action, AuditEvent
from labour.certification.services import approve_application
from labour.testing import (
    application_data,
    assert_sent_to_login,
    latest_code,
    password_from_sms,
    sms_texts,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise_account(authority):
    data = application_data(name="洛阳鹏普建材有限公司", phone="13812345678")
    application = submit(data)
    approve_application(actor=authority, number=application.number)
    password = password_from_sms(sms_texts(data.admin_phone)[-1])
    return User.objects.get(username=data.credit_code), password


def login(client, username, password):
    return client.post("/", {"kind": "enterprise", "enterprise-username": username,
                             "enterprise-password": password})


def change(client, old, new, confirm=None):
    return client.post("/account/password/", {"old_password": old, "new_password": new,
                                              "confirm_password": confirm or new})


@pytest.mark.parametrize("password", ["abc123", "A1b2C3d4E5f6G7h8I9j0", "Zz9999"])
def test_passwords_within_the_rule(password):
    check_password_rule(password)


@pytest.mark.parametrize("password,reason", [
    ("ab12", "长度"), ("A1b2C3d4E5f6G7h8I9j0k", "长度"), ("abcdefg", "同时包含"),
    ("1234567", "同时包含"), ("abc 123", "只能"), ("abc123!", "只能"), ("密码abc123", "只能"),
])
def test_passwords_outside_the_rule(password, reason):
    with pytest.raises(Exception, match=reason):
        check_password_rule(password)


def test_random_passwords_satisfy_the_rule():
    for _ in range(200):
        check_password_rule(random_password())


def test_first_login_forces_the_password_change(client, enterprise_account):
    user, password = enterprise_account
    assert user.must_change_password
    assert login(client, user.username, password)["Location"] == "/home/"
    response = client.get("/enterprise/")
    assert response.status_code == 302 and response["Location"] == "/account/password/"
    page = client.get("/account/password/").content.decode()
    for text in ("修改密码", "您的账号", "洛阳鹏普建材有限公司", "旧密码", "新密码", "确认新密码",
                 ">取消<", ">确认<", "密码长度6-20位,数字、字母的组合", "账号认证通过的短信随机密码"):
        assert text in page, text
    for path in ("/certification/review/", "/home/", "/certification/enterprise/"):
        assert client.get(path)["Location"] == "/account/password/"


def test_change_password_rules(client, enterprise_account):
    user, password = enterprise_account
    login(client, user.username, password)
    assert "旧密码不正确" in change(client, "wrong9", "Newpass1").content.decode()
    assert "不一致" in change(client, password, "Newpass1", "Newpass2").content.decode()
    assert "同时包含" in change(client, password, "onlyletters").content.decode()
    assert "不能与旧密码相同" in change(client, password, password).content.decode()
    assert User.objects.get(pk=user.pk).must_change_password
    response = change(client, password, "Newpass1")
    assert response.status_code == 302
    assert client.get("/enterprise/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED, actor=user).count() == 1


def test_change_ends_every_other_session_and_needs_the_new_password(client, enterprise_account):
    user, password = enterprise_account
    other = Client()
    login(other, user.username, password)
    login(client, user.username, password)
    change(client, password, "Newpass1")
    assert client.get("/enterprise/").status_code == 200  # this session stays
    # the other one has ended: back to the login page
    assert_sent_to_login(other.get("/enterprise/"), "/enterprise/", "enterprise")
    fresh = Client()
    assert "账号或密码错误" in login(fresh, user.username, password).content.decode()
    assert login(fresh, user.username, "Newpass1").status_code == 302
    assert fresh.get("/enterprise/").status_code == 200


def test_cancel_on_the_forced_change_logs_out(client, enterprise_account):
    user, password = enterprise_account
    login(client, user.username, password)
    page = client.get("/account/password/").content.decode()
    assert 'form="cancel-form"' in page
    client.post("/logout/")
    assert "_auth_user_id" not in client.session


def test_forgot_password_resets_with_an_sms_code(client, enterprise_account):
    user, _ = enterprise_account
    response = client.post("/account/forgot/code/", {"username": user.username.lower(),
                                                     "phone": "13812345678"})
    assert response.json()["ok"]
    code = latest_code("13812345678")
    response = client.post("/account/forgot/", {
        "username": user.username, "admin_phone": "13812345678", "code": code,
        "new_password": "Reset2026", "confirm_password": "Reset2026"})
    assert response.status_code == 302
    assert login(Client(), user.username, "Reset2026").status_code == 302
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET).count() == 1
    # the code was used up
    response = client.post("/account/forgot/", {
        "username": user.username, "admin_phone": "13812345678", "code": code,
        "new_password": "Again2026", "confirm_password": "Again2026"})
    assert response.status_code == 200 and "请先获取验证码" in response.content.decode()


def test_forgot_password_does_not_reveal_accounts(client, enterprise_account):
    user, _ = enterprise_account
    sent_before = len(sms_texts("13899990000"))
    real = client.post("/account/forgot/code/", {"username": user.username,
                                                 "phone": "13812345678"}).json()
    fake = client.post("/account/forgot/code/", {"username": "nobody",
                                                 "phone": "13899990000"}).json()
    assert real["message"] == fake["message"] and real["ok"] == fake["ok"] is True
    assert len(sms_texts("13899990000")) == sent_before  # nothing sent to a stranger
    response = client.post("/account/forgot/", {
        "username": "nobody", "admin_phone": "13899990000", "code": "123456",
        "new_password": "Reset2026", "confirm_password": "Reset2026"})
    assert "验证码错误" in response.content.decode()


def test_create_account_makes_enterprise_and_project_accounts_only(db):
    from labour.accounts.services import create_account
    from labour.audit.models import Action, AuditEvent
    from labour.core.roles import AccountKind
    from labour.factories import AuthorityFactory, EnterpriseFactory, ProjectFactory

    reviewer = AuthorityFactory()
    enterprise, project = EnterpriseFactory(), ProjectFactory()
    user, password = create_account(actor=reviewer, kind=AccountKind.PROJECT, username="XM123456",
                                    admin_phone="13512345678", display_name="测试",
                                    enterprise=enterprise, project=project)
    assert user.check_password(password) and user.must_change_password
    assert (user.kind, user.enterprise, user.project) == (AccountKind.PROJECT, enterprise, project)
    event = AuditEvent.objects.get(action=Action.ACCOUNT_CREATED)
    assert event.actor == reviewer and password not in str(event.detail)
    with pytest.raises(ValueError):
        create_account(actor=reviewer, kind=AccountKind.AUTHORITY, username="x",
                       display_name="x", admin_phone="", enterprise=None)
