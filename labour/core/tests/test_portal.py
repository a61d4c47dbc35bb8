"""What every user expects of the portal: a home page per role, expired logins that
come back to the page, the enterprise's project accounts, 消息, 帮助, the footer."""

import pytest
from django.test import Client

from labour.audit.models import Action, AuditEvent
from labour.factories import (
    PASSWORD,
    AuthorityFactory,
    EnterpriseAccountFactory,
    EnterpriseApplicationFactory,
    ParticipantFactory,
    ProjectAccountApplicationFactory,
    ProjectAccountFactory,
    ProjectFactory,
    ProjectInfoSubmissionFactory,
    SmsMessageFactory,
)
from labour.notifications.choices import SmsTemplate
from labour.notifications.models import SmsMessage
from labour.notifications.services import render_sms
from labour.projects.choices import InfoStatus, ParticipantRole
from labour.testing import assert_sent_to_login, password_from_sms

pytestmark = pytest.mark.django_db


def _tiles(html):
    import re

    return dict((label, int(count)) for count, label in re.findall(
        r'<div class="tile-count">(\d+)</div><div class="tile-label">([^<]+)</div>', html))


def test_the_authority_home_counts_what_waits_with_links(client):
    city = AuthorityFactory(region_code="410100")
    EnterpriseApplicationFactory.create_batch(2, region_code="410102")
    EnterpriseApplicationFactory(region_code="410302")
    ProjectInfoSubmissionFactory(project=ProjectFactory(region_code="410105",
                                                        info_status=InfoStatus.SUBMITTED))
    ProjectFactory(region_code="410102")
    client.force_login(city)
    html = client.get("/home/").content.decode()
    assert _tiles(html) == {"待审核的企业账号认证": 2, "待审核的项目信息": 1, "管辖范围内的项目": 2,
                            "欠薪预警的项目月份": 0}
    assert 'href="/certification/review/"' in html and 'href="/projects/manage/"' in html


def test_the_enterprise_home_shows_its_projects_applications_and_accounts(client):
    account = EnterpriseAccountFactory()
    project = ProjectFactory(name="首页测试项目", units={"general_contractor": account.enterprise})
    ProjectAccountFactory(enterprise=account.enterprise, project=project)
    ProjectAccountApplicationFactory(enterprise=account.enterprise)
    client.force_login(account)
    html = client.get("/home/").content.decode()
    assert _tiles(html) == {"参建的项目": 1, "待审核的项目账号认证": 1, "本单位的项目账号": 1}
    assert "首页测试项目" in html and "施工总承包" in html


def test_the_project_account_home_shows_its_project_and_login_name(client):
    account = ProjectAccountFactory()
    ParticipantFactory(project=account.project, enterprise=account.enterprise,
                       role=ParticipantRole.LABOUR_SUBCONTRACTOR)
    client.force_login(account)
    html = client.get("/home/").content.decode()
    assert account.project.name in html and account.username in html and "劳务分包" in html


def test_an_expired_login_comes_back_to_the_page_after_logging_in(client):
    account = EnterpriseAccountFactory()
    assert_sent_to_login(client.get("/projects/my/?page=2"), "/projects/my/?page=2", "enterprise")
    page = client.get("/", {"next": "/projects/my/?page=2", "part": "enterprise"}).content.decode()
    assert "登录已过期，请重新登录" in page
    assert 'name="next" value="/projects/my/?page=2"' in page
    response = client.post("/", {"kind": "enterprise", "next": "/projects/my/?page=2",
                                 "enterprise-username": account.username,
                                 "enterprise-password": PASSWORD})
    assert response["Location"] == "/projects/my/?page=2"
    # the page it returns to may put back what was typed (once)
    assert "data-restore-typed" in client.get("/projects/my/").content.decode()
    assert "data-restore-typed" not in client.get("/projects/my/").content.decode()


def test_a_post_after_the_login_expired_goes_to_the_login_page_and_changes_nothing(client):
    response = client.post("/projects/manage/new/", {"name": "过期后提交的项目"})
    assert_sent_to_login(response, "/projects/manage/new/", "authority")


@pytest.mark.parametrize("target", ["https://example.com/x", "//example.com/", "javascript:alert(1)"])
def test_login_never_sends_elsewhere(client, target):
    account = EnterpriseAccountFactory()
    response = client.post("/", {"kind": "enterprise", "next": target,
                                 "enterprise-username": account.username,
                                 "enterprise-password": PASSWORD})
    assert response["Location"] == "/home/"


