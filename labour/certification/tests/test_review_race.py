"""Two reviewers decide the same pending application at the same moment.

PostgreSQL only: the decision locks the application row (SELECT … FOR UPDATE),
so the second reviewer waits for the first to commit and then sees the
application already decided. Each thread has its own database connection.
A delay inside the critical section (after the row lock, before commit) makes
both threads overlap for sure; `test_without_the_row_lock_the_race_is_lost`
shows that this harness does catch a double decision when the lock is removed.
"""

import time

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection

from labour.audit.models import Action, AuditEvent
from labour.certification import services
from labour.certification.models import EnterpriseApplication
from labour.core.errors import ServiceError
from labour.enterprises.models import Enterprise
from labour.notifications.choices import SmsStatus, SmsTemplate
from labour.notifications.models import SmsMessage
from labour.reviews import services as review_services
from labour.reviews.choices import ReviewStatus
from labour.testing import application_data, password_from_sms, race, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5
DELAY = 0.2
REASON = "授权书未加盖公章"


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock race needs PostgreSQL (SQLite serialises writers and ignores "
                    "SELECT FOR UPDATE): set DATABASE_URL=postgres://…")


@pytest.fixture
def province(db):
    """A reviewer of 410000: also has jurisdiction over 4101xx."""
    from labour.accounts.services import save_authority_user

    user, _ = save_authority_user(actor=None, username="ha_reviewer", region_code="410000",
                                  name="河南省住房和城乡建设厅", password="Review2026")
    return user


def _pending_applications(count, first_seq):
    applications = []
    for i in range(count):
        seq = first_seq + i
        data = application_data(seq=seq, phone=f"1391000{seq:04d}",
                                name=f"郑州并发审核测试{seq}建筑有限公司")
        applications.append(submit(data, ip=f"10.0.{seq // 200}.{seq % 200 + 1}"))
    return applications


def _slow_critical_section(monkeypatch):
    """Sleep inside the decision's transaction, after the row lock: `record` is
    called by both approve and return just before they commit."""
    original = review_services.record

    def slow_record(*args, **kwargs):
        time.sleep(DELAY)
        return original(*args, **kwargs)

    monkeypatch.setattr(review_services, "record", slow_record)


def _approve(actor, number):
    return lambda: services.approve_application(actor=actor, number=number)


def _return(actor, number):
    return lambda: services.return_application(actor=actor, number=number, reason=REASON)


def _one_winner(outcomes):
    """Exactly one call succeeded; every other one was refused as already decided."""
    winners = [i for i, (result, exc) in enumerate(outcomes) if exc is None]
    assert len(winners) == 1, f"expected exactly one decision, got {outcomes}"
    for i, (_result, exc) in enumerate(outcomes):
        if i != winners[0]:
            assert isinstance(exc, ServiceError), f"loser failed with {exc!r}, not ServiceError"
            assert exc.message.endswith("，不能重复审核")
    return winners[0]


def _sms(application, template):
    return SmsMessage.objects.filter(phone=application.admin_phone, template=template)


def _events(application, action):
    return AuditEvent.objects.filter(action=action, object_id=str(application.pk))


def _assert_approved_once(application, reviewer):
    application.refresh_from_db()
    assert application.status == ReviewStatus.APPROVED
    assert application.reviewer == reviewer
    code = application.credit_code
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.application_id == application.pk
    users = get_user_model().objects.filter(username=code)
    assert users.count() == 1
    user = users.get()
    assert user.enterprise_id == enterprise.pk
    approved_sms = _sms(application, SmsTemplate.ENTERPRISE_APPROVED)
    assert approved_sms.count() == 1
    message = approved_sms.get()
    assert message.status == SmsStatus.SENT  # delivered after the winner's commit
    # the password that was sent is the password of the account that exists
    assert user.check_password(password_from_sms(message.text))
    assert not _sms(application, SmsTemplate.ENTERPRISE_RETURNED).exists()
    events = _events(application, Action.APPLICATION_APPROVED)
    assert events.count() == 1
    assert events.get().actor == reviewer
    assert not _events(application, Action.APPLICATION_RETURNED).exists()


