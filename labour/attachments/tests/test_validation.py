import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

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


def _pdf_with(**catalog):

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    for key, where in catalog.items():
        action = writer._add_object(DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)")}))
        if where == "catalog":
            writer._root_object[NameObject(f"/{key}")] = action
        else:  # a link annotation on the page whose action is a script
            annotation = writer._add_object(DictionaryObject({
                NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/A"): action}))
            page[NameObject("/Annots")] = writer._add_object(ArrayObject([annotation]))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("catalog", [{"OpenAction": "catalog"}, {"AA": "catalog"},
                                     {"link": "page"}])
def test_a_pdf_that_runs_something_when_opened_is_refused(catalog):
    with pytest.raises(ValidationError, match="含有脚本或自动执行的动作"):
        validate_upload(upload("授权书.pdf", _pdf_with(**catalog)))
    assert validate_upload(upload("授权书.pdf", _pdf_with())).content_type == "application/pdf"


def test_an_oversized_image_is_refused_from_its_header_before_any_pixel_is_decoded(
        monkeypatch):
    big = png_bytes(size=(9000, 9000), color=(255, 255, 255))
    assert len(big) < 400_000  # a small file that would decode to 243 MB of pixels
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    monkeypatch.setattr(Image.Image, "verify", lambda self: decoded.append(self) or None)
    with pytest.raises(ValidationError, match="尺寸过大"):
        validate_upload(upload("巨图.png", big))
    assert decoded == []
