"""Two reviewers decide the same submitted project information at once: exactly one
decision, one history row decided, one SMS (PostgreSQL: the project row is locked)."""

import time

import pytest
from django.db import connection

from labour.core.errors import ServiceError
from labour.notifications.models import SmsMessage
from labour.projects import information as info_services
from labour.projects.choices import InfoStatus
from labour.projects.models import ProjectInfoSubmission
from labour.reviews import services as review_services
from labour.reviews.choices import ReviewStatus
from labour.testing import GC_PHONE, complete, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock race needs PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def province(db):
    from labour.accounts.services import save_authority_user

    user, _ = save_authority_user(actor=None, username="ha_reviewer", region_code="410000",
                                  name="河南省住房和城乡建设厅", password="Review2026")
    return user


@pytest.mark.parametrize("second", ["approve", "return"])
def test_two_decisions_at_once_give_exactly_one(setup, province, monkeypatch, second):
    code = setup["project"].code
    complete(setup)
    info_services.submit_information(actor=setup["gc"], code=code)
    original = review_services.record

    def slow_record(*args, **kwargs):  # hold the lock a while inside the decision
        time.sleep(0.2)
        return original(*args, **kwargs)

    monkeypatch.setattr(review_services, "record", slow_record)
    sms_before = SmsMessage.objects.filter(phone=GC_PHONE).count()
    other = (lambda: info_services.approve_information(actor=province, code=code)) \
        if second == "approve" else \
        (lambda: info_services.return_information(actor=province, code=code, reason="不清晰"))
    outcomes = race(lambda: info_services.approve_information(actor=setup["authority"], code=code),
                     other)
    errors = [error for _, error in outcomes if error is not None]
    assert len(errors) == 1 and isinstance(errors[0], ServiceError), outcomes
    assert "不能重复审核" in errors[0].message
    setup["project"].refresh_from_db()
    assert setup["project"].info_status in (InfoStatus.APPROVED, InfoStatus.RETURNED)
    decided = ProjectInfoSubmission.objects.filter(project=setup["project"]).exclude(
        status=ReviewStatus.SUBMITTED)
    assert decided.count() == 1
    assert SmsMessage.objects.filter(phone=GC_PHONE).count() == sms_before + 1
