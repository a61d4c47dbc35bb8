"""Every URL of the roster × every actor (issue 8, Who does what): the participant
keeps its own roster; the general contractor and the authority read it; the
owner reads only its own (empty) roster; everyone else gets 404 (a visitor not
signed in: the login page), and a refused POST changes nothing."""

import pytest

from labour.audit.models import AuditEvent
from labour.factories import ImportJobFactory, WageCardFactory, WorkerContractFactory
from labour.workforce.models import Person, ProjectWorker, Team, WageCard, WorkerContract, WorkerEvent

from .helpers import TODAY, add

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "city", "luoyang", "gc", "gc_project", "lab", "lab_project", "own", "out", "far"]
READ = {"city", "gc", "gc_project", "lab", "lab_project"}   # read LAB's roster of the project
KEEP = {"lab", "lab_project"}                               # edit it
IN_PROJECT = READ | {"own"}                                 # open the project's roster pages
OWN_UNIT = IN_PROJECT - {"city"}                            # keep a roster of their own there


@pytest.fixture
def roster(world):
    worker = add(world, seq=1)
    WorkerContractFactory(worker=worker, start_date=TODAY.replace(year=TODAY.year - 1))
    WageCardFactory(worker=worker)
    job = ImportJobFactory(participant=world["lab_part"], created_by=world["users"]["lab_project"])
    return {"worker": worker, "job": job, "team": world["lab_team"]}


def _client(client, world, actor):
    user = world["users"][actor]
    if user is not None:
        client.force_login(user)
    return client


def _urls(world, roster):
    code = world["project"].code
    w, t, j = roster["worker"].pk, roster["team"].pk, roster["job"].pk
    base = f"/workforce/roster/{code}"
    # url → who gets 200 on GET
    return {
        f"{base}/": IN_PROJECT,
        f"{base}/workers/{w}/": READ,
        f"{base}/workers/new/": OWN_UNIT,
        f"{base}/workers/{w}/edit/": KEEP,
        f"{base}/workers/{w}/contract/": KEEP,
        f"{base}/workers/{w}/card/": KEEP,
        f"{base}/workers/{w}/entry/": KEEP,
        f"{base}/workers/{w}/exit/": KEEP,
        f"{base}/import/": OWN_UNIT,
        f"{base}/import/template/": OWN_UNIT,
        f"{base}/import/{j}/": KEEP,
        f"{base}/import/{j}/status/": KEEP,
        f"/workforce/teams/{code}/": IN_PROJECT,
        f"/workforce/teams/{code}/new/": OWN_UNIT,
        f"/workforce/teams/{code}/{t}/": KEEP,
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_get_matrix(client, world, roster, actor):
    client = _client(client, world, actor)
    for url, allowed in _urls(world, roster).items():
        response = client.get(url)
        if actor == "anonymous":  # the login page, then back here
            assert response.status_code == 302 and response["Location"].startswith("/?next="), url
            continue
        expected = 200 if actor in allowed else 404
        assert response.status_code == expected, (url, actor, response.status_code)
        if expected == 404:
            body = response.content.decode(errors="replace")
            assert "王五" not in body and "钢筋一班" not in body


LANDINGS = {"/workforce/roster/": {"city", "luoyang", "gc", "lab", "own", "out", "far"},
            "/workforce/teams/": {"gc", "lab", "own", "out", "far"},
            "/workforce/overview/": {"gc", "lab", "own", "out", "far"},
            "/workforce/contract-template/": set(ACTORS) - {"anonymous"}}


@pytest.mark.parametrize("actor", ACTORS)
def test_landing_pages(client, world, actor):
    client = _client(client, world, actor)
    for url, allowed in LANDINGS.items():
        response = client.get(url)
        if actor == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/?next="), url
            continue
        if actor in ("gc_project", "lab_project") and url in ("/workforce/roster/", "/workforce/teams/"):
            assert response.status_code == 302 and world["project"].code in response["Location"]
            continue
        assert response.status_code == (200 if actor in allowed else 404), (url, actor)


def _counts():
    return (Person.objects.count(), ProjectWorker.objects.count(), Team.objects.count(),
            WorkerEvent.objects.count(), list(WorkerContract.objects.values_list("end_date", flat=True)),
            list(WageCard.objects.values_list("branch_name", flat=True)),
            list(Team.objects.values_list("name", flat=True)), AuditEvent.objects.count())


@pytest.mark.parametrize("actor", sorted(set(ACTORS) - KEEP))
def test_refused_posts_change_nothing(client, world, roster, actor):
    client = _client(client, world, actor)
    code, w, t = world["project"].code, roster["worker"].pk, roster["team"].pk
    base = f"/workforce/roster/{code}"
    before = _counts()
    posts = {
        f"{base}/workers/new/": {"step": "1", "name": "某人", "id_type": "01",
                                 "id_number": "11010519491231002X"},
        f"{base}/workers/{w}/edit/": {"name": "改名"},
        f"{base}/workers/{w}/reveal/": {},
        f"{base}/workers/{w}/contract/": {"agreement_kind": "labour_contract", "period_type": "0",
                                          "start_date": "2026-01-01", "end_date": "2030-01-01"},
        f"{base}/workers/{w}/card/": {"bank": "中国银行", "branch_name": "某支行",
                                      "card_number": "6216600000000001"},
        f"{base}/workers/{w}/entry/": {"date": TODAY.isoformat()},
        f"{base}/workers/{w}/exit/": {"date": TODAY.isoformat()},
        f"{base}/import/": {},
        f"{base}/import/{roster['job'].pk}/": {},
        f"/workforce/teams/{code}/new/": {"name": "新班组"},
        f"/workforce/teams/{code}/{t}/": {"name": "改名班组"},
    }
    own_unit_pages = {f"{base}/workers/new/", f"{base}/import/", f"/workforce/teams/{code}/new/"}
    for url, data in posts.items():
        if actor in OWN_UNIT and url in own_unit_pages:
            continue  # their own roster of the project: tested in test_pages
        response = client.post(url, data)
        refused = 302 if actor == "anonymous" else 404  # anonymous: to the login page
        assert response.status_code == refused, (url, actor, response.status_code)
    assert _counts() == before
    # 导出 is a read: whoever opens the roster may export what it reads (masked), others 404
    response = client.post(f"{base}/export/")
    assert response.status_code == (200 if actor in IN_PROJECT else 302 if actor == "anonymous" else 404)
