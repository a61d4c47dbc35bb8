"""项目账号认证 services: the order of seed 2.8, review by the unit's own enterprise
account, the account it creates, return, abandon, resubmission."""

import pytest
from django.core.cache import cache
from django.test import Client

from labour.accounts.models import User
from labour.attachments.services import store_upload
from labour.audit.models import Action, AuditEvent
from labour.certification import project_accounts as pa
from labour.certification.choices import ProjectAccountStatus
from labour.certification.selectors import NOT_YET, eligibility, open_projects
from labour.core.errors import PermissionDenied404, ServiceError
from labour.core.roles import AccountKind
from labour.enterprises.models import Enterprise
from labour.enterprises.selectors import find_certified
from labour.notifications.models import SmsMessage
from labour.notifications.services import send_code
from labour.projects import information as info_services
from labour.projects.choices import ParticipantRole
from labour.testing import complete, enterprise_account, latest_code, make_uscc, password_from_sms, upload

pytestmark = pytest.mark.django_db
ADMIN_PHONE = "13655550000"


def data_for(enterprise, project, phone=ADMIN_PHONE):
    files = {f: store_upload(actor=None, uploaded=upload(f"{f}.png"), kind=f)
             for f in ("authorisation_letter", "id_card_front", "id_card_back")}
    return pa.ProjectAccountData(enterprise=enterprise, project=project, admin_name="赵六",
                                 admin_phone=phone, **files)


def apply(enterprise, project, phone=ADMIN_PHONE, previous_number=""):
    cache.delete(f"code-cooldown:project_cert:{phone}")
    send_code(phone=phone, purpose="project_cert", ip="10.0.0.1")
    return pa.submit(actor=None, data=data_for(enterprise, project, phone), code=latest_code(phone),
                     previous_number=previous_number, ip="10.0.0.1")


@pytest.fixture
def labour_unit(setup):
    """A certified labour subcontractor added by the general contractor."""
    account = enterprise_account(setup["authority"], 601, "13700000601")
    info_services.add_participant(actor=setup["gc"], code=setup["project"].code,
                                  role=ParticipantRole.LABOUR_SUBCONTRACTOR,
                                  unit_name="测试企业601", credit_code=account.username)
    return account


def test_first_three_may_apply_as_soon_as_the_project_exists(setup):
    gc_unit = setup["gc"].enterprise
    assert eligibility(gc_unit, setup["project"]) is None
    assert eligibility(setup["owner"].enterprise, setup["project"]) is None
    application = apply(gc_unit, setup["project"])
    assert application.status == ProjectAccountStatus.SUBMITTED
    assert AuditEvent.objects.filter(action=Action.PROJECT_ACCOUNT_SUBMITTED).count() == 1
    # one pending application per (project, unit)
    with pytest.raises(ServiceError, match="待审核"):
        apply(gc_unit, setup["project"], phone="13655550001")


def test_labour_subcontractor_refused_before_approval_accepted_after(setup, labour_unit):
    project, unit = setup["project"], labour_unit.enterprise
    assert eligibility(unit, project) == NOT_YET
    with pytest.raises(ServiceError) as exc:
        apply(unit, project)
    assert exc.value.message == "该项目信息尚未审核通过，专业承包/劳务分包单位暂不能进行项目账号认证"
    assert not SmsMessage.objects.filter(template="verify_code", phone=ADMIN_PHONE).exclude(
        text__contains="项目账号认证").exists()
    complete(setup)
    info_services.submit_information(actor=setup["gc"], code=project.code)
    assert eligibility(unit, project) == NOT_YET  # submitted is not approved
    info_services.approve_information(actor=setup["authority"], code=project.code)
    assert eligibility(unit, project) is None
    assert apply(unit, project).status == ProjectAccountStatus.SUBMITTED


def test_a_unit_that_is_not_a_participant_cannot_apply(setup):
    outsider = enterprise_account(setup["authority"], 602, "13700000602").enterprise
    assert "不是本项目的参建单位" in eligibility(outsider, setup["project"])
    assert [reason for _, reason in open_projects(outsider)] == []


