import os
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from labour.attachments.models import Attachment
from labour.attachments.services import store_upload
from labour.testing import application_data, submit, upload

pytestmark = pytest.mark.django_db


def test_abandoned_draft_uploads_are_purged_and_used_ones_kept(capsys):
    start = timezone.now() - timedelta(days=3)
    with time_machine.travel(start, tick=False):
        abandoned = store_upload(actor=None, uploaded=upload("a.png"), kind="certificate", draft_key="k1")
        application = submit(application_data())
        abandoned_too = store_upload(actor=None, uploaded=upload("b.png"), kind="certificate", draft_key="k2")
    fresh = store_upload(actor=None, uploaded=upload("c.png"), kind="certificate", draft_key="k3")
    path = abandoned.file.path
    call_command("purge_draft_uploads")
    assert "已删除 2 个" in capsys.readouterr().out
    remaining = set(Attachment.objects.values_list("pk", flat=True))
    assert abandoned.pk not in remaining and abandoned_too.pk not in remaining
    assert fresh.pk in remaining and application.certificate_id in remaining

    assert not os.path.exists(path)
