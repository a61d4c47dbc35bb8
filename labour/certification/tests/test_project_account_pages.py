"""项目账号认证 pages: the form, 项目账号审核 by the unit's enterprise account, 查询认证进度
with 重新认证 / 放弃本次认证, and the project account's own pages."""

import pytest
from django.core.cache import cache
from django.test import Client

from labour.accounts.models import User
from labour.certification.choices import ProjectAccountStatus
from labour.certification.models import ProjectAccountApplication
from labour.projects import information as info_services
from labour.projects.choices import ParticipantRole
from labour.testing import enterprise_account, latest_code, password_from_sms, sms_texts, upload

pytestmark = pytest.mark.django_db
PHONE = "13655551111"


def files():
    return {"authorisation_letter": upload("授权书.pdf"), "id_card_front": upload("正面.jpg"),
            "id_card_back": upload("反面.png")}


def code_for(client, phone=PHONE, purpose="project_cert"):
    cache.delete(f"code-cooldown:{purpose}:{phone}")
    assert client.post("/sms/code/", {"phone": phone, "purpose": purpose}).json()["ok"]
    return latest_code(phone)


def post_application(client, enterprise, project, **extra):
    """项目账号认证 for `enterprise`: its full name and its credit code."""
    data = {"unit": enterprise.name, "unit_code": enterprise.credit_code, "project": project.code,
            "admin_name": "赵六", "admin_phone": PHONE, "code": code_for(client), **extra}
    return client.post("/certification/project/", {**data, **files()})


def test_form_labels_and_template(client):
    html = client.get("/certification/project/").content.decode()
    for field, label in [("unit", "单位名称"), ("unit_code", "统一社会信用代码"), ("project", "项目名称"),
                         ("authorisation_letter", "账号管理员授权书"), ("admin_name", "账号管理员姓名"),
                         ("admin_phone", "账号管理员手机号"), ("id_card_front", "身份证正面"),
                         ("id_card_back", "身份证反面"), ("code", "验证码")]:
        assert f'<label for="id_{field}">{label}</label>' in html, label
    for text in (">获取验证码<", ">立即认证<", ">下载模板<", "请输入单位名称"):
        assert text in html
    response = client.get("/certification/project/template/")
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_projects_offered_follow_seed_2_8(client, setup):
    gc = setup["gc"].enterprise
    data = client.get("/certification/project/projects/",
                      {"unit": gc.name, "code": gc.credit_code.lower()}).json()
    assert data["found"] and data["projects"][0]["reason"] == ""
    labour = enterprise_account(setup["authority"], 611, "13700000611")
    info_services.add_participant(actor=setup["gc"], code=setup["project"].code,
                                  role=ParticipantRole.LABOUR_SUBCONTRACTOR,
                                  unit_name="测试企业611", credit_code=labour.username)
    data = client.get("/certification/project/projects/",
                      {"unit": labour.enterprise.name, "code": labour.username}).json()
    assert "尚未审核通过" in data["projects"][0]["reason"]
    response = post_application(client, labour.enterprise, setup["project"])
    assert "该项目信息尚未审核通过，专业承包/劳务分包单位暂不能进行项目账号认证" in \
        response.content.decode()
    assert not ProjectAccountApplication.objects.exists()
    assert client.get("/certification/project/projects/", {"unit": "不存在的单位"}).json() == {
        "found": False, "projects": []}
    # one public identifier alone lists nothing: the name and the credit code together
    for query in ({"unit": gc.name}, {"unit": gc.credit_code}, {"code": gc.credit_code},
                  {"unit": gc.name, "code": labour.username}):
        assert client.get("/certification/project/projects/", query).json()["found"] is False


