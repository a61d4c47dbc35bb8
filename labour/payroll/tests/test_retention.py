"""The wage ledger (工资支付台账: sheets, submissions, payments, lines, items and
their files) is kept at least 3 years (保障农民工工资支付条例 第五十条): no user, no
operator in the admin, no queryset delete, no purge of draft uploads removes it;
on PostgreSQL the database refuses a row delete too."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from labour.attachments.models import Attachment
from labour.attachments.services import purge_abandoned_drafts
from labour.factories import AttachmentFactory, WageCardFactory
from labour.payroll import services
from labour.payroll.models import (
    Payment,
    RetentionError,
    SheetSubmission,
    WageItem,
    WageLine,
    WageSheet,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_20th")]
OCT = date(2026, 10, 1)
LEDGER = (WageSheet, SheetSubmission, Payment, WageLine, WageItem)


def _paid(world):
    """October's sheet returned once, signed again, confirmed, then paid in full."""
    WageCardFactory(worker=world["people"]["part"])
    sheet = services.create_sheet(actor=world["labour"], code=world["project"].code,
                                  team_id=world["team"].pk, month=OCT)
    lines = list(WageLine.objects.filter(sheet=sheet))
    services.save_lines(actor=world["labour"], number=sheet.number, lines={
        line.pk: services.LineInput(days="20", items={("gross", "计时工资"): "5000",
                                                      ("deduction", "借支"): "100"})
        for line in lines})
    first_scan, second_scan = AttachmentFactory(), AttachmentFactory()
    services.attach_signed_scan(actor=world["labour"], number=sheet.number, scan=first_scan)
    services.submit_sheet(actor=world["labour"], number=sheet.number)
    services.return_sheet(actor=world["gc"], number=sheet.number, reason="工资金额计算有误")
    services.attach_signed_scan(actor=world["labour"], number=sheet.number, scan=second_scan)
    services.submit_sheet(actor=world["labour"], number=sheet.number)
    services.confirm_sheet(actor=world["gc"], number=sheet.number)
    services.record_payment(actor=world["gc"], number=sheet.number, paid_on=date(2026, 11, 10),
                            batch_number="PC0001", receipt=AttachmentFactory(),
                            outcomes={line.pk: None for line in lines})
    sheet.refresh_from_db()
    assert sheet.status == "paid"
    return sheet


def test_each_submission_keeps_the_signed_sheet_it_was_made_with(world):
    sheet = _paid(world)
    first, second = sheet.submissions.order_by("submitted_at", "id")
    assert first.signed_scan is not None and second.signed_scan == sheet.signed_scan
    assert first.signed_scan != second.signed_scan  # the returned version's scan is not lost


def test_no_row_of_the_ledger_is_deleted_one_by_one_or_by_a_queryset(world):
    sheet = _paid(world)
    counts = {model: model.objects.count() for model in LEDGER}
    assert all(counts.values()), counts
    for model in LEDGER:
        with pytest.raises(RetentionError, match="保存至少3年"):
            model.objects.first().delete()
        with pytest.raises(RetentionError):
            model.objects.all().delete()
    for related in (sheet.lines, sheet.payments, sheet.submissions,
                    WageLine.objects.filter(sheet=sheet).first().items):
        with pytest.raises(RetentionError):
            related.all().delete()
    assert {model: model.objects.count() for model in LEDGER} == counts


def test_what_the_ledger_holds_cannot_go_with_its_files_or_workers(world):
    sheet = _paid(world)
    with pytest.raises(ProtectedError):
        Attachment.objects.filter(pk=sheet.signed_scan_id).first().delete()
    with pytest.raises(ProtectedError):
        Payment.objects.get().receipt.delete()
    with pytest.raises(ProtectedError):
        world["people"]["whole"].delete()
    assert WageSheet.objects.filter(pk=sheet.pk).exists()


def test_the_purge_of_draft_uploads_keeps_every_file_of_the_ledger(world):
    sheet = _paid(world)
    submissions = list(sheet.submissions.all())
    held = {sheet.signed_scan_id, Payment.objects.get().receipt_id,
            *(s.signed_scan_id for s in submissions)}
    assert len(held) == 3  # two signed versions and the bank receipt
    # as if each were still a draft of a form, long abandoned
    old = timezone.now() - timedelta(days=30)
    Attachment.objects.filter(pk__in=held).update(draft_key="abandoned-session", uploaded_at=old)
    stray = AttachmentFactory()
    Attachment.objects.filter(pk=stray.pk).update(draft_key="abandoned-session", uploaded_at=old)
    assert purge_abandoned_drafts(older_than_hours=48) == 1
    assert not Attachment.objects.filter(pk=stray.pk).exists()
    assert Attachment.objects.filter(pk__in=held).count() == 3


@pytest.fixture
def operator(client):
    user = get_user_model().objects.create_superuser("ops", password="Ops12345")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", LEDGER, ids=lambda m: m.__name__)
def test_the_admin_shows_the_ledger_read_only_and_deletes_nothing(world, operator, model):
    _paid(world)
    row = model.objects.first()
    base = f"/ops/payroll/{model._meta.model_name}/"
    listing = operator.get(base)
    assert listing.status_code == 200
    assert 'value="delete_selected"' not in listing.content.decode()
    assert operator.get(f"{base}add/").status_code == 403
    detail = operator.get(f"{base}{row.pk}/change/")
    html = detail.content.decode()
    assert detail.status_code == 200 and 'name="_save"' not in html
    assert "密文" not in html and "gAAAA" not in html  # no encrypted number shown
    assert operator.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    refused = operator.post(base, {"action": "delete_selected", "_selected_action": [row.pk],
                                   "post": "yes"})
    assert refused.status_code in (200, 302, 403)
    assert model.objects.filter(pk=row.pk).exists()


def test_a_line_of_a_draft_may_still_be_removed(world):
    sheet = services.create_sheet(actor=world["labour"], code=world["project"].code,
                                  team_id=world["team"].pk, month=OCT)
    line = WageLine.objects.filter(sheet=sheet).first()
    services.save_lines(actor=world["labour"], number=sheet.number, lines={
        line.pk: services.LineInput(days="3", items={("gross", "计时工资"): "600"})})
    services.remove_line(actor=world["labour"], number=sheet.number, line_id=line.pk)
    assert not WageLine.objects.filter(pk=line.pk).exists()


@pytest.mark.postgres
def test_postgresql_refuses_a_raw_delete_of_the_ledger(world):
    if connection.vendor != "postgresql":
        pytest.skip("the delete triggers are PostgreSQL's: set DATABASE_URL=postgres://…")
    sheet = _paid(world)
    for model in LEDGER:
        table = model._meta.db_table
        with pytest.raises(IntegrityError, match="保存至少3年"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a table name of ours
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.all()._raw_delete(connection.alias)
    assert WageLine.objects.filter(sheet=sheet).count() == 2
    # a draft's unpaid line (and its items) may still go, as remove_line does
    november = services.create_sheet(actor=world["labour"], code=world["project"].code,
                                     team_id=world["team"].pk, month=date(2026, 11, 1))
    line = WageLine.objects.filter(sheet=november).first()
    services.save_lines(actor=world["labour"], number=november.number, lines={
        line.pk: services.LineInput(days="3", items={("gross", "计时工资"): "600"})})
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM payroll_wageitem WHERE line_id = %s", [line.pk])
        cursor.execute("DELETE FROM payroll_wageline WHERE id = %s", [line.pk])
    assert not WageLine.objects.filter(pk=line.pk).exists()
