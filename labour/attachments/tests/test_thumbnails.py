"""A 10 MB phone photo is accepted, and pages show it as a small preview made once
(JPEG decoded at a reduced scale), behind the file's own permission check."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, JpegImagePlugin

from labour.attachments.models import Attachment
from labour.attachments.services import purge_abandoned_drafts, store_upload
from labour.attachments.thumbnails import THUMBNAIL_SIZE, make_thumbnail
from labour.audit.models import Action, AuditEvent
from labour.factories import EnterpriseApplicationFactory
from labour.testing import pdf_bytes

pytestmark = pytest.mark.django_db


def phone_photo(limit):
    """A 12-megapixel (4000×3000) JPEG with EXIF 'rotate 90°', of noise so that it is
    as heavy as a phone's photo: the best quality that stays under `limit` bytes."""
    img = Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the phone was held upright
    for quality in (95, 90, 88, 85, 80, 70, 60):
        out = io.BytesIO()
        img.save(out, "JPEG", quality=quality, exif=exif.tobytes())
        if out.tell() <= limit:
            return out.getvalue()
    raise AssertionError("no quality fits the limit")


@pytest.fixture
def photo_limit(settings):
    return settings.UPLOAD_MAX_BYTES


def test_a_ten_megabyte_phone_photo_is_accepted_and_previewed_small(client, authority,
                                                                    photo_limit, monkeypatch):
    data = phone_photo(photo_limit)
    stored = store_upload(actor=None, uploaded=SimpleUploadedFile("IMG_0001.jpg", data),
                          kind="id_card_front")
    assert stored.size == len(data) and stored.size > 0.8 * photo_limit  # about 10 MB
    application = EnterpriseApplicationFactory(id_card_front=stored, region_code="410102")
    assert application.id_card_front_id == stored.pk

    drafts = []
    original = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        drafts.append(size)
        return original(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    client.force_login(authority)
    response = client.get(f"/files/{stored.pk}/thumb/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert len(body) < 100 * 1024
    with Image.open(io.BytesIO(body)) as thumb:
        assert max(thumb.size) == THUMBNAIL_SIZE
        assert thumb.size[1] > thumb.size[0]  # turned upright by its EXIF orientation
    assert drafts == [(THUMBNAIL_SIZE, THUMBNAIL_SIZE)]  # decoded at a reduced scale

    # made once: a second view reads the kept file
    stored.refresh_from_db()
    name = stored.thumbnail.name
    assert name.startswith("thumbnails/") and stored.thumbnail.storage.exists(name)
    again = client.get(f"/files/{stored.pk}/thumb/")
    assert b"".join(again.streaming_content) == body
    stored.refresh_from_db()
    assert stored.thumbnail.name == name and len(drafts) == 1
    events = AuditEvent.objects.filter(action=Action.FILE_DOWNLOADED, object_id=str(stored.pk))
    assert events.count() == 2 and all(e.detail["thumbnail"] for e in events)


def test_review_page_shows_thumbnails_linking_to_the_full_file(client, authority):
    application = EnterpriseApplicationFactory(region_code="410102")
    client.force_login(authority)
    page = client.get(f"/certification/review/{application.number}/").content.decode()
    for att in (application.authorisation_letter, application.id_card_front):
        assert f'<a class="thumb" href="/files/{att.pk}/"' in page
        assert f'<img src="/files/{att.pk}/thumb/"' in page


def test_pdf_has_no_thumbnail_and_outsiders_get_404(client, authority, other_authority):
    pdf = store_upload(actor=None, uploaded=SimpleUploadedFile("证书.pdf", pdf_bytes()),
                       kind="certificate")
    application = EnterpriseApplicationFactory(certificate=pdf, region_code="410102")
    client.force_login(authority)
    assert client.get(f"/files/{pdf.pk}/thumb/").status_code == 404
    image = application.id_card_back
    client.force_login(other_authority)  # another city
    assert client.get(f"/files/{image.pk}/thumb/").status_code == 404
    client.logout()
    assert client.get(f"/files/{image.pk}/thumb/").status_code == 302  # to the login page
    image.refresh_from_db()
    assert not image.thumbnail  # nothing made for them


def test_purge_removes_a_drafts_thumbnail_too(authority, client):
    from datetime import timedelta

    from django.utils import timezone

    draft = store_upload(actor=None, uploaded=SimpleUploadedFile("a.jpg", _small_jpeg()),
                         kind="id_card_front", draft_key="k")
    data = make_thumbnail(draft.file.open("rb"))
    draft.thumbnail.save("thumbnails/t.jpg", _content(data), save=True)
    name = draft.thumbnail.name
    Attachment.objects.filter(pk=draft.pk).update(uploaded_at=timezone.now() - timedelta(days=3))
    assert purge_abandoned_drafts() == 1
    assert not draft.thumbnail.storage.exists(name)


def _small_jpeg():
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (10, 200, 30)).save(out, "JPEG")
    return out.getvalue()


def _content(data):
    from django.core.files.base import ContentFile

    return ContentFile(data)
