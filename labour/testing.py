"""Helpers shared by the test suites: real files, real credit codes, applications."""

import io
import re
from datetime import date
from decimal import Decimal

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
        field: store_upload(actor=None, uploaded=upload(f"{field}.png"), kind=field)
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
    return _first_group(r"验证码为(\d{6})", text)


def submit(data, *, previous_number="", ip="127.0.0.1"):
    """Send a code to the administrator's phone and submit the application."""
    from django.core.cache import cache

    from labour.certification.services import submit_application
    from labour.notifications.services import send_code

    cache.delete(f"code-cooldown:enterprise_cert:{data.admin_phone}")
    send_code(phone=data.admin_phone, purpose="enterprise_cert", ip=ip)
    return submit_application(actor=None, data=data, code=latest_code(data.admin_phone),
                              previous_number=previous_number, ip=ip)


def sms_texts(phone):
    from labour.notifications.models import SmsMessage

    return list(SmsMessage.objects.filter(phone=phone).order_by("id").values_list("text", flat=True))


def password_from_sms(text):
    return _first_group(r"随机登录密码：([A-Za-z0-9]+)", text)


def _first_group(pattern, text):
    found = re.search(pattern, text)
    assert found, f"{pattern} not in {text!r}"
    return found.group(1)


def assert_sent_to_login(response, path, part):
    """A page that needs a login, visited without one (or after it expired): the
    login page, on the right part, coming back to `path` afterwards."""
    from urllib.parse import parse_qs, urlsplit

    assert response.status_code == 302, response.status_code
    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert target.path == "/" and query["next"] == [path], response["Location"]
    assert query.get("part", [""]) == [part], response["Location"]


def race(*calls):
    """Run each call in its own thread, released together by a barrier.
    Returns one (result or None, exception or None) per call."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    outcomes: list[tuple[object, Exception | None] | None] = [None] * len(calls)

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


# ------------------------------------------------------------------ projects

GC_PHONE = "13700000001"


def enterprise_account(authority, seq, phone):
    """A certified enterprise's account (password already changed)."""
    from labour.accounts.models import User
    from labour.certification.services import approve_application

    data = application_data(credit_code=make_uscc("410100", seq), seq=seq, phone=phone,
                            name=f"测试企业{seq}")
    approve_application(actor=authority, number=submit(data).number)
    user = User.objects.get(username=data.credit_code)
    user.must_change_password = False
    user.save()
    return user


def project_setup(authority):
    """A project of 410102 whose general contractor (GC_PHONE) and owner are
    certified enterprises; its supervisor is not certified."""
    from labour.projects.choices import ParticipantRole
    from labour.projects.services import ProjectData, UnitRef, create_project

    gc = enterprise_account(authority, 501, GC_PHONE)
    owner = enterprise_account(authority, 502, "13700000002")
    project = create_project(
        actor=authority,
        data=ProjectData(name="郑东新区某住宅项目", region_code="410102", address="郑州市中原区某路1号",
                         category="building", nature="new", total_investment=Decimal("30000"),
                         floor_area=Decimal("90000"), planned_start=date(2026, 12, 1),
                         planned_end=date(2028, 12, 1)),
        first_participants={
            ParticipantRole.GENERAL_CONTRACTOR: UnitRef("测试企业501", gc.username),
            ParticipantRole.OWNER: UnitRef("测试企业502", owner.username),
            ParticipantRole.SUPERVISOR: UnitRef("某监理公司", make_uscc("410100", 503)),
        })
    return {"gc": gc, "owner": owner, "project": project, "authority": authority}


PROJECT_INFORMATION = {
    "manager_name": "李经理", "manager_phone": "13911110000", "labour_manager_name": "王专管",
    "labour_manager_phone": "13922220000", "contract_amount": Decimal("28000.50"),
    "actual_start": date(2026, 12, 5), "wage_bank": "中国建设银行郑州分行",
    "wage_account_no": "41050100000000001", "wage_account_name": "测试企业501",
    "guarantee_amount": Decimal("300"), "guarantee_form": "bank_guarantee",
    "guarantee_date": date(2026, 11, 20),
}


def complete(setup):
    """Fill in every item of the project information as its general contractor."""
    from labour.attachments.services import store_upload
    from labour.projects import information as info_services

    photo = store_upload(actor=None, uploaded=upload("告示牌.jpg"), kind="notice_board")
    info_services.save_information(actor=setup["gc"], code=setup["project"].code, data=PROJECT_INFORMATION,
                                   notice_board_photo=photo)
    return photo
