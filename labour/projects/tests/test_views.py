"""「新建项目」, 「项目管理」 and 「我的项目」 through the test client."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from labour.audit.models import Action, AuditEvent
from labour.certification.services import approve_application
from labour.projects.choices import ParticipantRole
from labour.projects.models import Participant, Project
from labour.projects.services import ProjectData, UnitRef, create_project
from labour.testing import application_data, make_uscc, submit

pytestmark = pytest.mark.django_db

NEW = "/projects/manage/new/"
MANAGE = "/projects/manage/"
MY = "/projects/my/"
GC, OWNER, SUPERVISOR = (ParticipantRole.GENERAL_CONTRACTOR, ParticipantRole.OWNER,
                         ParticipantRole.SUPERVISOR)

GC_CODE = make_uscc("410100", 11)
OWNER_CODE = make_uscc("410102", 12)
SUPERVISOR_CODE = make_uscc("410105", 13)


def _form(**changes):
    data = {
        "name": "郑州市中原区安置房建设项目", "region_code": "410102",
        "address": "郑州市中原区建设西路18号", "category": "building", "nature": "new",
        "total_investment": "12000.50", "floor_area": "35600", "planned_start": "2026-03-01",
        "planned_end": "2027-12-31", "permit_no": "410102202603010101",
        "general_contractor_name": "郑州第一建筑工程集团有限公司", "general_contractor_code": GC_CODE,
        "owner_name": "郑州中原城市建设投资有限公司", "owner_code": OWNER_CODE,
        "supervisor_name": "河南建达工程监理有限公司", "supervisor_code": SUPERVISOR_CODE,
    }
    data.update(changes)
    return data


def _project(actor, *, name="测试项目", region="410102", gc=None, owner=None, supervisor=None):
    data = ProjectData(name=name, region_code=region, address="郑州市某路1号", category="building",
                       nature="new", total_investment=Decimal("100"), floor_area=Decimal("1000"),
                       planned_start=date(2026, 1, 1), planned_end=date(2026, 12, 31))
    units = {GC: gc or ("郑州某施工有限公司", make_uscc("410100", 901)),
             OWNER: owner or ("郑州某建设单位", make_uscc("410100", 902)),
             SUPERVISOR: supervisor or ("郑州某监理公司", make_uscc("410100", 903))}
    return create_project(actor=actor, data=data, first_participants={
        role: UnitRef(unit_name=n, credit_code=c) for role, (n, c) in units.items()})


def _enterprise_account(authority, credit_code, seq, phone, name="郑州测试建筑有限公司"):
    approve_application(actor=authority, number=submit(application_data(
        credit_code=credit_code, seq=seq, phone=phone, name=name)).number)
    user = get_user_model().objects.get(username=credit_code)
    user.must_change_password = False
    user.save()
    return user


def _text(response):
    """The page, with table cells' classes and titles left out (cells compared by text)."""
    return re.sub(r"<td [^>]*>", "<td>", html.unescape(response.content.decode()))


def _row(page, code):
    """The table row of the project `code`."""
    rows = [r for r in page.split("<tr>") if f">{code}</a>" in r]
    assert len(rows) == 1, f"{code} should appear in exactly one row"
    return rows[0]


# 「新建项目」 -------------------------------------------------------------------


def test_new_project_form_has_a_label_for_every_field(client, authority):
    client.force_login(authority)
    response = client.get(NEW)
    assert response.status_code == 200
    page = _text(response)
    labels = {
        "name": "项目名称", "region_code": "所属区域", "address": "项目地址", "category": "项目类别",
        "nature": "建设性质", "total_investment": "总投资（万元）", "floor_area": "建筑面积（㎡）",
        "planned_start": "计划开工日期", "planned_end": "计划竣工日期", "permit_no": "施工许可证号",
        "general_contractor_name": "施工总承包单位名称",
        "general_contractor_code": "施工总承包统一社会信用代码",
        "owner_name": "建设单位名称", "owner_code": "建设单位统一社会信用代码",
        "supervisor_name": "监理单位名称", "supervisor_code": "监理单位统一社会信用代码",
    }
    for field, label in labels.items():
        assert f'<label for="id_{field}">{label}</label>' in page, field
        assert f'id="id_{field}"' in page, field
    assert "单位单位" not in page


