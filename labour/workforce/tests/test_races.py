"""Races on PostgreSQL: one person entering two projects at once (the person row is
locked: exactly one 进场 when two sites are not allowed); two 「确认导入」 of the
same file (imported once)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from labour.core.errors import ServiceError
from labour.factories import TeamFactory, WorkerContractFactory
from labour.testing import race
from labour.workforce import importing, services
from labour.workforce.models import ProjectWorker, WorkerEvent

from .helpers import TODAY, add, contract_for, id_number, part_data
from .sheets import cn, good_row, workbook_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock race needs PostgreSQL: set DATABASE_URL=postgres://…")


def test_one_person_entering_two_projects_at_once_enters_one(world):
    first = add(world, seq=1, name="周八")
    contract_for(world, first)
    far = world["users"]["far"]
    team = TeamFactory(participant=world["far_part"])
    second = services.add_worker(actor=far, code=world["far_project"].code,
                                 identity={"name": "周八", "id_type": "01", "id_number": id_number(1)},
                                 person=None, project_part=part_data(), team_id=team.pk)
    WorkerContractFactory(worker=second, start_date=TODAY - dt.timedelta(30),
                          end_date=TODAY + dt.timedelta(30))
    outcomes = race(
        lambda: services.record_entry(actor=world["users"]["lab"], code=world["project"].code,
                                      worker_id=first.pk, date=TODAY),
        lambda: services.record_entry(actor=far, code=world["far_project"].code,
                                      worker_id=second.pk, date=TODAY))
    errors = [exc for _result, exc in outcomes if exc is not None]
    assert len(errors) == 1 and isinstance(errors[0], ServiceError)
    assert errors[0].message == services.TWO_SITES
    assert WorkerEvent.objects.count() == 1
    assert ProjectWorker.objects.filter(status="on_site").count() == 1


def test_two_confirms_of_one_file_import_it_once(world):
    rows = [good_row(id_number(i), f"工人{cn(i)}") for i in (11, 12, 13)]
    user = world["users"]["lab"]
    job = importing.start_import(actor=user, code=world["project"].code,
                                 upload=SimpleUploadedFile("a.xlsx", workbook_bytes(rows)))
    importing.check_import(job.pk)

    def confirm():
        confirmed = importing.confirm_import(actor=user, code=world["project"].code, job_id=job.pk)
        return importing.run_import(confirmed.pk)

    outcomes = race(confirm, confirm)
    errors = [exc for _result, exc in outcomes if exc is not None]
    assert len(errors) == 1 and isinstance(errors[0], ServiceError)
    assert ProjectWorker.objects.count() == 3
