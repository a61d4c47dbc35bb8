"""Who may see the review pages and the certification documents.

Anyone without the right gets 404 (never 403: the object does not exist for
them) and nothing changes. Files are served only through /files/<uuid>/."""

import importlib
import os
import re
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import storages

from labour.attachments.services import store_upload
from labour.audit.models import Action, AuditEvent
from labour.certification.models import EnterpriseApplication
from labour.certification.services import approve_application
from labour.enterprises.choices import ENTERPRISE_DOCUMENTS
from labour.enterprises.models import Enterprise
from labour.notifications.models import SmsMessage
from labour.reviews.choices import ReviewStatus
from labour.testing import application_data, png_bytes, submit, upload

pytestmark = pytest.mark.django_db

QUEUE = "/certification/review/"
FIELDS = list(ENTERPRISE_DOCUMENTS)


def _detail(application):
    return f"/certification/review/{application.number}/"


def _file(attachment_id):
    return f"/files/{attachment_id}/"


def _approved_account(application, authority):
    """Approve and return the enterprise account, as after its first password change."""
    approve_application(actor=authority, number=application.number)
    user = get_user_model().objects.get(username=application.credit_code)
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    return user


@pytest.fixture
def world(authority, other_authority):
    """A pending application of 中原区 (410102), two approved enterprises of
    Zhengzhou, and a pending application of 洛阳 (410302)."""
    pending = submit(application_data(region="410102", seq=1, phone="13800000001",
                                      name="郑州待审核建设有限公司"))
    own = submit(application_data(region="410105", seq=2, phone="13800000002",
                                  name="郑州金水建设有限公司"))
    other = submit(application_data(region="410173", seq=3, phone="13800000003",
                                    name="郑州航空港建设有限公司"))
    luoyang = submit(application_data(region="410302", seq=4, phone="13800000004",
                                      name="洛阳老城建设有限公司"))
    return SimpleNamespace(
        pending=pending, luoyang=luoyang, own=own, other=other,
        enterprise=_approved_account(own, authority),
        other_enterprise=_approved_account(other, authority),
    )


def _snapshot():
    return {
        "applications": list(EnterpriseApplication.objects.order_by("pk").values_list(
            "pk", "status", "reviewer", "reviewed_at", "return_reason")),
        "enterprises": Enterprise.objects.count(),
        "users": get_user_model().objects.count(),
        "sms": SmsMessage.objects.count(),
        "events": {action: AuditEvent.objects.filter(action=action).count()
                   for action in (Action.APPLICATION_APPROVED, Action.APPLICATION_RETURNED,
                                  Action.FILE_DOWNLOADED)},
    }


def _login(client, who, world, other_authority):
    user = {"anonymous": None, "enterprise": world.enterprise,
            "other_authority": other_authority}[who]
    if user is not None:
        client.force_login(user)


def _request(client, what, application):
    action, _, field = what.partition(":")
    if action == "queue":
        return client.get(QUEUE)
    if action == "detail":
        return client.get(_detail(application))
    if action == "approve":
        return client.post(_detail(application), {"decision": "approve"})
    if action == "return":
        return client.post(_detail(application), {"decision": "return", "reason": "越权退回"})
    if action == "file":
        return client.get(_file(getattr(application, f"{field}_id")))
    if action == "download":
        return client.get(_file(getattr(application, f"{field}_id")), {"download": "1"})
    if action == "thumb":  # the preview of an image: the file's own permission
        return client.get(_file(getattr(application, f"{field}_id")) + "thumb/")
    raise AssertionError(what)


WHAT = (["queue", "detail", "approve", "return"]
        + [f"file:{f}" for f in FIELDS] + [f"download:{f}" for f in FIELDS]
        + [f"thumb:{f}" for f in FIELDS])


@pytest.mark.parametrize(("who", "what"), [
    (who, what) for who in ("anonymous", "enterprise", "other_authority") for what in WHAT
    # another reviewer has a queue of its own: see the next test
    if (who, what) != ("other_authority", "queue")
])
def test_outsiders_get_404_and_nothing_changes(client, world, other_authority, who, what):
    """Signed in as someone else: 404. Not signed in: the login page (then 404 too)."""
    _login(client, who, world, other_authority)
    before = _snapshot()
    response = _request(client, what, world.pending)
    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/?next=")
    else:
        assert response.status_code == 404
    assert _snapshot() == before
    world.pending.refresh_from_db()
    assert world.pending.status == ReviewStatus.SUBMITTED
    assert not Enterprise.objects.filter(credit_code=world.pending.credit_code).exists()


def test_another_reviewers_queue_does_not_list_it(client, world, other_authority):
    client.force_login(other_authority)
    for params in ({}, {"q": world.pending.name}, {"q": world.pending.credit_code}):
        response = client.get(QUEUE, params)
        assert response.status_code == 200
        assert world.pending.number not in response.content.decode()
    html = client.get(QUEUE).content.decode()
    assert world.luoyang.number in html
    assert "共 1 条" in html