def test_apply_review_login_and_edit_project_information(client, setup):
    gc_unit = setup["gc"].enterprise
    response = post_application(client, gc_unit, setup["project"])
    assert response.status_code == 302, response.content.decode()
    application = ProjectAccountApplication.objects.get()
    assert client.get(response["Location"]).status_code == 200
    # 项目账号审核: the GC's enterprise account sees it, the owner's does not
    reviewer = Client()
    reviewer.force_login(setup["gc"])
    assert application.number in reviewer.get("/certification/project/review/").content.decode()
    detail = reviewer.get(f"/certification/project/review/{application.number}/")
    assert detail.status_code == 200 and "<img" in detail.content.decode()
    assert reviewer.get(f"/files/{application.id_card_front_id}/").status_code == 200
    stranger = Client()
    stranger.force_login(setup["owner"])
    assert application.number not in stranger.get("/certification/project/review/").content.decode()
    assert stranger.get(f"/certification/project/review/{application.number}/").status_code == 404
    assert stranger.post(f"/certification/project/review/{application.number}/",
                         {"decision": "approve"}).status_code == 404
    assert stranger.get(f"/files/{application.id_card_front_id}/").status_code == 404
    assert "认证待审核" in reviewer.get("/projects/my/").content.decode()
    reviewer.post(f"/certification/project/review/{application.number}/", {"decision": "approve"})
    application.refresh_from_db()
    assert application.account.username in reviewer.get("/projects/my/").content.decode()
    assert application.status == ProjectAccountStatus.APPROVED
    # the project account: first login forces 修改密码, then its project only
    account = application.account
    password = password_from_sms(sms_texts(PHONE)[-1])
    project_client = Client()
    project_client.post("/", {"kind": "project", "project-username": account.username,
                              "project-password": password})
    assert project_client.get("/projects/account/")["Location"] == "/account/password/"
    project_client.post("/account/password/", {"old_password": password,
                                               "new_password": "Xiangmu2026",
                                               "confirm_password": "Xiangmu2026"})
    home = project_client.get("/projects/account/").content.decode()
    assert setup["project"].name in home and "项目信息完善" in home
    assert project_client.get("/projects/my/").status_code == 404
    # the GC's project account completes the project information
    page = project_client.get(f"/projects/my/{setup['project'].code}/information/")
    assert page.status_code == 200
    project_client.post(f"/projects/my/{setup['project'].code}/information/",
                        {"manager_name": "李经理", "action": "save"})
    assert setup["project"].information.manager_name == "李经理"


def test_owner_project_account_cannot_edit_information(setup):
    from labour.certification import project_accounts as pa

    client = Client()
    post_application(client, setup["owner"].enterprise, setup["project"])
    application = ProjectAccountApplication.objects.get()
    pa.approve(actor=setup["owner"], number=application.number)
    account = User.objects.get(pk=ProjectAccountApplication.objects.get().account_id)
    account.must_change_password = False
    account.save()
    owner_project = Client()
    owner_project.force_login(account)
    assert "项目信息完善" not in owner_project.get("/projects/account/").content.decode()
    assert owner_project.get(
        f"/projects/my/{setup['project'].code}/information/").status_code == 404


def test_progress_resubmit_and_abandon(client, setup):
    from labour.certification import project_accounts as pa

    post_application(client, setup["owner"].enterprise, setup["project"])
    first = ProjectAccountApplication.objects.get()
    pa.return_(actor=setup["owner"], number=first.number, reason="授权书未盖章")
    assert client.get(f"/certification/project/?from={first.number}")["Location"] == \
        "/certification/project/progress/"
    code = code_for(client, purpose="progress")
    client.post("/certification/project/progress/", {"admin_phone": PHONE, "code": code})
    page = client.get("/certification/project/progress/").content.decode()
    assert "已退回" in page and "授权书未盖章" in page and "放弃本次认证" in page
    form = client.get(f"/certification/project/?from={first.number}").content.decode()
    assert 'value="赵六"' in form and "已上传：授权书.pdf" in form
    client.post(f"/certification/project/progress/{first.number}/abandon/")
    first.refresh_from_db()
    assert first.status == ProjectAccountStatus.ABANDONED
    assert Client().post(f"/certification/project/progress/{first.number}/abandon/").status_code == 404


def test_looking_up_a_units_projects_is_rate_limited(client, setup, settings):
    settings.UNIT_PROJECTS_PER_IP_HOUR = 3
    gc = setup["gc"].enterprise
    answers = [client.get("/certification/project/projects/",
                          {"unit": gc.name, "code": gc.credit_code}) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[3].json() == {"found": False, "projects": [], "message": "查询过于频繁，请稍后再试"}
