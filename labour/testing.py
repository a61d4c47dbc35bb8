"""Helpers shared by the test suites: real files, real credit codes, applications."""

import io
import re
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from stdnum.cn import uscc

from labour.core.validators import organisation_check_digit


def png_bytes(size=(64, 48), color=(30, 90, 160)):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def jpeg_bytes(size=(64, 48), color=(200, 120, 40)):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def upload(name, data=None, content_type="application/octet-stream"):
    if data is None:
        data = {"png": png_bytes, "jpg": jpeg_bytes, "jpeg": jpeg_bytes,
                "pdf": pdf_bytes}[name.rsplit(".", 1)[-1].lower()]()
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_uscc(region="410100", seq=1, prefix="91"):
    """A valid 18-character unified social credit code in `region`."""
    body8 = f"{seq:08d}"
    org = body8 + organisation_check_digit(body8)
    first17 = f"{prefix}{region}{org}"
    return first17 + uscc.calc_check_digit(first17)


def make_org_code(seq=1):
    body = f"{seq:08d}"
    return body + organisation_check_digit(body)


def application_data(*, credit_code=None, region="410100", name="郑州测试建筑有限公司",
                     phone="13800000001", seq=1, attachments=None):
    from labour.attachments.services import store_upload
    from labour.certification.services import ApplicationData

    attachments = attachments or {
        field: store_upload(uploaded=upload(f"{field}.png"), kind=field)
        for field in ("certificate", "authorisation_letter", "id_card_front", "id_card_back")
    }
    return ApplicationData(
        name=name, unit_type="construction", credit_code=credit_code or make_uscc(region, seq),
        certificate_valid_until=date(2035, 12, 31), registered_on=date(2015, 6, 1),
        region_code=region, admin_name="张三", admin_phone=phone, **attachments,
    )


def latest_code(phone):
    """The verification code in the newest SMS to `phone`."""
    from labour.notifications.models import SmsMessage

    text = SmsMessage.objects.filter(phone=phone, template="verify_code").latest("id").text
    return re.search(r"验证码为(\d{6})", text).group(1)


def submit(data, *, previous_number="", ip="127.0.0.1"):
    """Send a code to the administrator's phone and submit the application."""
    from django.core.cache import cache

    from labour.certification.services import submit_application
    from labour.notifications.services import send_code

    cache.delete(f"code-cooldown:enterprise_cert:{data.admin_phone}")
    send_code(phone=data.admin_phone, purpose="enterprise_cert", ip=ip)
    return submit_application(data=data, code=latest_code(data.admin_phone),
                              previous_number=previous_number, ip=ip)


def sms_texts(phone):
    from labour.notifications.models import SmsMessage

    return list(SmsMessage.objects.filter(phone=phone).order_by("id").values_list("text", flat=True))


def password_from_sms(text):
    return re.search(r"随机登录密码：([A-Za-z0-9]+)", text).group(1)


def race(*calls):
    """Run each call in its own thread, released together by a barrier.
    Returns one (result or None, exception or None) per call."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = (call(), None)
        except Exception as exc:  # recorded and asserted by the test
            outcomes[index] = (None, exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True)
               for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a decision never finished"
    return outcomes