def _assert_returned_once(application, reviewer):
    application.refresh_from_db()
    assert application.status == ReviewStatus.RETURNED
    assert application.reviewer == reviewer
    assert application.return_reason == REASON
    assert not Enterprise.objects.filter(credit_code=application.credit_code).exists()
    assert not get_user_model().objects.filter(username=application.credit_code).exists()
    assert not _sms(application, SmsTemplate.ENTERPRISE_APPROVED).exists()
    returned_sms = _sms(application, SmsTemplate.ENTERPRISE_RETURNED)
    assert returned_sms.count() == 1
    assert REASON in returned_sms.get().text
    events = _events(application, Action.APPLICATION_RETURNED)
    assert events.count() == 1
    assert events.get().actor == reviewer
    assert not _events(application, Action.APPLICATION_APPROVED).exists()


def test_two_reviewers_approve_at_once_only_one_account(monkeypatch, authority, province):
    applications = _pending_applications(ROUNDS, first_seq=1)
    _slow_critical_section(monkeypatch)
    reviewers = (authority, province)
    for application in applications:
        outcomes = race(*(_approve(r, application.number) for r in reviewers))
        winner = _one_winner(outcomes)
        assert outcomes[1 - winner][1].message == "该申请已通过，不能重复审核"
        _assert_approved_once(application, reviewers[winner])
    assert Enterprise.objects.count() == ROUNDS
    assert EnterpriseApplication.objects.filter(status=ReviewStatus.SUBMITTED).count() == 0


def test_approve_and_return_at_once_only_one_decision(monkeypatch, authority, province):
    applications = _pending_applications(ROUNDS, first_seq=101)
    _slow_critical_section(monkeypatch)
    for i, application in enumerate(applications):
        # alternate who approves, and the order in which the threads are started
        approver, returner = (authority, province) if i % 2 == 0 else (province, authority)
        calls = [_approve(approver, application.number), _return(returner, application.number)]
        if i % 3 == 1:
            calls.reverse()
        outcomes = race(*calls)
        winner = _one_winner(outcomes)
        winning_call_is_approve = (winner == 0) != (i % 3 == 1)
        if winning_call_is_approve:
            assert outcomes[1 - winner][1].message == "该申请已通过，不能重复审核"
            _assert_approved_once(application, approver)
        else:
            assert outcomes[1 - winner][1].message == "该申请已退回，不能重复审核"
            _assert_returned_once(application, returner)


def _invariant_holds(outcomes):
    try:
        _one_winner(outcomes)
    except AssertionError:
        return False
    return True


def test_without_the_row_lock_the_race_is_lost(monkeypatch, authority, province):
    """Control: the same races with the lock removed break the invariant, so the
    tests above would fail if approve/return stopped locking the row. (Kept
    tolerant of scheduling: at least one round of each kind must break.)"""
    applications = _pending_applications(4, first_seq=201)
    original = services.access_enterprise_application

    def unlocked(user, number, *, for_update=False):
        return original(user, number, for_update=False)

    monkeypatch.setattr(services, "access_enterprise_application", unlocked)
    _slow_critical_section(monkeypatch)

    approve_twice = [race(_approve(authority, a.number), _approve(province, a.number))
                     for a in applications[:2]]
    # both read "pending"; the second insert of the enterprise then waits for the
    # first and hits the unique index: an IntegrityError instead of a clean refusal
    assert not all(_invariant_holds(outcomes) for outcomes in approve_twice)
    assert any(isinstance(exc, IntegrityError)
               for outcomes in approve_twice for _result, exc in outcomes)

    approve_and_return = [race(_approve(authority, a.number), _return(province, a.number))
                          for a in applications[2:]]
    assert not all(_invariant_holds(outcomes) for outcomes in approve_and_return)
    for application, outcomes in zip(applications[2:], approve_and_return, strict=True):
        if all(exc is None for _result, exc in outcomes):
            # both decisions "succeeded": the account and the return reason were both sent
            assert _sms(application, SmsTemplate.ENTERPRISE_RETURNED).exists()
            assert _sms(application, SmsTemplate.ENTERPRISE_APPROVED).exists()
