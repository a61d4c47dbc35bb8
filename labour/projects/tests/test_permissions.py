"""Who may open which project page (DESIGN: permissions table).

Another tenant's object answers 404, never 403; a refused POST changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from labour.audit.models import Action, AuditEvent
from labour.certification.services import approve_application
from labour.projects.choices import ParticipantRole
from labour.projects.models import Participant, Project
from labour.projects.services import ProjectData, UnitRef, create_project
from labour.testing import application_data, make_uscc, submit

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "other_reviewer", "reviewer", "outsider", "participant"]
PARTICIPANT_CODE = make_uscc("410100", 51)
OUTSIDER_CODE = make_uscc("410100", 52)


def _post_data():
    return {
        "name": "权限测试新项目", "region_code": "410102", "address": "郑州市中原区某路",
        "category": "building", "nature": "new", "total_investment": "100",
        "floor_area": "1000", "planned_start": "2026-01-01", "planned_end": "2026-12-31",
        "permit_no": "",
        "general_contractor_name": "郑州甲建筑有限公司", "general_contractor_code": make_uscc("410100", 61),
        "owner_name": "郑州乙投资有限公司", "owner_code": make_uscc("410100", 62),
        "supervisor_name": "郑州丙监理有限公司", "supervisor_code": make_uscc("410100", 63),
    }


def _enterprise(authority, credit_code, seq, phone):
    approve_application(actor=authority, number=submit(application_data(
        credit_code=credit_code, seq=seq, phone=phone)).number)
    user = get_user_model().objects.get(username=credit_code)
    user.must_change_password = False
    user.save()
    return user


def _project(actor, *, name, region, gc_code):
    data = ProjectData(name=name, region_code=region, address="某路1号", category="building",
                       nature="new", total_investment=Decimal("1"), floor_area=Decimal("1"),
                       planned_start=date(2026, 1, 1), planned_end=date(2026, 6, 30))
    return create_project(actor=actor, data=data, first_participants={
        ParticipantRole.GENERAL_CONTRACTOR: UnitRef(unit_name="总包单位", credit_code=gc_code),
        ParticipantRole.OWNER: UnitRef(unit_name="建设单位", credit_code=make_uscc("410100", 71)),
        ParticipantRole.SUPERVISOR: UnitRef(unit_name="监理单位", credit_code=make_uscc("410100", 72)),
    })


@pytest.fixture
def world(authority, other_authority):
    """A project of 中原区 (410102) where `participant` is the general contractor,
    and a project of 洛阳 (410305) of the other reviewer."""
    users = {
        "anonymous": None,
        "reviewer": authority,
        "other_reviewer": other_authority,
        "participant": _enterprise(authority, PARTICIPANT_CODE, 51, "13800000051"),
        "outsider": _enterprise(authority, OUTSIDER_CODE, 52, "13800000052"),
    }
    project = _project(authority, name="郑州权限测试项目", region="410102", gc_code=PARTICIPANT_CODE)
    luoyang = _project(other_authority, name="洛阳权限测试项目", region="410305",
                       gc_code=make_uscc("410300", 53))
    return users, project, luoyang


def _client(client, users, actor):
    if users[actor] is not None:
        client.force_login(users[actor])
    return client


# (url template, expected status per actor)
# not logged in (or the login expired): the login page, then back to the page
LOGIN = "login"
GET_MATRIX = {
    "/projects/manage/": {"anonymous": LOGIN, "other_reviewer": 200, "reviewer": 200,
                          "outsider": 404, "participant": 404},
    "/projects/manage/new/": {"anonymous": LOGIN, "other_reviewer": 200, "reviewer": 200,
                              "outsider": 404, "participant": 404},
    "/projects/manage/{code}/": {"anonymous": LOGIN, "other_reviewer": 404, "reviewer": 200,
                                 "outsider": 404, "participant": 404},
    "/projects/my/": {"anonymous": LOGIN, "other_reviewer": 404, "reviewer": 404,
                      "outsider": 200, "participant": 200},
    "/projects/my/{code}/": {"anonymous": LOGIN, "other_reviewer": 404, "reviewer": 404,
                             "outsider": 404, "participant": 200},
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("url", list(GET_MATRIX))
def test_get_matrix(client, world, url, actor):
    users, project, _luoyang = world
    response = _client(client, users, actor).get(url.format(code=project.code))
    if GET_MATRIX[url][actor] == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/?next=")
        return
    assert response.status_code == GET_MATRIX[url][actor]
    if response.status_code == 404:
        assert project.name not in response.content.decode()


@pytest.mark.parametrize("actor", ["reviewer", "other_reviewer"])
def test_manage_list_shows_only_the_own_jurisdiction(client, world, actor):
    users, project, luoyang = world
    page = _client(client, users, actor).get("/projects/manage/").content.decode()
    own, foreign = (project, luoyang) if actor == "reviewer" else (luoyang, project)
    assert own.code in page and own.name in page
    assert foreign.code not in page and foreign.name not in page


@pytest.mark.parametrize("actor", ["reviewer", "other_reviewer"])
def test_search_does_not_cross_the_jurisdiction(client, world, actor):
    users, project, luoyang = world
    foreign = luoyang if actor == "reviewer" else project
    page = _client(client, users, actor).get(
        "/projects/manage/", {"q": foreign.code}).content.decode()
    assert foreign.code not in page.replace(f'value="{foreign.code}"', "")
    assert "暂无项目" in page


@pytest.mark.parametrize("actor", ["outsider", "participant"])
def test_my_list_shows_only_own_participations(client, world, actor):
    users, project, luoyang = world
    page = _client(client, users, actor).get("/projects/my/").content.decode()
    assert luoyang.code not in page
    assert (project.code in page) is (actor == "participant")


def test_other_reviewer_gets_404_on_the_foreign_project_but_200_on_its_own(client, world):
    users, project, luoyang = world
    client.force_login(users["other_reviewer"])
    assert client.get(f"/projects/manage/{luoyang.code}/").status_code == 200
    assert client.get(f"/projects/manage/{project.code}/").status_code == 404
    assert client.get("/projects/manage/XM410102209900001/").status_code == 404


POST_EXPECTED = {"anonymous": 302, "other_reviewer": 200, "reviewer": 302,
                 "outsider": 404, "participant": 404}


@pytest.mark.parametrize("actor", ACTORS)
def test_post_new_project_matrix(client, world, actor):
    users, _project, _luoyang = world
    projects, participants = Project.objects.count(), Participant.objects.count()
    events = AuditEvent.objects.filter(action=Action.PROJECT_CREATED).count()

    response = _client(client, users, actor).post("/projects/manage/new/", _post_data())

    assert response.status_code == POST_EXPECTED[actor]
    if actor == "reviewer":
        created = Project.objects.get(name="权限测试新项目")
        assert response["Location"] == f"/projects/manage/{created.code}/"
        assert Project.objects.count() == projects + 1
        assert Participant.objects.count() == participants + 3
        return
    if actor == "other_reviewer":  # 410102 is not in 洛阳's jurisdiction
        assert "所属区域不在本部门管辖范围内" in response.content.decode()
    assert Project.objects.count() == projects
    assert Participant.objects.count() == participants
    assert AuditEvent.objects.filter(action=Action.PROJECT_CREATED).count() == events
    assert not Project.objects.filter(name="权限测试新项目").exists()


@pytest.mark.parametrize("url", ["/projects/manage/", "/projects/manage/{code}/",
                                 "/projects/my/", "/projects/my/{code}/"])
@pytest.mark.parametrize("actor", ACTORS)
def test_posting_to_read_only_pages_changes_nothing(client, world, url, actor):
    users, project, _luoyang = world
    before = (Project.objects.count(), Participant.objects.count())
    _client(client, users, actor).post(url.format(code=project.code), _post_data())
    assert (Project.objects.count(), Participant.objects.count()) == before


def test_enterprise_account_without_enterprise_gets_404(client, world):
    users, project, _luoyang = world
    user = users["participant"]
    user.enterprise = None
    user.save()
    client.force_login(user)
    assert client.get("/projects/my/").status_code == 404
    assert client.get(f"/projects/my/{project.code}/").status_code == 404
