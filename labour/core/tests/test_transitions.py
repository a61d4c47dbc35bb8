"""Every status machine: each allowed change goes through, every other change is
refused by advance() and leaves the row as it was."""

import inspect
import sys

import pytest
from django.apps import apps
from django.db import models

from labour.certification.choices import PROJECT_ACCOUNT_FLOW
from labour.core.transitions import TransitionError, advance, flows
from labour.factories import (
    EnterpriseApplicationFactory,
    ImportJobFactory,
    PaymentFactory,
    ProjectAccountApplicationFactory,
    ProjectFactory,
    ProjectInfoSubmissionFactory,
    ProjectWorkerFactory,
    SheetSubmissionFactory,
    SmsMessageFactory,
    WageLineFactory,
    WageSheetFactory,
)
from labour.notifications.choices import SMS_FLOW
from labour.payroll.choices import LINE_FLOW, SHEET_FLOW, SUBMISSION_FLOW
from labour.payroll.models import WageLine
from labour.projects.choices import INFO_FLOW
from labour.reviews.choices import REVIEW_FLOW
from labour.workforce.choices import IMPORT_FLOW, ROSTER_FLOW

pytestmark = pytest.mark.django_db

# flow → (a row in status `value`, the status field)
ROWS = {
    REVIEW_FLOW: (lambda value: EnterpriseApplicationFactory(status=value), "status"),
    PROJECT_ACCOUNT_FLOW: (lambda value: ProjectAccountApplicationFactory(status=value), "status"),
    INFO_FLOW: (lambda value: ProjectFactory(info_status=value), "info_status"),
    SMS_FLOW: (lambda value: SmsMessageFactory(status=value), "status"),
    ROSTER_FLOW: (lambda value: ProjectWorkerFactory(status=value), "status"),
    IMPORT_FLOW: (lambda value: ImportJobFactory(status=value), "status"),
    SHEET_FLOW: (lambda value: WageSheetFactory(status=value), "status"),
    SUBMISSION_FLOW: (lambda value: SheetSubmissionFactory(status=value), "status"),
    LINE_FLOW: (lambda value: WageLineFactory(pay_status=value), "pay_status"),
}


def _what_the_database_also_asks(row, new):
    """Fields a database check requires with the new status (a return has its reason;
    a paid line its date, payment and card)."""
    if new == "returned" and hasattr(row, "return_reason"):
        return {"return_reason": "材料不清晰"}
    if new == "paid" and isinstance(row, WageLine):
        return {"paid_on": row.sheet.month, "payment": PaymentFactory(sheet=row.sheet),
                "card_number_token": "token"}
    return {}


def test_every_status_enum_has_its_flow():
    """A status enum of the platform without a transition table fails here."""
    governed = {flow.status for flow in flows()}
    enums = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("labour."):
            continue
        module = sys.modules.get(f"{config.name}.choices")
        for _name, value in inspect.getmembers(module or object, inspect.isclass):
            if issubclass(value, models.TextChoices) and value.__name__.endswith("Status"):
                enums.add(value)
    assert enums and enums <= governed, enums - governed
    assert set(ROWS) == set(flows()), "give every flow a row builder in ROWS"


CASES = [(flow, old, new) for flow in flows() for old, new in flow.pairs()]


@pytest.mark.parametrize(("flow", "old", "new"), CASES,
                         ids=[f"{f.name}:{a}->{b}" for f, a, b in CASES])
def test_transition(flow, old, new):
    build, field = ROWS[flow]
    row = build(old)
    model = type(row)
    if flow.allows(old, new):
        extra = _what_the_database_also_asks(row, new)
        assert advance(row, new, flow=flow, field=field, **extra) == old
        assert getattr(model.objects.get(pk=row.pk), field) == new
    else:
        with pytest.raises(TransitionError):
            advance(row, new, flow=flow, field=field)
        assert getattr(model.objects.get(pk=row.pk), field) == old


def test_advance_saves_only_the_named_fields():
    row = ProjectInfoSubmissionFactory()
    row.snapshot = {"changed": "in memory only"}
    advance(row, "returned", flow=REVIEW_FLOW, return_reason="不清晰")
    row.refresh_from_db()
    assert (row.status, row.return_reason, row.snapshot) == ("returned", "不清晰", {})


def test_a_flow_naming_an_unknown_status_is_refused():
    from labour.core.transitions import Flow
    from labour.reviews.choices import ReviewStatus

    with pytest.raises(ValueError, match="unknown"):
        Flow(ReviewStatus, {"submitted": ("archived",)}, name="坏")
