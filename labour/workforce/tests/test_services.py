"""The roster's rules, through the services (issue 8: Who does what, Rules)."""

import datetime as dt

import pytest

from labour.audit.models import Action, AuditEvent
from labour.core.errors import PermissionDenied404, ServiceError
from labour.factories import ProjectWorkerFactory, TeamFactory, WorkerContractFactory
from labour.workforce import services
from labour.workforce.choices import RosterStatus
from labour.workforce.models import Person, ProjectWorker, Team, WorkerEvent
from labour.workforce.services import TWO_SITES

from .helpers import TODAY, add, contract_for, id_number, part_data, person_data

pytestmark = pytest.mark.django_db


def _enter(world, worker, day=None, actor="lab_project"):
    return services.record_entry(actor=world["users"][actor], code=world["project"].code,
                                 worker_id=worker.pk, date=day or TODAY)


def _exit(world, worker, day=None, actor="lab_project"):
    return services.record_exit(actor=world["users"][actor], code=world["project"].code,
                                worker_id=worker.pk, date=day or TODAY)


# ------------------------------------------------------------------ persons and workers

def test_a_new_worker_gets_gender_and_birth_date_from_the_id_number(world):
    worker = add(world, seq=13, born=dt.date(1990, 2, 3))  # odd sequence: a man
    person = worker.person
    assert person.gender == "0" and person.birth_date == dt.date(1990, 2, 3)
    assert person.id_number == id_number(13, dt.date(1990, 2, 3))
    assert worker.participant == world["lab_part"] and worker.status == RosterStatus.REGISTERED
    # the ≤ 50 KB JPEG for the exchange is its own attachment
    assert person.head_image is not None and person.head_image.content_type == "image/jpeg"
    assert person.head_image.size <= 50 * 1024 and person.head_image_id != person.photo_id


def test_a_known_person_is_reused_on_another_project_and_the_name_must_match(world):
    first = add(world, seq=3, name="赵六")
    other_team = TeamFactory(participant=world["far_part"])
    far = world["users"]["far"]
    identity = {"name": "赵六", "id_type": "01", "id_number": id_number(3)}
    lookup = services.find_person(actor=far, code=world["far_project"].code, data=identity)
    assert lookup.person == first.person
    second = services.add_worker(actor=far, code=world["far_project"].code, identity=identity,
                                 person=None, project_part=part_data(), team_id=other_team.pk)
    assert second.person_id == first.person_id and Person.objects.count() == 1
    with pytest.raises(ServiceError, match="姓名与证件号码不符"):
        services.find_person(actor=far, code=world["far_project"].code,
                             data={**identity, "name": "别人"})
    with pytest.raises(ServiceError, match="已在本单位本项目"):
        services.find_person(actor=far, code=world["far_project"].code, data=identity)


