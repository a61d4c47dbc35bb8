"""Prove that an upload is the JPG, PNG or PDF its name says, by its content."""

import hashlib
import io
import os
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

ACCEPTED_HELP = "支持文件：JPG、PNG、PDF"
_EXTENSIONS = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".pdf": "application/pdf"}
_PIL_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


def _human_size(n):
    return f"{n / 1024 / 1024:.0f} MB"


def upload_help():
    """What every upload states beside it: the types and the size limit
    (settings.UPLOAD_MAX_BYTES), e.g. 「支持文件：JPG、PNG、PDF，单个文件不超过10 MB」."""
    return f"{ACCEPTED_HELP}，单个文件不超过{_human_size(settings.UPLOAD_MAX_BYTES)}"


class _TooLarge(Exception):
    pass


def _sniff_image(data, name):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt = img.format
                width, height = img.size
                # the size is in the header: refuse before a single pixel is decoded
                if width * height > settings.UPLOAD_MAX_PIXELS:
                    raise _TooLarge
                img.verify()
            # verify() checks structure; load() decodes every pixel (truncated data fails)
            with Image.open(io.BytesIO(data)) as img:
                img.load()
    except (_TooLarge, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            f"文件“{name}”的图片尺寸过大（不超过{settings.UPLOAD_MAX_PIXELS // 1_000_000}百万像素）"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return _PIL_TYPES.get(fmt or "")


ACTIVE = "active"
# what may run when a PDF is opened: refused (a document to review needs none of it)
_ACTIVE_KEYS = ("/OpenAction", "/AA", "/JavaScript", "/JS", "/Launch", "/EmbeddedFiles",
                "/RichMedia", "/XFA", "/SubmitForm", "/ImportData")


def _active_content(reader, data):
    """True if the PDF carries JavaScript, an action run on opening, a launch or
    embedded files — in its catalogue, names, pages or annotations, or in its bytes."""
    if any(key.encode() in data for key in ("/JavaScript", "/OpenAction", "/Launch", "/JS ",
                                             "/JS(", "/EmbeddedFile", "/RichMedia", "/XFA")):
        return True
    root = reader.trailer["/Root"]
    nodes = [root, root.get("/Names", {}), root.get("/AcroForm", {})]
    for page in reader.pages:
        nodes.append(page)
        for annot in page.get("/Annots", []) or []:
            nodes.append(annot.get_object())
    for node in nodes:
        node = node.get_object() if hasattr(node, "get_object") else node
        if any(key in node for key in _ACTIVE_KEYS):
            return True
        action = node.get("/A")
        if action is not None and action.get_object().get("/S") in ("/JavaScript", "/Launch",
                                                                      "/SubmitForm"):
            return True
    return False


def _sniff_pdf(data):
    if not data.startswith(b"%PDF-"):
        return None
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            return None
        if len(reader.pages) < 1:
            return None
        reader.pages[0].mediabox  # noqa: B018 - parses the first page
        if _active_content(reader, data):
            return ACTIVE
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            AssertionError, RecursionError):
        return None
    except Exception:  # pypdf raises many kinds on damaged files
        return None
    return "application/pdf"


@dataclass(frozen=True)
class Checked:
    """An upload whose content proved to be what its name says (not stored yet)."""

    name: str
    content_type: str
    data: bytes
    sha256: str


def validate_upload(uploaded):
    """Return the Checked upload or raise ValidationError naming the file."""
    name = os.path.basename(uploaded.name or "文件")
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(f"文件“{name}”超过{_human_size(limit)}，请压缩后重新上传")
    if uploaded.size == 0:
        raise ValidationError(f"文件“{name}”是空文件")
    ext = os.path.splitext(name)[1].lower()
    claimed = _EXTENSIONS.get(ext)
    if claimed is None:
        raise ValidationError(f"文件“{name}”的类型不支持，{ACCEPTED_HELP}")
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"文件“{name}”超过{_human_size(limit)}，请压缩后重新上传")
    actual = _sniff_pdf(data) if claimed == "application/pdf" else _sniff_image(data, name)
    if actual is ACTIVE:
        raise ValidationError(f"文件“{name}”含有脚本或自动执行的动作，不能上传："
                              "请打印为普通PDF或拍照后重新上传")
    if actual != claimed:
        raise ValidationError(f"文件“{name}”的内容与其类型不符或已损坏，{ACCEPTED_HELP}")
    return Checked(name=name, content_type=actual, data=data,
                   sha256=hashlib.sha256(data).hexdigest())
