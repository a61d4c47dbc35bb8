from datetime import date, timedelta

import pytest
from django.test import Client

from labour.attachments.models import Attachment
from labour.audit.models import Action, AuditEvent
from labour.certification.models import EnterpriseApplication
from labour.certification.services import approve_application, return_application
from labour.core.errors import ServiceError
from labour.reviews.choices import ReviewStatus
from labour.testing import application_data, latest_code, make_uscc, sms_texts, submit, upload

pytestmark = pytest.mark.django_db
PHONE = "13800000001"


def form_data(**overrides):
    data = {
        "name": "郑州测试建筑有限公司", "unit_type": "construction",
        "credit_code": make_uscc("410102", 11), "certificate_valid_until": "2035-12-31",
        "registered_on": "2015-06-01", "region_code": "410102", "admin_name": "张三",
        "admin_phone": PHONE, "code": "",
    }
    data.update(overrides)
    return data


def files(**overrides):
    result = {"certificate": upload("营业执照.png"), "authorisation_letter": upload("授权书.pdf"),
              "id_card_front": upload("正面.jpg"), "id_card_back": upload("反面.png")}
    result.update(overrides)
    return {k: v for k, v in result.items() if v is not None}


def send_code(client, phone=PHONE, purpose="enterprise_cert"):
    response = client.post("/sms/code/", {"phone": phone, "purpose": purpose})
    assert response.json()["ok"], response.json()
    return latest_code(phone)


def test_form_has_the_seed_labels_bound_to_inputs(client):
    html = client.get("/certification/enterprise/").content.decode()
    for field, label in [
        ("name", "单位名称"), ("unit_type", "单位类型"),
        ("credit_code", "统一社会信用代码/组织机构代码"), ("certificate", "证书上传"),
        ("certificate_valid_until", "证书有效截止日期"), ("long_term", "长期"),
        ("registered_on", "注册日期"), ("region_code", "注册地区编码"),
        ("authorisation_letter", "账号管理员授权书"), ("admin_name", "账号管理员姓名"),
        ("admin_phone", "账号管理员手机号"), ("id_card_front", "身份证正面"),
        ("id_card_back", "身份证反面"), ("code", "验证码"),
    ]:
        assert f'<label for="id_{field}">{label}</label>' in html, label
        assert f'id="id_{field}"' in html
    for text in ("请输入完整单位名称", "请选择单位类型", "请输入统一社会信用代码/组织机构代码",
                 "请选择日期", "请输入注册地区编码", ">获取验证码<", ">立即认证<", ">下载模板<",
                 "支持文件：JPG、PNG、PDF"):
        assert text in html, text


