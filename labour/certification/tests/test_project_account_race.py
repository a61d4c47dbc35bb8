"""项目账号认证 under concurrency: two decisions on the same pending application, and
two submissions for the same (project, unit) at the same moment.

PostgreSQL only: approve/return lock the application row (SELECT … FOR UPDATE) and
a partial unique index allows one pending application per (project, unit), so the
second thread waits for the first to commit and is then refused cleanly. Each
thread has its own database connection. A delay inside the transaction (in
`record`, called after the lock / the insert and before commit) makes both
threads overlap for sure; `test_without_the_row_lock_the_race_is_lost` shows
that this harness does catch a double decision when the lock is removed.
"""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection

from labour.attachments.services import store_upload
from labour.audit.models import Action, AuditEvent
from labour.certification import project_accounts as pa
from labour.certification.choices import ProjectAccountStatus
from labour.certification.models import ProjectAccountApplication
from labour.core.errors import ServiceError
from labour.core.roles import AccountKind
from labour.notifications.choices import SmsStatus, SmsTemplate
from labour.notifications.models import SmsMessage
from labour.notifications.services import send_code
from labour.projects.choices import ParticipantRole
from labour.projects.services import ProjectData, UnitRef, create_project
from labour.reviews import services as review_services
from labour.testing import latest_code, make_uscc, password_from_sms, race, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DELAY = 0.2
REASON = "授权书未加盖项目章"


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock race needs PostgreSQL (SQLite serialises writers and ignores "
                    "SELECT FOR UPDATE): set DATABASE_URL=postgres://…")


def _slow_critical_section(monkeypatch):
    """Sleep inside the service's transaction: `record` is called by submit (after
    the insert), approve and return (after the row lock), just before commit."""
    original = pa.record

    def slow_record(*args, **kwargs):
        time.sleep(DELAY)
        return original(*args, **kwargs)

    monkeypatch.setattr(pa, "record", slow_record)
    monkeypatch.setattr(review_services, "record", slow_record)


def _more_projects(setup, count):
    """Further projects of the same general contractor and owner, so that each
    round of a race has its own pending application."""
    projects = []
    for i in range(count):
        data = ProjectData(name=f"并发测试项目{i}", region_code="410102", address="某路1号",
                           category="building", nature="new", total_investment=Decimal("1"),
                           floor_area=Decimal("1"), planned_start=date(2026, 1, 1),
                           planned_end=date(2026, 6, 30))
        projects.append(create_project(actor=setup["authority"], data=data, first_participants={
            ParticipantRole.GENERAL_CONTRACTOR: UnitRef("测试企业501", setup["gc"].username),
            ParticipantRole.OWNER: UnitRef("测试企业502", setup["owner"].username),
            ParticipantRole.SUPERVISOR: UnitRef("某监理公司", make_uscc("410100", 503)),
        }))
    return projects


def _data(enterprise, project, phone):
    files = {f: store_upload(actor=None, uploaded=upload(f"{f}.png"), kind=f)
             for f in ("authorisation_letter", "id_card_front", "id_card_back")}
    return pa.ProjectAccountData(enterprise=enterprise, project=project, admin_name="赵六",
                                 admin_phone=phone, **files)


def _code_for(phone, ip):
    cache.delete(f"code-cooldown:project_cert:{phone}")
    send_code(phone=phone, purpose="project_cert", ip=ip)
    return latest_code(phone)


def _apply(enterprise, project, phone, ip="10.1.0.1"):
    return pa.submit(actor=None, data=_data(enterprise, project, phone), code=_code_for(phone, ip), ip=ip)


def _approve(actor, number):
    return lambda: pa.approve(actor=actor, number=number)


def _return(actor, number):
    return lambda: pa.return_(actor=actor, number=number, reason=REASON)


def _one_winner(outcomes):
    winners = [i for i, (_result, exc) in enumerate(outcomes) if exc is None]
    assert len(winners) == 1, f"expected exactly one decision, got {outcomes}"
    loser = outcomes[1 - winners[0]][1]
    assert isinstance(loser, ServiceError), f"loser failed with {loser!r}, not ServiceError"
    assert loser.message.endswith("，不能重复审核")
    return winners[0]


def _sms(application, template):
    return SmsMessage.objects.filter(phone=application.admin_phone, template=template)


def _events(application, action):
    return AuditEvent.objects.filter(action=action, object_id=str(application.pk))


def _project_accounts(application):
    return get_user_model().objects.filter(kind=AccountKind.PROJECT, project=application.project,
                                           enterprise=application.enterprise)


def _assert_approved_once(application, reviewer):
    application.refresh_from_db()
    assert application.status == ProjectAccountStatus.APPROVED
    assert application.reviewer == reviewer
    accounts = _project_accounts(application)
    assert accounts.count() == 1
    account = accounts.get()
    assert application.account == account
    approved_sms = _sms(application, SmsTemplate.PROJECT_ACCOUNT_APPROVED)
    assert approved_sms.count() == 1
    message = approved_sms.get()
    assert message.status == SmsStatus.SENT  # delivered after the winner's commit
    assert f"登录名称：{account.username}" in message.text
    assert account.check_password(password_from_sms(message.text))
    assert not _sms(application, SmsTemplate.PROJECT_ACCOUNT_RETURNED).exists()
    assert _events(application, Action.PROJECT_ACCOUNT_APPROVED).count() == 1
    assert not _events(application, Action.PROJECT_ACCOUNT_RETURNED).exists()


