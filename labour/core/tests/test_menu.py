"""The menu is what the apps register: each kind of account sees its entries, with
the number of items waiting for it."""

import pytest

from labour.certification.choices import ProjectAccountStatus
from labour.core.menu import MenuItem, entries_for, register, registered
from labour.factories import (
    AuthorityFactory,
    EnterpriseAccountFactory,
    EnterpriseApplicationFactory,
    ProjectAccountApplicationFactory,
    ProjectAccountFactory,
    ProjectFactory,
    ProjectInfoSubmissionFactory,
)
from labour.projects.choices import InfoStatus

pytestmark = pytest.mark.django_db


def _menu(user, path="/"):
    return {e["label"]: e for e in entries_for(user, path)}


def test_each_kind_sees_its_entries_with_pending_counts():
    city = AuthorityFactory(region_code="410100")
    EnterpriseApplicationFactory.create_batch(3, region_code="410102")
    EnterpriseApplicationFactory(region_code="410302")  # another jurisdiction
    ProjectInfoSubmissionFactory(project=ProjectFactory(region_code="410105",
                                                        info_status=InfoStatus.SUBMITTED))
    menu = _menu(city, "/projects/manage/")
    assert list(menu) == ["首页", "企业账号认证审核", "项目管理", "项目信息审核", "人员管理",
                          "工资核算", "欠薪预警", "操作日志"]
    assert menu["企业账号认证审核"]["pending"] == 3 and menu["项目信息审核"]["pending"] == 1
    assert menu["项目管理"]["active"] and not menu["企业账号认证审核"]["active"]

    account = EnterpriseAccountFactory()
    ProjectAccountApplicationFactory.create_batch(2, enterprise=account.enterprise)
    ProjectAccountApplicationFactory(enterprise=account.enterprise,
                                     status=ProjectAccountStatus.RETURNED)
    menu = _menu(account)
    assert list(menu) == ["首页", "企业信息", "我的项目", "项目账号审核", "项目账号管理", "人员管理",
                          "班组管理", "人员总览", "工资核算", "工资发放情况", "操作日志"]
    assert menu["项目账号审核"]["pending"] == 2

    assert list(_menu(ProjectAccountFactory())) == ["首页", "本项目", "人员管理", "班组管理", "工资核算",
                                                     "工资发放情况", "操作日志"]


def test_the_page_shows_the_registered_menu_and_its_badge(client):
    city = AuthorityFactory(region_code="410100")
    EnterpriseApplicationFactory(region_code="410102")
    client.force_login(city)
    html = client.get("/projects/manage/").content.decode()
    assert 'aria-current="page">项目管理' in html
    assert 'aria-label="待处理 1 项">1</span>' in html


def test_an_app_adds_an_entry_by_registering_it(monkeypatch):
    from labour.core import menu

    monkeypatch.setattr(menu, "_ITEMS", list(registered()))
    register(MenuItem("新功能", "projects:create", kinds=("authority",), prefix="/new/", order=15,
                      shown=lambda user: user.region_code == "410100"))
    assert "新功能" in _menu(AuthorityFactory(region_code="410100"))
    assert "新功能" not in _menu(AuthorityFactory(region_code="410300"))
    assert entries_for(None, "/") == []
