"""Who may open which page of 项目账号 (project accounts) and 项目信息 (project
information), for every kind of actor (DESIGN: permissions table).

- complete / submit the project information: the general contractor's enterprise
  account and its project account only;
- review the project information: the reviewer of the project's jurisdiction only;
- review a project-account application (and see its ID card): the applying unit's
  own enterprise account only;
- a project account sees its own project only (/projects/account/), never the
  enterprise pages (/projects/my/…);
- everything else answers 404, never 403, and a refused POST changes nothing.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from labour.attachments.services import store_upload
from labour.audit.models import AuditEvent
from labour.certification import project_accounts as pa
from labour.certification.choices import ProjectAccountStatus
from labour.certification.models import ProjectAccountApplication
from labour.core.roles import AccountKind
from labour.notifications.models import SmsMessage
from labour.notifications.services import send_code
from labour.projects import information as info_services
from labour.projects.choices import InfoStatus, ParticipantRole
from labour.projects.models import Participant, Project, ProjectInformation, ProjectInfoSubmission
from labour.projects.services import ProjectData, UnitRef, create_project
from labour.testing import complete, enterprise_account, latest_code, make_uscc, upload

pytestmark = pytest.mark.django_db

# not logged in (or the login expired): the login page, then back to the page
LOGIN = "login"
ACTORS = ("anonymous", "other_reviewer", "reviewer", "outsider", "owner", "gc", "gc_account",
          "owner_account")
NEW_UNIT_CODE = make_uscc("410100", 506)

# (method, url) → expected status for each actor, in the order of ACTORS:
#   anonymous · reviewer of 410300 · reviewer of 410100 (the project's) ·
#   enterprise not taking part · owner enterprise (participant, not GC) · GC enterprise ·
#   GC project account · owner's project account
# {code}: the project; {number}: a pending project-account application of the GC unit
# (for another project of the GC); {file}: that application's ID card (front).
MATRIX = {
    # a project account's home: its own project only
    ("GET", "/projects/account/"):                   (LOGIN, 404, 404, 404, 404, 404, 200, 200),
    # 「我的项目」: enterprise accounts only (a project account has no list)
    ("GET", "/projects/my/"):                        (LOGIN, 404, 404, 200, 200, 200, 404, 404),
    ("GET", "/projects/my/{code}/"):                 (LOGIN, 404, 404, 404, 200, 200, 404, 404),
    # 项目信息完善: the general contractor's enterprise account and project account
    ("GET", "/projects/my/{code}/information/"):     (LOGIN, 404, 404, 404, 404, 200, 200, 404),
    ("POST", "/projects/my/{code}/information/"):    (LOGIN, 404, 404, 404, 404, 302, 302, 404),
    ("POST", "/projects/my/{code}/participants/"):   (LOGIN, 404, 404, 404, 404, 302, 302, 404),
    # 项目信息审核: authority reviewers; the project only in its own jurisdiction
    ("GET", "/projects/review/"):                    (LOGIN, 200, 200, 404, 404, 404, 404, 404),
    ("GET", "/projects/review/{code}/"):             (LOGIN, 404, 200, 404, 404, 404, 404, 404),
    ("POST", "/projects/review/{code}/"):            (LOGIN, 404, 302, 404, 404, 404, 404, 404),
    # 项目账号审核: enterprise accounts; the application only for its own unit
    ("GET", "/certification/project/review/"):       (LOGIN, 404, 404, 200, 200, 200, 404, 404),
    ("GET", "/certification/project/review/{number}/"): (LOGIN, 404, 404, 404, 404, 200, 404, 404),
    ("POST", "/certification/project/review/{number}/"): (LOGIN, 404, 404, 404, 404, 302, 404, 404),
    ("GET", "/files/{file}/"):                       (LOGIN, 404, 404, 404, 404, 200, 404, 404),
}

# pages that answer 200 to several actors but show the object to some only
SHOWN_TO = {
    ("GET", "/projects/my/"): ("{code}", {"owner", "gc"}),
    ("GET", "/projects/review/"): ("{name}", {"reviewer"}),
    ("GET", "/certification/project/review/"): ("{number}", {"gc"}),
}

# the project information is submitted (awaiting review) before these requests
NEEDS_SUBMITTED_INFORMATION = {("GET", "/projects/review/"), ("GET", "/projects/review/{code}/"),
                               ("POST", "/projects/review/{code}/")}

POST_DATA = {
    "/projects/my/{code}/information/": {"manager_name": "权限测试经理", "action": "save"},
    "/projects/my/{code}/participants/": {
        "participant-role": ParticipantRole.LABOUR_SUBCONTRACTOR,
        "participant-unit_name": "权限测试劳务有限公司", "participant-credit_code": NEW_UNIT_CODE},
    "/projects/review/{code}/": {"decision": "approve"},
    "/certification/project/review/{number}/": {"decision": "approve"},
}


def test_the_matrix_covers_every_actor():
    assert all(len(row) == len(ACTORS) for row in MATRIX.values())
    assert set(POST_DATA) == {url for method, url in MATRIX if method == "POST"}


def _apply(enterprise, project, phone):
    cache.delete(f"code-cooldown:project_cert:{phone}")
    send_code(phone=phone, purpose="project_cert", ip="10.3.0.1")
    files = {f: store_upload(actor=None, uploaded=upload(f"{f}.png"), kind=f)
             for f in ("authorisation_letter", "id_card_front", "id_card_back")}
    data = pa.ProjectAccountData(enterprise=enterprise, project=project, admin_name="赵六",
                                 admin_phone=phone, **files)
    return pa.submit(actor=None, data=data, code=latest_code(phone), ip="10.3.0.1")


def _project_account(enterprise_user, project, phone):
    """Applied for and approved through the services; first password already changed."""
    application = _apply(enterprise_user.enterprise, project, phone)
    pa.approve(actor=enterprise_user, number=application.number)
    account = ProjectAccountApplication.objects.get(pk=application.pk).account
    account.must_change_password = False
    account.save()
    return account


@pytest.fixture
def world(setup, other_authority):
    project, gc, owner = setup["project"], setup["gc"], setup["owner"]
    users = {
        "anonymous": None,
        "other_reviewer": other_authority,
        "reviewer": setup["authority"],
        "outsider": enterprise_account(setup["authority"], 504, "13700000504"),
        "owner": owner,
        "gc": gc,
        "gc_account": _project_account(gc, project, "13655551001"),
        "owner_account": _project_account(owner, project, "13655551002"),
    }
    # another project of the same general contractor, with a pending application
    other = create_project(
        actor=setup["authority"],
        data=ProjectData(name="权限测试第二项目", region_code="410102", address="某路2号",
                         category="building", nature="new", total_investment=Decimal("1"),
                         floor_area=Decimal("1"), planned_start=date(2026, 1, 1),
                         planned_end=date(2026, 6, 30)),
        first_participants={
            ParticipantRole.GENERAL_CONTRACTOR: UnitRef("测试企业501", gc.username),
            ParticipantRole.OWNER: UnitRef("测试企业502", owner.username),
            ParticipantRole.SUPERVISOR: UnitRef("某监理公司", make_uscc("410100", 503)),
        })
    pending = _apply(gc.enterprise, other, "13655551003")
    values = {"code": project.code, "name": project.name, "number": pending.number,
              "file": pending.id_card_front_id}
    return setup, users, pending, values


def _state():
    """Everything a refused POST could have changed."""
    return {
        "projects": list(Project.objects.order_by("pk").values_list("pk", "info_status")),
        "information": list(ProjectInformation.objects.order_by("pk").values()),
        "participants": list(Participant.objects.order_by("pk").values()),
        "submissions": list(ProjectInfoSubmission.objects.order_by("pk").values_list(
            "pk", "status", "reviewer_id", "reviewed_at")),
        "applications": list(ProjectAccountApplication.objects.order_by("pk").values_list(
            "pk", "status", "reviewer_id", "reviewed_at", "account_id")),
        "users": list(get_user_model().objects.order_by("pk").values_list("pk", "kind")),
        "sms": list(SmsMessage.objects.order_by("pk").values_list("pk", flat=True)),
        "events": list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True)),
    }


def _assert_allowed_post_took_effect(url, actor, setup, users, pending):
    project = Project.objects.get(pk=setup["project"].pk)
    user = users[actor]
    if url == "/projects/my/{code}/information/":
        info = ProjectInformation.objects.get(project=project)
        assert info.manager_name == "权限测试经理" and info.updated_by == user
    elif url == "/projects/my/{code}/participants/":
        added = project.participants.get(credit_code=NEW_UNIT_CODE)
        assert added.role == ParticipantRole.LABOUR_SUBCONTRACTOR and added.added_by == user
    elif url == "/projects/review/{code}/":
        assert project.info_status == InfoStatus.APPROVED
        assert project.info_submissions.get().reviewer == user
    elif url == "/certification/project/review/{number}/":
        pending.refresh_from_db()
        assert pending.status == ProjectAccountStatus.APPROVED and pending.reviewer == user
        assert pending.account.kind == AccountKind.PROJECT
    else:  # pragma: no cover - every POST of MATRIX is listed above
        raise AssertionError(url)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("method,url", list(MATRIX))
def test_matrix(client, world, method, url, actor):
    setup, users, pending, values = world
    if (method, url) in NEEDS_SUBMITTED_INFORMATION:
        complete(setup)
        info_services.submit_information(actor=setup["gc"], code=setup["project"].code)
    if users[actor] is not None:
        client.force_login(users[actor])
    expected = MATRIX[method, url][ACTORS.index(actor)]
    before = _state()

    if method == "GET":
        response = client.get(url.format(**values))
    else:
        response = client.post(url.format(**values), POST_DATA[url])

    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/?next="), \
            (method, url, actor)
        assert _state() == before
        return
    assert response.status_code == expected, (method, url, actor)
    if expected == 404:  # no details of another tenant's object
        # (the 404 page has the platform's layout: its header names the user logged in)
        page = response.content.decode()
        page = page[page.find("<main"):page.find("</main>")]
        assert page and values["name"] not in page and "测试企业501" not in page
    if method == "POST" and expected == 404:
        assert _state() == before, "a refused POST changed the database"
    if method == "POST" and expected != 404:
        _assert_allowed_post_took_effect(url, actor, setup, users, pending)
    if (method, url) in SHOWN_TO and expected == 200:
        marker, shown_to = SHOWN_TO[method, url]
        assert (marker.format(**values) in response.content.decode()) is (actor in shown_to)
    if url == "/projects/account/" and expected == 200:  # its own project, nothing else
        assert values["name"] in response.content.decode()
        assert "权限测试第二项目" not in response.content.decode()