def _assert_returned_once(application, reviewer):
    application.refresh_from_db()
    assert application.status == ProjectAccountStatus.RETURNED
    assert application.reviewer == reviewer and application.return_reason == REASON
    assert application.account is None
    assert not _project_accounts(application).exists()
    assert not _sms(application, SmsTemplate.PROJECT_ACCOUNT_APPROVED).exists()
    returned = _sms(application, SmsTemplate.PROJECT_ACCOUNT_RETURNED)
    assert returned.count() == 1 and REASON in returned.get().text
    assert _events(application, Action.PROJECT_ACCOUNT_RETURNED).count() == 1
    assert not _events(application, Action.PROJECT_ACCOUNT_APPROVED).exists()


def test_gc_approves_the_same_application_twice_at_once_one_account(monkeypatch, setup):
    projects = [setup["project"], *_more_projects(setup, 2)]
    gc = setup["gc"]
    applications = [_apply(gc.enterprise, project, f"1366000000{i}")
                    for i, project in enumerate(projects)]
    _slow_critical_section(monkeypatch)
    for application in applications:
        outcomes = race(_approve(gc, application.number), _approve(gc, application.number))
        winner = _one_winner(outcomes)
        assert outcomes[1 - winner][1].message == "该申请已通过，不能重复审核"
        _assert_approved_once(application, gc)
    assert get_user_model().objects.filter(kind=AccountKind.PROJECT).count() == len(projects)


def test_approve_and_return_at_once_only_one_decision(monkeypatch, setup):
    projects = [setup["project"], *_more_projects(setup, 3)]
    owner = setup["owner"]
    applications = [_apply(owner.enterprise, project, f"1367000000{i}")
                    for i, project in enumerate(projects)]
    _slow_critical_section(monkeypatch)
    for i, application in enumerate(applications):
        calls = [_approve(owner, application.number), _return(owner, application.number)]
        if i % 2:  # alternate which thread is started first
            calls.reverse()
        outcomes = race(*calls)
        winner = _one_winner(outcomes)
        approve_won = (winner == 0) != bool(i % 2)
        if approve_won:
            assert outcomes[1 - winner][1].message == "该申请已通过，不能重复审核"
            _assert_approved_once(application, owner)
        else:
            assert outcomes[1 - winner][1].message == "该申请已退回，不能重复审核"
            _assert_returned_once(application, owner)
    assert not ProjectAccountApplication.objects.filter(
        status=ProjectAccountStatus.SUBMITTED).exists()


def test_two_submissions_for_the_same_unit_at_once_one_pending(monkeypatch, setup):
    projects = [setup["project"], *_more_projects(setup, 2)]
    unit = setup["gc"].enterprise
    _slow_critical_section(monkeypatch)
    for i, project in enumerate(projects):
        phones = (f"1368000{i:02d}01", f"1368000{i:02d}02")
        # each administrator's phone has its own valid code, asked for beforehand
        ips = (f"10.2.{i}.1", f"10.2.{i}.2")
        prepared = [(_data(unit, project, phone), _code_for(phone, ip))
                    for phone, ip in zip(phones, ips, strict=True)]
        outcomes = race(*(
            (lambda data=data, code=code, ip=ip: pa.submit(actor=None, data=data, code=code, ip=ip))
            for (data, code), ip in zip(prepared, ips, strict=True)))
        winners = [n for n, (_result, exc) in enumerate(outcomes) if exc is None]
        assert len(winners) == 1, f"expected exactly one submission, got {outcomes}"
        loser = outcomes[1 - winners[0]][1]
        assert isinstance(loser, ServiceError), f"loser failed with {loser!r}"
        assert loser.message == "该单位在本项目已有待审核的项目账号认证申请"
        pending = ProjectAccountApplication.objects.filter(
            project=project, enterprise=unit, status=ProjectAccountStatus.SUBMITTED)
        assert pending.count() == 1
        assert pending.get().admin_phone == phones[winners[0]]
        assert pending.get().number == outcomes[winners[0]][0].number
        assert AuditEvent.objects.filter(action=Action.PROJECT_ACCOUNT_SUBMITTED,
                                         object_id=str(pending.get().pk)).count() == 1
    assert ProjectAccountApplication.objects.count() == len(projects)
    assert AuditEvent.objects.filter(action=Action.PROJECT_ACCOUNT_SUBMITTED).count() == len(
        projects)


def test_without_the_row_lock_the_race_is_lost(monkeypatch, setup):
    """Control: with the lock removed the same race creates two project accounts,
    so the tests above would fail if approve/return stopped locking the row.
    (Tolerant of scheduling: at least one of the rounds must break.)"""
    projects = [setup["project"], *_more_projects(setup, 1)]
    gc = setup["gc"]
    applications = [_apply(gc.enterprise, project, f"1369000000{i}")
                    for i, project in enumerate(projects)]

    original = pa.access_project_account_application

    def unlocked(actor, number, *, for_update=False):
        return original(actor, number, for_update=False)

    monkeypatch.setattr(pa, "access_project_account_application", unlocked)
    _slow_critical_section(monkeypatch)
    broken = 0
    for application in applications:
        outcomes = race(_approve(gc, application.number), _approve(gc, application.number))
        if all(exc is None for _result, exc in outcomes):
            broken += 1
            # both "approved": two accounts created, two passwords sent
            assert _project_accounts(application).count() == 2
            assert _sms(application, SmsTemplate.PROJECT_ACCOUNT_APPROVED).count() == 2
    assert broken >= 1
