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


# the template menu_html replaced (core/menu.html), kept here as the reference
MENU_TEMPLATE = (
    "{# the menu registered by the apps (labour.core.menu) #}\n"
    '<nav class="menu" aria-label="功能">\n'
    "{% for entry in menu_entries %}\n"
    '  <a href="{{ entry.url }}"{% if entry.active %} class="active" aria-current="page"{% endif %}>'
    "{{ entry.label }}{% if entry.pending %} "
    '<span class="badge" aria-label="待处理 {{ entry.pending }} 项">{{ entry.pending }}</span>'
    "{% endif %}</a>\n"
    "{% endfor %}\n"
    "</nav>\n"
)


@pytest.mark.parametrize("entries", [
    [],
    [{"label": "首页", "url": "/home/", "active": True, "pending": 0}],
    [{"label": "首页", "url": "/home/", "active": False, "pending": 0},
     {"label": "企业账号认证审核", "url": "/certification/review/", "active": True, "pending": 12},
     {"label": "<b>&\"'", "url": "/x/?a=1&b=\"2\"", "active": False, "pending": 1}],
])
def test_the_menu_is_written_as_its_template_wrote_it(entries):
    from django.template import engines

    from labour.core.menu import menu_html

    expected = engines["django"].from_string(MENU_TEMPLATE).render({"menu_entries": entries})
    assert menu_html(entries) == expected


def test_a_page_shows_the_menu_of_its_user(client):
    city = AuthorityFactory(region_code="410100")
    EnterpriseApplicationFactory.create_batch(2, region_code="410102")
    client.force_login(city)
    html = client.get("/certification/review/").content.decode()
    assert '<nav class="menu" aria-label="功能">' in html
    assert ('<a href="/certification/review/" class="active" aria-current="page">企业账号认证审核'
            ' <span class="badge" aria-label="待处理 2 项">2</span></a>') in html