def test_the_id_number_is_normalised_lower_x_and_full_width(world):
    number = next(n for s in range(1, 200) if (n := id_number(s)).endswith("X"))
    typed = number[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    found = services.find_person(actor=world["users"]["lab"], code=world["project"].code,
                                 data={"name": "钱七", "id_type": "01", "id_number": typed})
    assert found.identity["id_number"] == number


def test_gc_and_authority_read_but_cannot_add_or_edit_anothers_roster(world):
    worker = add(world, seq=5)
    for actor in ("gc", "gc_project", "city"):
        user = world["users"][actor]
        with pytest.raises(PermissionDenied404):
            services.update_worker(actor=user, code=world["project"].code, worker_id=worker.pk,
                                   person=person_data(name="改名"), project_part=part_data(),
                                   team_id=worker.team_id)
        with pytest.raises(PermissionDenied404):
            _enter(world, worker, actor=actor)
        with pytest.raises(PermissionDenied404):
            services.reveal_worker(actor=user, code=world["project"].code, worker_id=worker.pk)
    assert ProjectWorker.objects.get(pk=worker.pk).person.name == "王五"


def test_reveal_is_audited_for_the_owner(world):
    worker = add(world, seq=6)
    services.reveal_worker(actor=world["users"]["lab"], code=world["project"].code,
                           worker_id=worker.pk, ip="10.0.0.1")
    event = AuditEvent.objects.get(action=Action.WORKER_REVEALED)
    assert event.object_id == str(worker.pk) and event.enterprise_id == world["LAB"].pk


def test_an_edit_records_masked_changes(world):
    worker = add(world, seq=7)
    services.update_worker(actor=world["users"]["lab"], code=world["project"].code, worker_id=worker.pk,
                           person=person_data(name="王五", phone="13700001111", address="新住址"),
                           project_part=part_data(work_type="030"), team_id=worker.team_id)
    event = AuditEvent.objects.filter(action=Action.WORKER_UPDATED).get()
    assert event.changes["phone"] == ["159****0007", "137****1111"]
    assert event.changes["address"][1] == "新住址" and event.changes["work_type"] == ["020", "030"]
    added = AuditEvent.objects.get(action=Action.WORKER_ADDED)
    assert added.detail["id_number"] == "410102********" + id_number(7)[-4:]


# ------------------------------------------------------------------ teams

def test_team_names_are_unique_within_the_project(world):
    with pytest.raises(ServiceError, match="同名班组"):
        services.save_team(actor=world["users"]["gc_project"], code=world["project"].code,
                           data={"name": "钢筋一班"})
    team = services.save_team(actor=world["users"]["lab"], code=world["project"].code,
                              data={"name": "木工班", "responsible_name": "孙责任",
                                    "responsible_phone": "13600000000",
                                    "entry_date": TODAY - dt.timedelta(days=3)})
    assert team.participant == world["lab_part"]
    with pytest.raises(ServiceError, match="退场日期不能早于进场日期"):
        services.save_team(actor=world["users"]["lab"], code=world["project"].code, team_id=team.pk,
                           data={"name": "木工班", "entry_date": TODAY, "exit_date": TODAY - dt.timedelta(1)})


def test_the_team_leader_is_a_worker_of_the_team_and_one_per_team(world):
    leader = add(world, seq=8, is_team_leader=True)
    assert Team.objects.get(pk=world["lab_team"].pk).leader == leader
    with pytest.raises(ServiceError, match="已有班组长"):
        add(world, seq=9, is_team_leader=True)
    other = add(world, seq=10)
    services.save_team(actor=world["users"]["lab"], code=world["project"].code,
                       team_id=world["lab_team"].pk, data={"name": "钢筋一班"}, leader_id=other.pk)
    assert ProjectWorker.objects.get(pk=leader.pk).is_team_leader is False
    assert ProjectWorker.objects.get(pk=other.pk).is_team_leader is True
    stranger = ProjectWorkerFactory(participant=world["gc_part"], team=world["gc_team"])
    with pytest.raises(ServiceError, match="本班组的人员"):
        services.save_team(actor=world["users"]["lab"], code=world["project"].code,
                           team_id=world["lab_team"].pk, data={"name": "钢筋一班"},
                           leader_id=stranger.pk)


# ------------------------------------------------------------------ entry and exit

def test_entry_needs_a_contract_and_a_safety_training_date(world):
    worker = add(world, seq=20, safety_training_date=None)
    with pytest.raises(ServiceError, match="未签订劳动合同"):
        _enter(world, worker)
    contract_for(world, worker)
    with pytest.raises(ServiceError, match="未登记基本安全培训"):
        _enter(world, worker)
    assert not WorkerEvent.objects.exists()


def test_events_in_order_and_the_status_is_the_last_one(world):
    worker = add(world, seq=21)
    contract_for(world, worker)
    with pytest.raises(ServiceError, match="不能晚于今天"):
        _enter(world, worker, TODAY + dt.timedelta(days=1))
    _enter(world, worker, TODAY - dt.timedelta(days=10))
    with pytest.raises(ServiceError, match="已在场"):
        _enter(world, worker, TODAY)
    with pytest.raises(ServiceError, match="不能早于上一次进场日期"):
        _exit(world, worker, TODAY - dt.timedelta(days=11))
    _exit(world, worker, TODAY - dt.timedelta(days=5))
    with pytest.raises(ServiceError, match="不在场"):
        _exit(world, worker, TODAY)
    _enter(world, worker, TODAY - dt.timedelta(days=5))  # re-entry: a new event, same day allowed
    worker.refresh_from_db()
    assert worker.status == RosterStatus.ON_SITE and worker.last_event_date == TODAY - dt.timedelta(5)
    assert list(worker.events.values_list("kind", flat=True)) == ["1", "0", "1"]
    assert AuditEvent.objects.filter(action=Action.WORKER_EXITED).get().changes == {
        "status": ["on_site", "exited"]}


def test_under_sixteen_at_entry_is_refused_and_old_age_is_flagged(world, settings):
    young = add(world, seq=30, born=TODAY.replace(year=TODAY.year - 15) - dt.timedelta(days=1),
                safety_training_date=TODAY)
    contract_for(world, young)
    with pytest.raises(ServiceError, match="未满16周岁"):
        _enter(world, young)
    old = add(world, seq=31, born=dt.date(TODAY.year - 62, 1, 1))
    contract_for(world, old)
    assert _enter(world, old).note == "已满60周岁"
    settings.WORKFORCE_AGE_FLAG_MALE = 65
    other = add(world, seq=33, born=dt.date(TODAY.year - 62, 1, 1))
    contract_for(world, other)
    assert _enter(world, other).note == ""


def test_on_site_on_two_projects_is_a_setting(world, settings):
    worker = add(world, seq=40, name="周八")
    contract_for(world, worker)
    _enter(world, worker)
    far = world["users"]["far"]
    team = TeamFactory(participant=world["far_part"])
    identity = {"name": "周八", "id_type": "01", "id_number": id_number(40)}
    second = services.add_worker(actor=far, code=world["far_project"].code, identity=identity,
                                 person=None, project_part=part_data(), team_id=team.pk)
    WorkerContractFactory(worker=second, start_date=TODAY - dt.timedelta(30),
                          end_date=TODAY + dt.timedelta(30))
    with pytest.raises(ServiceError) as refused:
        services.record_entry(actor=far, code=world["far_project"].code, worker_id=second.pk, date=TODAY)
    assert refused.value.message == TWO_SITES  # nothing of the other project or tenant
    settings.WORKFORCE_ALLOW_TWO_SITES = True
    services.record_entry(actor=far, code=world["far_project"].code, worker_id=second.pk, date=TODAY)
    assert ProjectWorker.objects.filter(person=worker.person, status="on_site").count() == 2


def test_entry_outside_the_contract_is_refused(world):
    worker = add(world, seq=41)
    contract_for(world, worker, start=TODAY - dt.timedelta(days=3), end=TODAY + dt.timedelta(days=3))
    with pytest.raises(ServiceError, match="不在合同期限内"):
        _enter(world, worker, TODAY - dt.timedelta(days=5))


# ------------------------------------------------------------------ contract and card

def test_contract_rules(world):
    worker = add(world, seq=50)
    base = {"agreement_kind": "written_agreement", "period_type": "1", "start_date": TODAY,
            "end_date": TODAY - dt.timedelta(days=1)}
    with pytest.raises(ServiceError, match="结束日期不能早于开始日期"):
        services.save_contract(actor=world["users"]["lab"], code=world["project"].code,
                               worker_id=worker.pk, data=base)
    with pytest.raises(ServiceError, match="请选择计量单位"):
        services.save_contract(actor=world["users"]["lab"], code=world["project"].code,
                               worker_id=worker.pk, data={**base, "end_date": TODAY, "unit_price": "35.5"})
    contract = services.save_contract(actor=world["users"]["lab"], code=world["project"].code,
                                      worker_id=worker.pk,
                                      data={**base, "end_date": TODAY, "unit": "81", "unit_price": "35.5"})
    assert contract.unit_label == "平方米" and str(contract.unit_price) == "35.50"


def test_a_card_of_another_person_is_refused(world):
    first, second = add(world, seq=60), add(world, seq=61)
    data = {"bank": "郑州银行", "branch_name": "郑州银行中原支行", "link_number": "",
            "card_number": "6228 4800 1234 5678 9"}
    card = services.save_wage_card(actor=world["users"]["lab"], code=world["project"].code,
                                   worker_id=first.pk, data=data)
    assert card.bank_code == "313" and card.card_number == "6228480012345678" + "9"
    with pytest.raises(ServiceError, match="已登记在其他人员名下"):
        services.save_wage_card(actor=world["users"]["lab"], code=world["project"].code,
                                worker_id=second.pk, data=data)
    with pytest.raises(ServiceError, match="12至19位"):
        services.save_wage_card(actor=world["users"]["lab"], code=world["project"].code,
                                worker_id=second.pk, data={**data, "card_number": "12345"})
    event = AuditEvent.objects.get(action=Action.WAGE_CARD_SAVED)
    assert event.changes["card_number"] == [None, "****6789"]


def test_another_id_type_takes_gender_and_birth_date_by_hand(world):
    identity = {"name": "陈护照", "id_type": "08", "id_number": "e１２３４５６７８"}
    lookup = services.find_person(actor=world["users"]["lab"], code=world["project"].code, data=identity)
    assert lookup.identity["id_number"] == "E12345678" and "gender" not in lookup.identity
    with pytest.raises(ServiceError, match="请选择性别"):
        services.add_worker(actor=world["users"]["lab"], code=world["project"].code, identity=identity,
                            person=person_data(), project_part=part_data(), team_id=world["lab_team"].pk)
    worker = services.add_worker(
        actor=world["users"]["lab"], code=world["project"].code, identity=identity,
        person=person_data(gender="女", birth_date=dt.date(1992, 4, 5)), project_part=part_data(),
        team_id=world["lab_team"].pk, files=services.Files(photo=_photo()))
    assert worker.person.gender == "1" and worker.person.birth_date == dt.date(1992, 4, 5)
    assert worker.person.id_type_label == "护照"


def _photo():
    from labour.attachments.services import store_upload
    from labour.testing import png_bytes, upload

    return store_upload(actor=None, uploaded=upload("p.png", png_bytes((200, 260))), kind="photo")