def test_valid_post_creates_and_redirects_to_the_detail(client, authority):
    client.force_login(authority)
    response = client.post(NEW, _form(general_contractor_code=GC_CODE.lower()))
    project = Project.objects.get()
    year = timezone.localtime().year
    assert project.code == f"XM410102{year}00001"
    assert response.status_code == 302
    assert response["Location"] == f"/projects/manage/{project.code}/"

    parts = {p.role: p for p in project.participants.all()}
    assert parts[GC].credit_code == GC_CODE  # normalised to upper case
    assert parts[OWNER].credit_code == OWNER_CODE
    assert parts[SUPERVISOR].unit_name == "河南建达工程监理有限公司"
    assert project.created_by == authority
    assert AuditEvent.objects.filter(action=Action.PROJECT_CREATED,
                                     object_id=str(project.pk)).count() == 1

    page = _text(client.get(response["Location"]))
    assert f"项目已创建，项目编号 {project.code}" in page
    assert "郑州市中原区安置房建设项目" in page
    for label, name, code in (("施工总承包", "郑州第一建筑工程集团有限公司", GC_CODE),
                              ("建设单位", "郑州中原城市建设投资有限公司", OWNER_CODE),
                              ("监理单位", "河南建达工程监理有限公司", SUPERVISOR_CODE)):
        assert f"<td>{label}</td><td>{name}</td><td>{code}</td>" in page


@pytest.mark.parametrize("changes, field, error", [
    ({"general_contractor_code": GC_CODE[:-1] + ("0" if GC_CODE[-1] != "0" else "1")},
     "general_contractor_code", "统一社会信用代码校验位不正确"),
    ({"region_code": "410305"}, "region_code", "所属区域不在本部门管辖范围内"),
    ({"region_code": "999999"}, "region_code", "所属区域编码不存在"),
    ({"region_code": "41010"}, "region_code", "所属区域应为6位区域编码"),
    ({"planned_start": "2027-05-02", "planned_end": "2027-05-01"}, "planned_end",
     "计划竣工日期不能早于计划开工日期"),
    ({"total_investment": "-5"}, "total_investment", "大于或等于"),
    ({"owner_name": ""}, "owner_name", "这个字段是必填项"),
])
def test_invalid_post_shows_the_error_and_keeps_the_values(client, authority, changes, field,
                                                            error):
    client.force_login(authority)
    data = _form(**changes)
    response = client.post(NEW, data)
    assert response.status_code == 200
    page = _text(response)
    errors = re.findall(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page)
    assert errors and error in errors[0], errors
    assert 'class="form-errors"' in page
    # what was typed is still there
    for name in ("name", "address", "region_code", "general_contractor_code", "permit_no",
                 "total_investment", "planned_end"):
        assert f'name="{name}" value="{data[name]}"' in page, name
    assert Project.objects.count() == 0
    assert Participant.objects.count() == 0
    assert not AuditEvent.objects.filter(action=Action.PROJECT_CREATED).exists()


def test_region_error_speaks_of_the_project_region(client, authority):
    client.force_login(authority)
    page = _text(client.post(NEW, _form(region_code="999999")))
    error = re.search(r'id="id_region_code_error">([^<]*)<', page).group(1)
    assert "注册地区" not in error  # the enterprise's wording, not the project's
    assert "所属区域" in error


# 「项目管理」 search ------------------------------------------------------------


