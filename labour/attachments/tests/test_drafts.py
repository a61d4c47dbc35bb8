"""Uploads of forms anyone may send are written only after the cheap checks pass and
within an hourly budget per address; services claim what they keep; the purge asks
every in-use check before deleting a draft."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from labour.attachments.models import Attachment
from labour.attachments.services import claim, purge_abandoned_drafts, register_in_use, store_upload
from labour.certification.tests.test_submission import files, form_data, send_code
from labour.factories import EnterpriseFactory, ProjectInformationFactory
from labour.testing import upload

pytestmark = pytest.mark.django_db
URL = "/certification/enterprise/"


@pytest.mark.parametrize("bad", [
    {"admin_phone": "1380000"},                       # not a mobile number
    {"code": "12ab"},                                 # not a 6-digit code
    {"credit_code": "91410100MA00000000"},            # wrong check digit
])
def test_nothing_is_written_before_the_cheap_checks_pass(client, bad):
    response = client.post(URL, {**form_data(**{"code": "123456", **bad}), **files()})
    html = response.content.decode()
    assert response.status_code == 200
    assert not Attachment.objects.exists()
    # the page says the chosen files were not kept, next to each of them
    assert html.count("所选文件尚未保存") == 4


def test_a_well_formed_form_refused_by_its_code_keeps_the_files(client):
    code = send_code(client)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    html = client.post(URL, {**form_data(code=wrong), **files()}).content.decode()
    assert "验证码错误" in html and "已上传：营业执照.png" in html
    assert Attachment.objects.exclude(draft_key="").count() == 4


def test_drafts_per_address_are_capped_per_hour(client, settings):
    settings.UPLOAD_DRAFTS_PER_IP_HOUR = 6
    code = send_code(client)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    client.post(URL, {**form_data(code=wrong), **files()})
    html = client.post(URL, {**form_data(code=wrong), **files()}).content.decode()
    assert Attachment.objects.count() == 6
    assert "上传文件过于频繁，请稍后再试" in html
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        client.post(URL, {**form_data(code=wrong), **files()})
    assert Attachment.objects.count() == 10


def test_claim_ends_the_draft():
    draft = store_upload(actor=None, uploaded=upload("a.png"), kind="certificate", draft_key="k")
    kept = store_upload(actor=None, uploaded=upload("b.png"), kind="certificate")
    assert claim([draft, kept, None], actor=None) == 1
    draft.refresh_from_db()
    assert draft.draft_key == ""


def test_the_purge_keeps_drafts_that_any_record_or_check_still_uses(monkeypatch):
    from labour.attachments import services

    monkeypatch.setattr(services, "_IN_USE_CHECKS", list(services._IN_USE_CHECKS))
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        held = store_upload(actor=None, uploaded=upload("a.png"), kind="notice_board",
                            draft_key="k1")
        vouched = store_upload(actor=None, uploaded=upload("b.png"), kind="other", draft_key="k2")
        abandoned = store_upload(actor=None, uploaded=upload("c.png"), kind="other",
                                 draft_key="k3")
    # a foreign key of any model holds it (found from the models, no registration)
    ProjectInformationFactory(notice_board_photo=held)
    EnterpriseFactory()
    register_in_use(lambda candidates: [vouched.pk])
    assert purge_abandoned_drafts() == 1
    remaining = set(Attachment.objects.values_list("pk", flat=True))
    assert {held.pk, vouched.pk} <= remaining and abandoned.pk not in remaining
