"""services.create_project: the authority's 「新建项目」 (seed 2.8)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from labour.accounts.services import save_authority_user
from labour.audit.models import Action, AuditEvent
from labour.certification.services import approve_application
from labour.core.errors import ServiceError
from labour.projects.choices import InfoStatus, ParticipantRole
from labour.projects.models import Participant, Project
from labour.projects.services import ProjectData, UnitRef, create_project
from labour.testing import application_data, make_uscc, submit

pytestmark = pytest.mark.django_db

GC, OWNER, SUPERVISOR = (ParticipantRole.GENERAL_CONTRACTOR, ParticipantRole.OWNER,
                         ParticipantRole.SUPERVISOR)


def _data(**changes):
    data = ProjectData(
        name="郑州市中原区安置房建设项目", region_code="410102", address="郑州市中原区建设西路18号",
        category="building", nature="new", total_investment=Decimal("12000.50"),
        floor_area=Decimal("35600.00"), planned_start=date(2026, 3, 1),
        planned_end=date(2027, 12, 31), permit_no="410102202603010101")
    return replace(data, **changes)


def _units(seq=100):
    return {
        GC: UnitRef(unit_name="郑州第一建筑工程集团有限公司", credit_code=make_uscc("410100", seq)),
        OWNER: UnitRef(unit_name="郑州中原城市建设投资有限公司", credit_code=make_uscc("410102", seq + 1)),
        SUPERVISOR: UnitRef(unit_name="河南建达工程监理有限公司", credit_code=make_uscc("410105", seq + 2)),
    }


def _reviewer(username, region):
    user, _ = save_authority_user(actor=None, username=username, region_code=region, name=f"{region}住建局",
                                  password="Review2026")
    return user


def _nothing_created():
    assert Project.objects.count() == 0
    assert Participant.objects.count() == 0
    assert not AuditEvent.objects.filter(action=Action.PROJECT_CREATED).exists()


def test_creates_project_participants_and_audit_event(authority):
    units = _units()
    project = create_project(actor=authority, data=_data(), first_participants=units, ip="10.1.2.3")

    year = timezone.localtime().year
    assert project.code == f"XM410102{year}00001"
    project.refresh_from_db()
    assert project.name == "郑州市中原区安置房建设项目"
    assert project.region_code == "410102"
    assert project.total_investment == Decimal("12000.50")
    assert project.planned_end == date(2027, 12, 31)
    assert project.permit_no == "410102202603010101"
    assert project.info_status == InfoStatus.DRAFT
    assert project.created_by == authority

    rows = {p.role: p for p in project.participants.all()}
    assert set(rows) == {GC, OWNER, SUPERVISOR}
    for role, unit in units.items():
        assert rows[role].credit_code == unit.credit_code
        assert rows[role].unit_name == unit.unit_name
        assert rows[role].added_by == authority

    event = AuditEvent.objects.get(action=Action.PROJECT_CREATED)
    assert event.actor == authority
    assert event.ip == "10.1.2.3"
    assert event.object_id == str(project.pk)
    assert event.detail["code"] == project.code
    assert event.detail["participants"] == {role: u.credit_code for role, u in units.items()}


def test_codes_are_consecutive_per_region_and_year(authority):
    year = timezone.localtime().year
    first = create_project(actor=authority, data=_data(), first_participants=_units(100))
    second = create_project(actor=authority, data=_data(name="第二个项目"),
                            first_participants=_units(200))
    other_region = create_project(actor=authority, data=_data(region_code="410105"),
                                  first_participants=_units(300))
    third = create_project(actor=authority, data=_data(name="第三个项目"),
                           first_participants=_units(400))

    assert first.code == f"XM410102{year}00001"
    assert second.code == f"XM410102{year}00002"
    assert third.code == f"XM410102{year}00003"
    assert other_region.code == f"XM410105{year}00001"
    assert len({p.code for p in Project.objects.all()}) == 4
    assert Participant.objects.count() == 12


def test_code_follows_the_highest_existing_sequence(authority):
    year = timezone.localtime().year
    create_project(actor=authority, data=_data(), first_participants=_units(100))
    Project.objects.filter(code=f"XM410102{year}00001").update(code=f"XM410102{year}00041")
    project = create_project(actor=authority, data=_data(), first_participants=_units(200))
    assert project.code == f"XM410102{year}00042"


def test_refused_outside_the_jurisdiction_of_a_city(authority):
    with pytest.raises(ServiceError) as exc:
        create_project(actor=authority, data=_data(region_code="410305"),
                       first_participants=_units())
    assert exc.value.field == "region_code"
    assert "管辖范围" in exc.value.message
    _nothing_created()


def test_refused_for_a_neighbouring_district():
    zhongyuan = _reviewer("zy_reviewer", "410102")
    with pytest.raises(ServiceError):
        create_project(actor=zhongyuan, data=_data(region_code="410103"),
                       first_participants=_units())
    _nothing_created()
    # its own district is fine
    project = create_project(actor=zhongyuan, data=_data(region_code="410102"),
                             first_participants=_units())
    assert project.region_code == "410102"


def test_province_reviewer_may_create_in_a_functional_zone():
    province = _reviewer("ha_reviewer", "410000")
    project = create_project(actor=province, data=_data(region_code="410173"),
                             first_participants=_units())
    assert project.code.startswith("XM410173")
    assert project.participants.count() == 3


def test_refused_when_end_before_start(authority):
    with pytest.raises(ServiceError) as exc:
        create_project(actor=authority,
                       data=_data(planned_start=date(2026, 5, 2), planned_end=date(2026, 5, 1)),
                       first_participants=_units())
    assert exc.value.field == "planned_end"
    _nothing_created()


def test_same_start_and_end_day_is_allowed(authority):
    project = create_project(actor=authority,
                             data=_data(planned_start=date(2026, 5, 2), planned_end=date(2026, 5, 2)),
                             first_participants=_units())
    assert project.pk


@pytest.mark.parametrize("role", [GC, OWNER, SUPERVISOR])
def test_refused_when_one_of_the_first_roles_is_missing(authority, role):
    units = _units()
    del units[role]
    with pytest.raises(ServiceError) as exc:
        create_project(actor=authority, data=_data(), first_participants=units)
    assert ParticipantRole(role).label in exc.value.message
    _nothing_created()


def test_refused_for_an_enterprise_account(authority):
    credit_code = make_uscc("410102", 7)
    approve_application(actor=authority, number=submit(application_data(
        credit_code=credit_code, region="410102", seq=7, phone="13800000007")).number)
    enterprise_user = get_user_model().objects.get(username=credit_code)
    enterprise_user.must_change_password = False
    enterprise_user.save()
    # the enterprise's own region, to be sure it is the kind of account that is refused
    with pytest.raises(ServiceError):
        create_project(actor=enterprise_user, data=_data(region_code="410102"),
                       first_participants=_units())
    _nothing_created()