@pytest.fixture
def three_projects(authority):
    a = _project(authority, name="金水河综合治理工程",
                 gc=("中建七局第一建筑有限公司", make_uscc("410100", 1)))
    b = _project(authority, name="航空港区安置房", region="410173",
                 owner=("郑州航空港兴港投资集团有限公司", make_uscc("410100", 2)))
    c = _project(authority, name="高新区道路改造", region="410172",
                 supervisor=("河南长城工程监理有限公司", make_uscc("410100", 3)))
    return a, b, c


def _listed(client, query):
    response = client.get(MANAGE, {"q": query})
    assert response.status_code == 200
    page = _text(response)
    assert f'value="{query}"' in page  # the query stays in the search box
    return {p.code for p in Project.objects.all() if f">{p.code}</a>" in page}


def test_list_without_query_shows_all_of_the_jurisdiction(client, authority, three_projects):
    client.force_login(authority)
    page = _text(client.get(MANAGE))
    for p in three_projects:
        assert f'<a href="/projects/manage/{p.code}/">{p.code}</a>' in page
    assert "中建七局第一建筑有限公司" in page  # participants shown in the list


def test_search_by_project_name(client, authority, three_projects):
    a, b, c = three_projects
    client.force_login(authority)
    assert _listed(client, "金水河") == {a.code}
    assert _listed(client, "安置房") == {b.code}
    assert _listed(client, "不存在的项目") == set()


def test_search_by_project_code_partial_and_lowercase(client, authority, three_projects):
    a, b, c = three_projects
    client.force_login(authority)
    assert _listed(client, c.code) == {c.code}
    assert _listed(client, c.code.lower()) == {c.code}
    assert _listed(client, "xm410173") == {b.code}


def test_search_by_participant_unit_name(client, authority, three_projects):
    a, b, c = three_projects
    client.force_login(authority)
    assert _listed(client, "中建七局") == {a.code}
    assert _listed(client, "长城工程监理") == {c.code}
    assert _listed(client, "郑州某施工") == {b.code, c.code}


def test_search_by_participant_credit_code(client, authority, three_projects):
    a, b, c = three_projects
    code_b = make_uscc("410100", 2)
    assert code_b[-1].isalpha()  # so that lower case really is tested
    client.force_login(authority)
    assert _listed(client, code_b) == {b.code}
    assert _listed(client, code_b[-6:].lower()) == {b.code}
    assert _listed(client, make_uscc("410100", 3).lower()) == {c.code}


# 「我的项目」 -------------------------------------------------------------------


def test_my_projects_lists_every_participation_with_its_role(client, authority):
    mine = make_uscc("410100", 21)
    user = _enterprise_account(authority, mine, 21, "13800000021", name="郑州我的建筑有限公司")
    a = _project(authority, name="项目甲", gc=("郑州我的建筑有限公司", mine))
    b = _project(authority, name="项目乙", supervisor=("郑州我的建筑有限公司", mine))
    c = _project(authority, name="项目丙")

    client.force_login(user)
    response = client.get(MY)
    assert response.status_code == 200
    page = _text(response)
    assert "<td>施工总承包</td>" in _row(page, a.code)
    assert "项目甲" in _row(page, a.code)
    assert "<td>监理单位</td>" in _row(page, b.code)
    assert "施工总承包" not in _row(page, b.code)
    assert c.code not in page
    assert "项目丙" not in page


def test_one_row_per_role_when_the_enterprise_has_two_roles(client, authority):
    mine = make_uscc("410100", 22)
    user = _enterprise_account(authority, mine, 22, "13800000022")
    a = _project(authority, gc=("郑州测试建筑有限公司", mine), owner=("郑州测试建筑有限公司", mine))
    client.force_login(user)
    page = _text(client.get(MY))
    assert page.count(f">{a.code}</a>") == 2
    assert "<td>施工总承包</td>" in page and "<td>建设单位</td>" in page
    detail = _text(client.get(f"{MY}{a.code}/"))
    assert "本单位在该项目中的参建类型：施工总承包、建设单位" in detail