@pytest.mark.parametrize("what", WHAT)
def test_the_reviewer_of_the_jurisdiction_is_let_in(client, world, authority, what):
    """The control for the test above: the same requests by the right reviewer."""
    client.force_login(authority)
    response = _request(client, what, world.pending)
    expected = 302 if what in ("approve", "return") else 200
    assert response.status_code == expected
    world.pending.refresh_from_db()
    assert world.pending.status == {"approve": ReviewStatus.APPROVED,
                                    "return": ReviewStatus.RETURNED}.get(
                                        what, ReviewStatus.SUBMITTED)


@pytest.mark.parametrize("field", FIELDS)
def test_other_jurisdiction_works_both_ways(client, world, authority, other_authority, field):
    """410300 sees its own 410302 files; 410100 does not."""
    url = _file(getattr(world.luoyang, f"{field}_id"))
    client.force_login(other_authority)
    assert client.get(url).status_code == 200
    assert client.get(_detail(world.luoyang)).status_code == 200
    client.force_login(authority)
    assert client.get(url).status_code == 404
    assert client.get(_detail(world.luoyang)).status_code == 404


@pytest.mark.parametrize("field", FIELDS)
def test_reviewer_download_headers_and_audit(client, world, authority, field):
    attachment = getattr(world.pending, field)
    client.force_login(authority)
    before = AuditEvent.objects.filter(action=Action.FILE_DOWNLOADED).count()

    response = client.get(_file(attachment.pk), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert 'filename="file.png"' in disposition
    assert f"filename*=UTF-8''{field}.png" in disposition
    assert b"".join(response.streaming_content) == png_bytes()

    saved = client.get(_file(attachment.pk), {"download": "1"})
    assert saved.status_code == 200
    assert saved["Content-Disposition"].startswith("attachment;")
    assert saved["X-Content-Type-Options"] == "nosniff"

    events = AuditEvent.objects.filter(action=Action.FILE_DOWNLOADED).order_by("id")
    assert events.count() == before + 2
    event = events.first()
    assert event.actor == authority
    assert event.object_id == str(attachment.pk)
    assert event.ip == "10.9.8.7"
    assert event.detail["name"] == f"{field}.png"


@pytest.mark.parametrize("field", FIELDS)
def test_enterprise_sees_only_its_own_documents(client, world, field):
    client.force_login(world.enterprise)
    own = client.get(_file(getattr(world.own, f"{field}_id")))
    assert own.status_code == 200
    assert own["Content-Disposition"]
    assert own["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action=Action.FILE_DOWNLOADED, actor=world.enterprise,
                                     object_id=str(getattr(world.own, f"{field}_id"))).exists()
    # another enterprise's certification, a pending application, another city
    for application in (world.other, world.pending, world.luoyang):
        assert client.get(_file(getattr(application, f"{field}_id"))).status_code == 404


def test_enterprise_before_its_first_password_change_is_sent_to_change_it(client, world,
                                                                         authority):
    fresh = submit(application_data(region="410102", seq=9, phone="13800000009"))
    approve_application(actor=authority, number=fresh.number)
    user = get_user_model().objects.get(username=fresh.credit_code)
    assert user.must_change_password
    client.force_login(user)
    before = _snapshot()
    for url in (_file(fresh.certificate_id), _file(world.pending.certificate_id), QUEUE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/account/password/"
    assert _snapshot() == before


def test_files_not_in_any_visible_application_are_404(client, world, authority):
    draft = store_upload(actor=None, uploaded=upload("草稿.png"), kind="certificate", draft_key="abc")
    client.force_login(authority)
    assert client.get(_file(draft.pk)).status_code == 404
    assert client.get(_file(uuid.uuid4())).status_code == 404
    assert client.get("/files/not-a-uuid/").status_code == 404
    assert not AuditEvent.objects.filter(action=Action.FILE_DOWNLOADED).exists()


def test_stored_name_is_generated_and_there_is_no_public_url(client, world, authority):
    original = "张三 身份证正面（扫描件）.png"
    attachment = store_upload(actor=None, uploaded=upload(original), kind="id_card_front")
    name = attachment.file.name
    assert re.fullmatch(r"id_card_front/\d{4}/\d{2}/[0-9a-f]{32}\.png", name), name
    assert attachment.original_name == original
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    on_disk = root / name
    assert on_disk.read_bytes() == png_bytes()
    assert not any("张三" in str(p) or "身份证" in str(p) for p in root.rglob("*"))
    for application in (world.pending, world.own):
        for field in FIELDS:
            stored = getattr(application, field).file.name
            assert field + ".png" not in stored
            assert re.fullmatch(rf"{field}/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.png", stored)

    # no MEDIA_URL in the project's settings, no URL from the private storage
    project = importlib.import_module(os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"))
    assert getattr(project, "MEDIA_URL", "") == ""
    private = project.STORAGES["private"]
    if private["BACKEND"].endswith("FileSystemStorage"):
        assert private["OPTIONS"]["base_url"] is None
    with pytest.raises(ValueError):
        storages["private"].url(name)

    # nothing serves the stored path, whoever asks
    for who in (None, authority):
        if who is not None:
            client.force_login(who)
        for url in (f"/media/{name}", f"/{name}", f"/private/{name}", f"/var/private/{name}",
                    f"/static/{name}", f"/files/{name}"):
            assert client.get(url).status_code == 404, url