def test_projects_open_to_lists_the_reason(setup, labour_unit):
    rows = open_projects(labour_unit.enterprise)
    assert [(p.code, r) for p, r in rows] == [(setup["project"].code, NOT_YET)]
    assert open_projects(setup["gc"].enterprise) == [(setup["project"], None)]


def test_reviewed_by_its_own_enterprise_account_only(setup):
    application = apply(setup["gc"].enterprise, setup["project"])
    for stranger in (setup["owner"], setup["authority"]):
        with pytest.raises(PermissionDenied404):
            pa.approve(actor=stranger, number=application.number)
    with pytest.raises(ServiceError, match="退回原因"):
        pa.return_(actor=setup["gc"], number=application.number, reason="")
    pa.approve(actor=setup["gc"], number=application.number)
    application.refresh_from_db()
    account = application.account
    assert application.status == ProjectAccountStatus.APPROVED
    assert account.kind == AccountKind.PROJECT and account.project == setup["project"]
    assert account.enterprise == setup["gc"].enterprise and account.must_change_password
    assert account.username.startswith("XM") and len(account.username) == 8
    text = SmsMessage.objects.filter(phone=ADMIN_PHONE).latest("id").text
    assert f"登录名称：{account.username}" in text
    password = password_from_sms(text)
    client = Client()
    response = client.post("/", {"kind": "project", "project-username": account.username,
                                 "project-password": password})
    assert response.status_code == 302
    assert client.get("/home/")["Location"] == "/account/password/"
    with pytest.raises(ServiceError, match="不能重复审核"):
        pa.approve(actor=setup["gc"], number=application.number)
    # one active project account per (project, unit)
    assert eligibility(setup["gc"].enterprise, setup["project"]) == "该单位在本项目已有项目账号"
    assert User.objects.filter(kind=AccountKind.PROJECT).count() == 1


def test_return_then_resubmit_or_abandon(setup):
    unit, project = setup["owner"].enterprise, setup["project"]
    first = apply(unit, project)
    pa.return_(actor=setup["owner"], number=first.number, reason="授权书未盖项目章")
    assert "授权书未盖项目章" in SmsMessage.objects.filter(phone=ADMIN_PHONE).latest("id").text
    second = apply(unit, project, previous_number=first.number)
    assert second.previous == first
    with pytest.raises(ServiceError, match="未重新认证的申请可以放弃"):
        pa.abandon(actor=None, number=first.number, phone=ADMIN_PHONE)
    pa.return_(actor=setup["owner"], number=second.number, reason="身份证不清晰")
    with pytest.raises(PermissionDenied404):
        pa.abandon(actor=None, number=second.number, phone="13600000000")  # not the applicant's phone
    pa.abandon(actor=None, number=second.number, phone=ADMIN_PHONE)
    second.refresh_from_db()
    assert second.status == ProjectAccountStatus.ABANDONED
    assert eligibility(unit, project) is None  # may start again later


def test_find_unit_by_name_or_credit_code(setup):
    enterprise = setup["gc"].enterprise
    assert find_certified(enterprise.name) == enterprise
    assert find_certified(enterprise.credit_code.lower()) == enterprise
    assert find_certified(make_uscc("410100", 999)) is None
    assert Enterprise.objects.count() == 2


def test_projects_offered_cost_the_same_queries_for_2_and_20_projects(django_assert_max_num_queries):
    from labour.factories import EnterpriseFactory, ParticipantFactory, ProjectFactory

    unit = EnterpriseFactory()

    def offered(count):
        for _ in range(count):
            ParticipantFactory(project=ProjectFactory(), enterprise=unit,
                               role=ParticipantRole.LABOUR_SUBCONTRACTOR)
        with django_assert_max_num_queries(1):
            return open_projects(unit)

    assert len(offered(2)) == 2
    rows = offered(18)
    assert len(rows) == 20 and all(reason == NOT_YET for _, reason in rows)