def test_enterprise_certified_after_the_project_sees_it_at_once(client, authority):
    later = make_uscc("410100", 23)
    project = _project(authority, name="先建项目", owner=("郑州后认证建设有限公司", later))
    assert not get_user_model().objects.filter(username=later).exists()
    user = _enterprise_account(authority, later, 23, "13800000023", name="郑州后认证建设有限公司")
    client.force_login(user)
    assert "<td>建设单位</td>" in _row(_text(client.get(MY)), project.code)
    assert client.get(f"{MY}{project.code}/").status_code == 200


def test_enterprise_without_projects_sees_an_empty_list(client, authority):
    user = _enterprise_account(authority, make_uscc("410100", 24), 24, "13800000024")
    _project(authority)
    client.force_login(user)
    page = _text(client.get(MY))
    assert "暂无项目" in page
    assert "/projects/my/XM" not in page


def test_my_project_detail_shows_its_roles_and_participants(client, authority):
    mine = make_uscc("410100", 25)
    user = _enterprise_account(authority, mine, 25, "13800000025", name="郑州总包建设有限公司")
    project = _project(authority, name="总包项目", gc=("郑州总包建设有限公司", mine))
    client.force_login(user)
    response = client.get(f"{MY}{project.code}/")
    assert response.status_code == 200
    page = _text(response)
    assert "本单位在该项目中的参建类型：施工总承包" in page
    assert "总包项目" in page and project.code in page
    assert "<td>建设单位</td><td>郑州某建设单位</td>" in page
    assert "<td>监理单位</td><td>郑州某监理公司</td>" in page
    assert 'href="/projects/my/"' in page
    assert "返回项目管理" not in page


def test_manage_detail_shows_all_fields(client, authority):
    project = _project(authority, name="详情项目", region="410173")
    client.force_login(authority)
    page = _text(client.get(f"{MANAGE}{project.code}/"))
    assert "详情项目" in page
    assert "410173（河南省 郑州市 郑州航空港经济综合实验区）" in page
    assert "房屋建筑工程" in page and "新建" in page
    assert "2026-01-01" in page and "2026-12-31" in page
    assert "本单位在该项目中的参建类型" not in page


# query counts ---------------------------------------------------------------


def _bulk_projects(authority, count, credit_code):
    year = timezone.localtime().year
    projects = Project.objects.bulk_create([
        Project(code=f"XM410102{year}{i:05d}", name=f"批量项目{i}", region_code="410102",
                address="郑州市", category="building", nature="new",
                total_investment=Decimal("1"), floor_area=Decimal("1"),
                planned_start=date(2026, 1, 1), planned_end=date(2026, 12, 31),
                created_by=authority)
        for i in range(1, count + 1)
    ])
    projects = list(Project.objects.filter(code__in=[p.code for p in projects]))
    Participant.objects.bulk_create([
        Participant(project=p, role=role, unit_name=f"单位{role}", credit_code=code,
                    added_by=authority)
        for p in projects
        for role, code in ((GC, credit_code), (OWNER, make_uscc("410100", 902)),
                           (SUPERVISOR, make_uscc("410100", 903)))
    ])


def _queries(client, url):
    client.get(url)  # warm-up: first-request effects must not count
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("url", [MANAGE, MY])
def test_lists_do_not_grow_queries_with_projects(client, authority, url):
    mine = make_uscc("410100", 31)
    user = _enterprise_account(authority, mine, 31, "13800000031")
    client.force_login(authority if url == MANAGE else user)

    _bulk_projects(authority, 10, mine)
    few, response = _queries(client, url)
    assert _text(response).count("/projects/") >= 10

    Participant.objects.all().delete()
    Project.objects.all().delete()
    _bulk_projects(authority, 200, mine)
    many, response = _queries(client, url)
    page = _text(response)
    assert len(re.findall(r'<tr><td[^>]*><a href="/projects/', page)) == 20  # one page of a list
    assert few == many
