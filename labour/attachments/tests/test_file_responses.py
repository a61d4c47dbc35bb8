"""Private files are served as documents of their own (issue 10 §3): under a
`sandbox` Content-Security-Policy (no script runs, even in a PDF the browser renders),
nosniff, never cached, framed only by the site's own review pages; the page that shows
a PDF frames it from the site itself."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from labour.attachments.views import FILE_POLICY
from labour.factories import AttachmentFactory, EnterpriseApplicationFactory
from labour.testing import pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


@pytest.fixture
def application():
    pdf = AttachmentFactory(original_name="营业执照.pdf", content_type="application/pdf",
                            size=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(),
                            file=ContentFile(PDF, name="factory.pdf"))
    return EnterpriseApplicationFactory(region_code="410102", certificate=pdf)


def _directives(response):
    return [part.strip() for part in response["Content-Security-Policy"].split(";")]


def _assert_private(response):
    directives = _directives(response)
    assert directives[0] == "sandbox"  # no allow-scripts, no allow-same-origin
    assert "default-src 'none'" in directives and "frame-ancestors 'self'" in directives
    assert "script-src" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_a_pdf_is_served_sandboxed_inline_and_framed_only_by_the_site(client, authority,
                                                                      application):
    client.force_login(authority)
    response = client.get(f"/files/{application.certificate_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    _assert_private(response)
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # the site's own policy is replaced, not added to (two policies would both apply)
    assert response.headers.get("Content-Security-Policy") == FILE_POLICY

    saved = client.get(f"/files/{application.certificate_id}/", {"download": "1"})
    assert saved["Content-Disposition"].startswith("attachment;")
    _assert_private(saved)


def test_an_image_and_its_thumbnail_are_sandboxed(client, authority, application):
    client.force_login(authority)
    image = client.get(f"/files/{application.id_card_front_id}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    _assert_private(image)
    thumb = client.get(f"/files/{application.id_card_front_id}/thumb/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    _assert_private(thumb)
    assert thumb["X-Frame-Options"] == "DENY"


def test_the_review_page_frames_the_pdf_from_the_site_under_its_own_policy(client, authority,
                                                                          application):
    client.force_login(authority)
    response = client.get(f"/certification/review/{application.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<iframe src="/files/{application.certificate_id}/"' in html
    directives = _directives(response)
    assert "frame-src 'self'" in directives and "frame-ancestors 'none'" in directives
    assert "sandbox" not in directives


def test_someone_else_gets_404_without_the_file(client, application):
    from labour.factories import AuthorityFactory

    client.force_login(AuthorityFactory(region_code="410300"))
    response = client.get(f"/files/{application.certificate_id}/")
    assert response.status_code == 404
    assert "sandbox" not in response["Content-Security-Policy"]