def test_the_enterprise_manages_its_own_project_accounts_only(client):
    account = EnterpriseAccountFactory()
    mine = ProjectAccountFactory(enterprise=account.enterprise, admin_phone="13611112222")
    theirs = ProjectAccountFactory(admin_phone="13633334444")
    client.force_login(account)
    page = client.get("/enterprise/accounts/project-accounts/").content.decode()
    assert mine.username in page and theirs.username not in page
    assert "136****2222" in page
    # 停用: cannot log in any more, audited; 启用 again
    client.post(f"/enterprise/accounts/project-accounts/{mine.username}/active/", {"active": "0"})
    mine.refresh_from_db()
    assert not mine.is_active
    other = Client()
    login = other.post("/", {"kind": "project", "project-username": mine.username,
                             "project-password": PASSWORD})
    assert login.status_code == 200 and "账号或密码错误" in login.content.decode()
    client.post(f"/enterprise/accounts/project-accounts/{mine.username}/active/", {"active": "1"})
    mine.refresh_from_db()
    assert mine.is_active
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_DISABLED, object_id=str(mine.pk)).exists()
    # 重置密码: a new random password by SMS to that account's administrator
    client.post(f"/enterprise/accounts/project-accounts/{mine.username}/reset/")
    mine.refresh_from_db()
    text = SmsMessage.objects.get(phone="13611112222",
                                  template=SmsTemplate.PROJECT_ACCOUNT_PASSWORD_RESET).text
    assert mine.check_password(password_from_sms(text)) and mine.must_change_password
    event = AuditEvent.objects.get(action=Action.ACCOUNT_PASSWORD_RESET)
    assert event.actor == account and "13611112222" not in str(event.detail)
    # another enterprise's account: 404, nothing changes
    for url in (f"/enterprise/accounts/project-accounts/{theirs.username}/active/",
                f"/enterprise/accounts/project-accounts/{theirs.username}/reset/"):
        assert client.post(url, {"active": "0"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active and not theirs.must_change_password
    # a project account or an authority has no such page
    for user in (ProjectAccountFactory(enterprise=account.enterprise), AuthorityFactory()):
        c = Client()
        c.force_login(user)
        assert c.get("/enterprise/accounts/project-accounts/").status_code == 404


def test_messages_mirror_the_sms_of_the_administrator_without_codes_or_passwords(client):
    account = EnterpriseAccountFactory(admin_phone="13655556666")
    params = {"name": "某公司", "username": account.username, "password": "Secret88"}
    SmsMessageFactory(phone="13655556666", template=SmsTemplate.ENTERPRISE_APPROVED, params=params,
                      text=render_sms(SmsTemplate.ENTERPRISE_APPROVED, params))
    SmsMessageFactory(phone="13655556666", template=SmsTemplate.VERIFY_CODE,
                      params={"code": "123456", "purpose": "x", "minutes": 5}, text="验证码为123456")
    SmsMessageFactory(phone="13677778888", template=SmsTemplate.PROJECT_INFO_APPROVED)
    client.force_login(account)
    html = client.get("/messages/").content.decode()
    assert "企业账号认证已审核通过" in html and account.username in html
    assert "Secret88" not in html and "123456" not in html and "******" in html
    assert "共 1 条" in html


def test_help_footer_and_favicon(client):
    html = client.get("/help/").content.decode()
    for text in ("企业账号认证", "项目账号认证", "获取验证码", "立即认证", "修改密码", "劳务分包/专业承包",
                 "主办单位：郑州市城乡建设局", "服务热线："):
        assert text in html, text
    assert 'rel="icon"' in html
    assert client.get("/favicon.ico").status_code == 301
    assert 'href="/help/"' in client.get("/").content.decode()



def test_districts_by_name_and_enterprises_as_you_type(client):
    from labour.factories import EnterpriseFactory

    html = client.get("/certification/enterprise/").content.decode()
    assert '<option value="410102">河南省 郑州市 中原区</option>' in html
    assert 'list="district-list"' in html
    EnterpriseFactory(name="郑州中原建工集团有限公司", credit_code="914101020000000044")
    city = AuthorityFactory(region_code="410100")
    client.force_login(city)
    page = client.get("/projects/manage/new/").content.decode()
    assert '<option value="410173">' in page and "data-enterprise-lookup" in page
    found = client.get("/enterprise/lookup/", {"q": "中原建工"}).json()["results"]
    assert found == [{"name": "郑州中原建工集团有限公司", "credit_code": "914101020000000044"}]
    assert client.get("/enterprise/lookup/", {"q": "91410102"}).json()["results"][0]["name"] == \
        "郑州中原建工集团有限公司"
    assert client.get("/enterprise/lookup/", {"q": "郑"}).json()["results"] == []  # too short
    client.logout()
    assert client.get("/enterprise/lookup/", {"q": "中原建工"}).status_code == 302  # login first
