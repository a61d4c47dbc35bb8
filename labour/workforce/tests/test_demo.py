"""make run's demo (prepare_demo, demo_accounts) and the generated city."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from labour.projects.choices import InfoStatus
from labour.projects.models import Project
from labour.workforce.demo import generated_id_number
from labour.workforce.models import Person, ProjectWorker, Team, WageCard, WorkerContract, WorkerEvent
from labour.workforce.rules import resident_id

pytestmark = pytest.mark.django_db


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_prepare_demo_and_demo_accounts(client):
    _run("prepare_demo", "--workers", "12")
    _run("prepare_demo", "--workers", "12")  # idempotent
    project = Project.objects.get(name__contains="演示")
    assert project.info_status == InfoStatus.APPROVED
    assert set(project.participants.values_list("role", flat=True)) == {
        "general_contractor", "owner", "supervisor", "labour_subcontractor"}
    assert Team.objects.filter(project=project).count() == 2
    assert ProjectWorker.objects.filter(project=project).count() == 12
    assert ProjectWorker.objects.filter(status="on_site").exists()
    lines = _run("demo_accounts").strip().splitlines()
    rows = [line.split("\t") for line in lines]
    assert [r[0] for r in rows] == ["主管部门", "总包企业", "总包项目账号", "劳务分包企业",
                                    "劳务分包项目账号"]
    users = get_user_model().objects
    for _role, username, password in rows:
        user = users.get(username=username)
        assert not user.must_change_password and user.check_password(password)
    # the labour subcontractor's project account reads its roster; the GC reads it too
    client.force_login(users.get(username=rows[4][1]))
    assert client.get(f"/workforce/roster/{project.code}/").status_code == 200


def test_generated_city_is_valid():
    _run("generate_demo_data", "--projects", "4", "--workers", "90")
    assert Project.objects.count() == 4 and ProjectWorker.objects.count() == 90
    assert Person.objects.count() == 90
    for person in Person.objects.all()[:30]:
        assert resident_id(person.id_number).birth_date == person.birth_date
    assert WorkerContract.objects.exists() and WageCard.objects.exists() and WorkerEvent.objects.exists()
    on_site = ProjectWorker.objects.filter(status="on_site").first()
    assert on_site.events.get().kind == "1" and on_site.contract is not None


def test_generated_numbers_are_unique_and_valid():
    numbers = [generated_id_number(i) for i in range(0, 300_000, 997)]
    assert len(set(numbers)) == len(numbers)
    for number in numbers[:200]:
        resident_id(number)
