import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from labour.attachments.models import Attachment
from labour.attachments.services import store_upload
from labour.attachments.validation import validate_upload
from labour.testing import jpeg_bytes, pdf_bytes, png_bytes, upload


@pytest.mark.parametrize("name,data,content_type", [
    ("营业执照.png", png_bytes, "image/png"),
    ("身份证.JPG", jpeg_bytes, "image/jpeg"),
    ("photo.jpeg", jpeg_bytes, "image/jpeg"),
    ("授权书.pdf", pdf_bytes, "application/pdf"),
])
def test_real_files_pass(name, data, content_type):
    assert validate_upload(upload(name, data())).content_type == content_type


def _refused(name, data, match):
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload(name, data))
    message = exc.value.messages[0]
    assert f"“{name}”" in message, "the message names the file"
    assert match in message
    return message


def test_html_named_png_is_refused_by_name():
    _refused("fake.png", b"<!DOCTYPE html><html><body>hi</body></html>", "不符")


def test_pdf_header_followed_by_junk_is_refused():
    _refused("broken.pdf", b"%PDF-1.7\n" + b"\x00junk" * 2000, "不符")


def test_truncated_pdf_is_refused():
    _refused("cut.pdf", pdf_bytes()[:200], "不符")


def test_jpeg_named_png_is_refused():
    _refused("photo.png", jpeg_bytes(), "不符")


def test_pdf_named_jpg_is_refused():
    _refused("scan.jpg", pdf_bytes(), "不符")


def test_truncated_png_is_refused():
    _refused("cut.png", png_bytes()[:60], "不符")


def test_other_types_refused():
    _refused("letter.docx", b"PK\x03\x04 docx", "不支持")
    _refused("run.exe", b"MZ", "不支持")


def test_eleven_megabyte_file_is_refused():
    data = png_bytes() + b"\x00" * (11 * 1024 * 1024)
    _refused("big.png", data, "超过10 MB")


def test_size_limit_is_a_setting(settings):
    settings.UPLOAD_MAX_BYTES = 100
    _refused("small.png", png_bytes(), "超过")


def test_over_forty_megapixels_is_refused(settings):
    buf = io.BytesIO()
    Image.new("1", (8000, 5001)).save(buf, "PNG")  # 40.008 MP, a tiny file
    _refused("huge.png", buf.getvalue(), "尺寸过大")
    settings.UPLOAD_MAX_PIXELS = 1000
    _refused("small.png", png_bytes(size=(40, 30)), "尺寸过大")


def test_empty_file_is_refused():
    _refused("empty.png", b"", "空文件")


@pytest.mark.django_db
def test_stored_under_a_generated_private_name(settings):
    attachment = store_upload(actor=None, uploaded=upload("张三 身份证.png"), kind="id_card_front")
    assert attachment.original_name == "张三 身份证.png"
    assert "张三" not in attachment.file.name and attachment.file.name.endswith(".png")
    assert attachment.file.name.startswith("id_card_front/")
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - private storage has no public URL
    assert Attachment.objects.get().sha256 == attachment.sha256


@pytest.mark.django_db
def test_refused_upload_stores_nothing():
    with pytest.raises(ValidationError):
        store_upload(actor=None, uploaded=upload("fake.png", b"<html></html>"), kind="certificate")
    assert not Attachment.objects.exists()
