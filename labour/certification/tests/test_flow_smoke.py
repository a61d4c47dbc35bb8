import pytest

from labour.testing import application_data, password_from_sms, sms_texts, submit


@pytest.mark.django_db(transaction=True)
def test_submit_approve_login(client, authority):
    from labour.certification.services import approve_application

    data = application_data()
    application = submit(data)
    assert application.number.startswith("QY")
    approve_application(actor=authority, number=application.number)
    texts = sms_texts(data.admin_phone)
    assert texts[-1].startswith("【郑州市建设劳务服务平台】")
    password = password_from_sms(texts[-1])
    resp = client.post("/", {"kind": "enterprise", "enterprise-username": data.credit_code,
                             "enterprise-password": password})
    assert resp.status_code == 302
    resp = client.get("/enterprise/", follow=True)
    assert "修改密码" in resp.content.decode()