def test_template_download_is_a_real_document(client):
    response = client.get("/certification/enterprise/template/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK"  # a .docx (zip) document
    assert "attachment" in response["Content-Disposition"]


def test_submit_through_the_form(client):
    code = send_code(client)
    response = client.post("/certification/enterprise/", {**form_data(code=code), **files()})
    assert response.status_code == 302, response.content.decode()
    application = EnterpriseApplication.objects.get()
    assert response["Location"] == f"/certification/enterprise/submitted/{application.number}/"
    page = client.get(response["Location"]).content.decode()
    assert application.number in page and "进入认证队列" in page and "短信" in page
    assert application.status == ReviewStatus.SUBMITTED
    assert application.region_code == "410102"
    assert AuditEvent.objects.filter(action=Action.APPLICATION_SUBMITTED).count() == 1
    # another browser cannot see the result page
    assert Client().get(response["Location"]).status_code == 404


def test_refused_form_keeps_typed_values_and_accepted_uploads(client):
    code = send_code(client)
    bad = upload("fake.png", b"<!DOCTYPE html><html></html>")
    response = client.post("/certification/enterprise/",
                           {**form_data(code=code, registered_on="2099-01-01"),
                            **files(id_card_back=bad)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "文件“fake.png”" in html and "注册日期不能晚于今天" in html
    assert 'value="郑州测试建筑有限公司"' in html and f'value="{PHONE}"' in html
    kept = Attachment.objects.all()
    assert kept.count() == 3
    for attachment in kept:
        assert f'value="{attachment.pk}"' in html and attachment.original_name in html
    assert not EnterpriseApplication.objects.exists()
    # resubmit the kept files by their hidden ids with only the missing one
    data = form_data(code=code)
    data.update({f"{a.file.name.split('/')[0]}_kept": str(a.pk) for a in kept})
    response = client.post("/certification/enterprise/",
                           {**data, "id_card_back": upload("反面.png")})
    assert response.status_code == 302
    application = EnterpriseApplication.objects.get()
    assert application.certificate.original_name == "营业执照.png"


def test_another_session_cannot_use_someone_elses_upload(client):
    code = send_code(client)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"  # well formed: the uploads are kept
    client.post("/certification/enterprise/", {**form_data(code=wrong), **files()})
    stolen = Attachment.objects.first()
    thief = Client()
    code = send_code(thief, phone="13800000002")
    response = thief.post("/certification/enterprise/", {
        **form_data(code=code, admin_phone="13800000002", credit_code=make_uscc("410102", 12)),
        **files(certificate=None), "certificate_kept": str(stolen.pk)})
    assert response.status_code == 200 and "请上传证书" in response.content.decode()
    assert "请上传证书上传" not in response.content.decode()


def test_wrong_code_is_refused_and_counts(client):
    code = send_code(client)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post("/certification/enterprise/", {**form_data(code=wrong), **files()})
    assert "验证码错误" in response.content.decode()
    assert not EnterpriseApplication.objects.exists()
    assert AuditEvent.objects.filter(action=Action.CODE_WRONG).count() == 1


@pytest.mark.parametrize("overrides,message", [
    ({"credit_code": "91110000600037341M"}, "校验位"),
    ({"region_code": "999999"}, "注册地区编码不存在"),
    ({"admin_phone": "12345"}, "手机号"),
    ({"unit_type": ""}, "必填"),
    ({"certificate_valid_until": (date.today() - timedelta(days=1)).isoformat()}, "有效期"),
    ({"certificate_valid_until": "2014-01-01"}, "有效期"),
    ({"certificate_valid_until": ""}, "长期"),
])
def test_field_rules(client, overrides, message):
    response = client.post("/certification/enterprise/", {**form_data(code="123456", **overrides),
                                                          **files()})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_long_term_certificate(client):
    code = send_code(client)
    response = client.post("/certification/enterprise/", {
        **form_data(code=code, certificate_valid_until="", long_term="on"), **files()})
    assert response.status_code == 302
    assert EnterpriseApplication.objects.get().certificate_valid_until is None


def test_region_is_filled_from_the_credit_code(client):
    code = send_code(client)
    response = client.post("/certification/enterprise/", {
        **form_data(code=code, credit_code=make_uscc("410173", 5), region_code=""), **files()})
    assert response.status_code == 302
    assert EnterpriseApplication.objects.get().region_code == "410173"
    assert client.get("/certification/region/?code=410173").json()["name"].endswith(
        "郑州航空港经济综合实验区")


def test_one_pending_application_per_code_and_no_second_certification(authority):
    data = application_data(seq=3)
    first = submit(data)
    with pytest.raises(ServiceError, match="待审核"):
        submit(application_data(credit_code=data.credit_code, phone="13800000009"))
    approve_application(actor=authority, number=first.number)
    with pytest.raises(ServiceError, match="已完成认证"):
        submit(application_data(credit_code=data.credit_code, phone="13800000009"))
    assert EnterpriseApplication.objects.count() == 1


def test_double_submit_creates_one_application(client):
    code = send_code(client)
    first = client.post("/certification/enterprise/", {**form_data(code=code), **files()})
    second = client.post("/certification/enterprise/", {**form_data(code=code), **files()})
    assert first.status_code == 302 and second.status_code == 200
    assert "待审核" in second.content.decode()
    assert EnterpriseApplication.objects.count() == 1


def test_progress_and_resubmission_history(client, authority, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        code = send_code(client)
    client.post("/certification/enterprise/", {**form_data(code=code), **files()})
    first = EnterpriseApplication.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        return_application(actor=authority, number=first.number, reason="营业执照照片不清晰")
    assert "营业执照照片不清晰" in sms_texts(PHONE)[-1]
    # the resubmission link needs the phone proven in 查询认证进度
    assert client.get(f"/certification/enterprise/?from={first.number}")["Location"] == \
        "/certification/progress/"
    code = send_code(client, purpose="progress")
    response = client.post("/certification/progress/", {
        "credit_code": first.credit_code.lower(), "admin_phone": PHONE, "code": code})
    assert response.status_code == 302
    page = client.get("/certification/progress/").content.decode()
    assert "已退回" in page and "营业执照照片不清晰" in page and "重新认证" in page
    form = client.get(f"/certification/enterprise/?from={first.number}").content.decode()
    assert 'value="郑州测试建筑有限公司"' in form and f'value="{first.certificate_id}"' in form
    assert "已上传：营业执照.png" in form
    from django.core.cache import cache
    # skip the 60 s resend wait (only that key: with Redis the sessions share the cache)
    cache.delete(f"code-cooldown:enterprise_cert:{PHONE}")
    code = send_code(client)
    data = form_data(code=code, name="郑州测试建筑有限公司（更正）", previous=first.number)
    for field in ("certificate", "authorisation_letter", "id_card_front", "id_card_back"):
        data[f"{field}_kept"] = str(getattr(first, f"{field}_id"))
    response = client.post("/certification/enterprise/",
                           {**data, "certificate": upload("新营业执照.png")})
    assert response.status_code == 302, response.content.decode()
    second = EnterpriseApplication.objects.exclude(pk=first.pk).get()
    assert second.previous == first and second.name.endswith("（更正）")
    assert second.certificate.original_name == "新营业执照.png"
    assert second.id_card_front_id == first.id_card_front_id  # kept unless replaced
    first.refresh_from_db()
    assert first.status == ReviewStatus.RETURNED and first.return_reason  # history kept
    # the returned one cannot be resubmitted twice
    assert client.get(f"/certification/enterprise/?from={first.number}").status_code == 302


def test_progress_with_a_wrong_code_shows_nothing(client):
    submit(application_data(seq=21))
    code = send_code(client, phone="13800000001", purpose="progress")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post("/certification/progress/", {
        "credit_code": make_uscc("410100", 21), "admin_phone": "13800000001", "code": wrong})
    assert "验证码错误" in response.content.decode()
    assert "申请编号" not in response.content.decode()
