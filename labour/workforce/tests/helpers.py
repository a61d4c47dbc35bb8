"""A project whose information is approved, with a general contractor (GC), an
owner (OWN) and a labour subcontractor (LAB); their accounts; an enterprise that
takes part in nothing (OUT); the city authority and Luoyang's."""

import datetime as dt

import pytest

from labour.factories import (
    AuthorityFactory,
    EnterpriseAccountFactory,
    EnterpriseFactory,
    ParticipantFactory,
    ProjectAccountFactory,
    ProjectFactory,
    TeamFactory,
)
from labour.projects.choices import InfoStatus, ParticipantRole
from labour.projects.models import Participant
from labour.testing import jpeg_bytes, png_bytes, upload
from labour.workforce.rules import make_resident_id

TODAY = dt.date.today()


def id_number(seq=1, born=dt.date(1985, 6, 1), region="410102"):
    return make_resident_id(region, born, seq)


@pytest.fixture
def world(db):
    w = {}
    w["GC"] = EnterpriseFactory(name="郑州总包建设有限公司", region_code="410102")
    w["OWN"] = EnterpriseFactory(name="郑州建设单位有限公司", region_code="410105")
    w["LAB"] = EnterpriseFactory(name="郑州劳务分包有限公司", region_code="410102")
    w["OUT"] = EnterpriseFactory(name="无关企业有限公司", region_code="410100")
    w["FAR"] = EnterpriseFactory(name="洛阳总包有限公司", region_code="410302")
    w["project"] = ProjectFactory(region_code="410102", info_status=InfoStatus.APPROVED,
                                  name="郑州实名制测试项目",
                                  units={"general_contractor": w["GC"], "owner": w["OWN"]})
    w["far_project"] = ProjectFactory(region_code="410302", info_status=InfoStatus.APPROVED,
                                      name="洛阳项目", units={"general_contractor": w["FAR"]})
    w["lab_part"] = ParticipantFactory(project=w["project"], role=ParticipantRole.LABOUR_SUBCONTRACTOR,
                                       enterprise=w["LAB"])
    w["gc_part"] = Participant.objects.get(project=w["project"], credit_code=w["GC"].credit_code)
    w["far_part"] = Participant.objects.get(project=w["far_project"], credit_code=w["FAR"].credit_code)
    w["users"] = {
        "anonymous": None,
        "city": AuthorityFactory(region_code="410100"),
        "luoyang": AuthorityFactory(region_code="410300"),
        "gc": EnterpriseAccountFactory(enterprise=w["GC"]),
        "gc_project": ProjectAccountFactory(enterprise=w["GC"], project=w["project"]),
        "lab": EnterpriseAccountFactory(enterprise=w["LAB"]),
        "lab_project": ProjectAccountFactory(enterprise=w["LAB"], project=w["project"]),
        "own": EnterpriseAccountFactory(enterprise=w["OWN"]),
        "out": EnterpriseAccountFactory(enterprise=w["OUT"]),
        "far": EnterpriseAccountFactory(enterprise=w["FAR"]),
    }
    w["lab_team"] = TeamFactory(participant=w["lab_part"], name="钢筋一班")
    w["gc_team"] = TeamFactory(participant=w["gc_part"], name="总包管理班")
    return w


def person_data(**overrides):
    data = {
        "nation": "汉", "grant_org": "郑州市公安局中原分局", "id_valid_from": dt.date(2020, 1, 1),
        "id_valid_until": dt.date(2040, 1, 1), "address": "河南省郑州市中原区建设路1号",
        "phone": "13812345678", "politics_type": "13", "culture_level": "02",
        "urgent_contact_name": "李四", "urgent_contact_phone": "13987654321",
    }
    data.update(overrides)
    return data


def part_data(**overrides):
    data = {"work_role": "20", "work_type": "020", "is_team_leader": False,
            "safety_training_date": TODAY - dt.timedelta(days=30), "has_insurance": True}
    data.update(overrides)
    return data


@pytest.fixture
def photo():
    from labour.attachments.services import store_upload

    return store_upload(actor=None, uploaded=upload("照片.jpg", jpeg_bytes((600, 800))), kind="photo")


def add(world, *, actor="lab_project", seq=1, name="王五", born=dt.date(1985, 6, 1), team=None,
        photo_attachment=None, **part):
    """A worker added through the service (a new person)."""
    from labour.attachments.services import store_upload
    from labour.workforce import services

    user = world["users"][actor]
    photo_attachment = photo_attachment or store_upload(
        actor=user, uploaded=upload("照片.png", png_bytes((300, 400))), kind="photo")
    team = team or (world["lab_team"] if actor.startswith("lab") else world["gc_team"])
    return services.add_worker(
        actor=user, code=world["project"].code,
        identity={"name": name, "id_type": "01", "id_number": id_number(seq, born)},
        person=person_data(phone=f"159{seq:08d}"), project_part=part_data(**part), team_id=team.pk,
        files=services.Files(photo=photo_attachment))


def contract_for(world, worker, *, actor="lab_project", start=None, end=None):
    from labour.workforce import services

    return services.save_contract(
        actor=world["users"][actor], code=world["project"].code, worker_id=worker.pk,
        data={"agreement_kind": "labour_contract", "period_type": "0",
              "start_date": start or TODAY - dt.timedelta(days=60),
              "end_date": end or TODAY + dt.timedelta(days=300), "unit": "", "unit_price": None})
