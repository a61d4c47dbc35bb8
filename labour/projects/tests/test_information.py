"""项目信息完善 and 项目信息审核: transitions, permissions, SMS and history."""

from decimal import Decimal

import pytest
from django.test import Client

from labour.audit.models import Action, AuditEvent
from labour.core.errors import PermissionDenied404, ServiceError
from labour.notifications.models import SmsMessage
from labour.projects import information as info_services
from labour.projects.choices import InfoStatus, ParticipantRole
from labour.projects.models import Participant, ProjectInfoSubmission
from labour.reviews.choices import ReviewStatus
from labour.testing import GC_PHONE, assert_sent_to_login, complete, make_uscc, upload
from labour.testing import PROJECT_INFORMATION as FULL

pytestmark = pytest.mark.django_db


def test_only_the_general_contractor_completes_and_submits(setup):
    code = setup["project"].code
    with pytest.raises(PermissionDenied404):
        info_services.save_information(actor=setup["owner"], code=code, data=FULL)
    with pytest.raises(PermissionDenied404):
        info_services.submit_information(actor=setup["authority"], code=code)
    with pytest.raises(ServiceError, match="未填写"):
        info_services.submit_information(actor=setup["gc"], code=code)
    complete(setup)
    submission = info_services.submit_information(actor=setup["gc"], code=code)
    setup["project"].refresh_from_db()
    assert setup["project"].info_status == InfoStatus.SUBMITTED
    assert submission.snapshot["manager_name"] == "李经理"
    assert len(submission.snapshot["participants"]) == 3
    with pytest.raises(ServiceError, match="不能"):
        info_services.save_information(actor=setup["gc"], code=code, data=FULL)
    with pytest.raises(ServiceError, match="不能重复提交"):
        info_services.submit_information(actor=setup["gc"], code=code)


def test_return_then_resubmit_then_approve_keeps_history_and_sends_sms(setup, other_authority):
    code = setup["project"].code
    complete(setup)
    info_services.submit_information(actor=setup["gc"], code=code)
    with pytest.raises(PermissionDenied404):
        info_services.approve_information(actor=other_authority, code=code)
    with pytest.raises(ServiceError, match="退回原因"):
        info_services.return_information(actor=setup["authority"], code=code, reason=" ")
    info_services.return_information(actor=setup["authority"], code=code, reason="合同金额有误")
    sms = SmsMessage.objects.filter(phone=GC_PHONE).latest("id")
    assert "合同金额有误" in sms.text and sms.text.startswith("【郑州市建设劳务服务平台】")
    with pytest.raises(ServiceError, match="不能重复审核"):
        info_services.approve_information(actor=setup["authority"], code=code)
    info_services.save_information(actor=setup["gc"], code=code,
                                   data={**FULL, "contract_amount": Decimal("29000")})
    info_services.submit_information(actor=setup["gc"], code=code)
    info_services.approve_information(actor=setup["authority"], code=code)
    setup["project"].refresh_from_db()
    assert setup["project"].info_status == InfoStatus.APPROVED
    history = list(ProjectInfoSubmission.objects.filter(project=setup["project"])
                   .order_by("submitted_at", "id"))
    assert [s.status for s in history] == [ReviewStatus.RETURNED, ReviewStatus.APPROVED]
    assert history[0].snapshot["contract_amount"] == "28000.50"
    assert history[1].snapshot["contract_amount"] == "29000.00"
    assert "已审核通过" in SmsMessage.objects.filter(phone=GC_PHONE).latest("id").text
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {Action.PROJECT_INFO_SUBMITTED, Action.PROJECT_INFO_RETURNED,
            Action.PROJECT_INFO_APPROVED} <= actions


def test_participants_added_by_the_general_contractor(setup):
    code = setup["project"].code
    labour_code = make_uscc("410100", 504)
    with pytest.raises(ServiceError, match="只能添加"):
        info_services.add_participant(actor=setup["gc"], code=code, role="owner",
                                      unit_name="x", credit_code=labour_code)
    with pytest.raises(PermissionDenied404):
        info_services.add_participant(actor=setup["owner"], code=code,
                                      role=ParticipantRole.LABOUR_SUBCONTRACTOR,
                                      unit_name="某劳务公司", credit_code=labour_code)
    part = info_services.add_participant(actor=setup["gc"], code=code,
                                         role=ParticipantRole.LABOUR_SUBCONTRACTOR,
                                         unit_name="某劳务公司", credit_code=labour_code,
                                         subcontract_content="主体结构劳务")
    with pytest.raises(ServiceError, match="已是本项目"):
        info_services.add_participant(actor=setup["gc"], code=code,
                                      role=ParticipantRole.LABOUR_SUBCONTRACTOR,
                                      unit_name="某劳务公司", credit_code=labour_code)
    info_services.remove_participant(actor=setup["gc"], code=code, participant_id=part.pk)
    assert not Participant.objects.filter(pk=part.pk).exists()
    # the first three cannot be removed by the general contractor
    gc_part = setup["project"].participants.get(role=ParticipantRole.OWNER)
    with pytest.raises(PermissionDenied404):
        info_services.remove_participant(actor=setup["gc"], code=code, participant_id=gc_part.pk)
    # during review nothing is added; after approval additions go live and are logged
    complete(setup)
    info_services.submit_information(actor=setup["gc"], code=code)
    with pytest.raises(ServiceError, match="审核中"):
        info_services.add_participant(actor=setup["gc"], code=code,
                                      role=ParticipantRole.SPECIALTY_CONTRACTOR,
                                      unit_name="某幕墙公司", credit_code=make_uscc("410100", 505))
    info_services.approve_information(actor=setup["authority"], code=code)
    info_services.add_participant(actor=setup["gc"], code=code,
                                  role=ParticipantRole.SPECIALTY_CONTRACTOR,
                                  unit_name="某幕墙公司", credit_code=make_uscc("410100", 505))
    event = AuditEvent.objects.filter(action=Action.PARTICIPANT_ADDED).latest("id")
    assert event.detail["after_approval"] is True and event.actor == setup["gc"]
    with pytest.raises(ServiceError, match="不能删除"):
        info_services.remove_participant(
            actor=setup["gc"], code=code,
            participant_id=setup["project"].participants.latest("id").pk)


def test_the_pages(setup, client):
    code = setup["project"].code
    client.force_login(setup["gc"])
    assert "项目信息完善" in client.get(f"/projects/my/{code}/").content.decode()
    page = client.get(f"/projects/my/{code}/information/").content.decode()
    for label in ("项目经理姓名", "劳资专管员手机号", "合同金额（万元）", "实际开工日期", "开户银行",
                  "工资保证金金额（万元）", "缴纳形式", "缴纳日期", "维权信息告示牌", ">提交审核<"):
        assert label in page, label
    # a refused save keeps what was typed and the accepted photo
    response = client.post(f"/projects/my/{code}/information/", {
        "manager_name": "李经理", "manager_phone": "123", "action": "save",
        "notice_board_photo": upload("告示牌.png")})
    html = response.content.decode()
    assert response.status_code == 200 and "手机号" in html and 'value="李经理"' in html
    assert "已上传：告示牌.png" in html
    kept = html.split('name="notice_board_photo_kept" value="')[1].split('"')[0]
    data = {k: str(v) for k, v in FULL.items()}
    response = client.post(f"/projects/my/{code}/information/",
                           {**data, "notice_board_photo_kept": kept, "action": "submit"})
    assert response.status_code == 302
    setup["project"].refresh_from_db()
    assert setup["project"].info_status == InfoStatus.SUBMITTED
    # the owner may not open the page; the reviewer sees it in 项目信息审核
    owner = Client()
    owner.force_login(setup["owner"])
    assert owner.get(f"/projects/my/{code}/information/").status_code == 404
    assert owner.post(f"/projects/my/{code}/participants/", {
        "participant-role": "labour_subcontractor", "participant-unit_name": "x",
        "participant-credit_code": make_uscc("410100", 506)}).status_code == 404
    assert owner.post(f"/projects/my/{code}/participants/", {}).status_code == 404  # invalid form
    reviewer = Client()
    reviewer.force_login(setup["authority"])
    queue = reviewer.get("/projects/review/").content.decode()
    assert setup["project"].name in queue
    # its row names the general contractor (施工总承包), not the owner or the supervisor
    contractor = setup["project"].participants.get(role="general_contractor").unit_name
    others = setup["project"].participants.exclude(role="general_contractor")
    at = queue.index(setup["project"].name)
    row = queue[queue.rindex("<tr>", 0, at):queue.index("</tr>", at)]
    assert contractor in row and not any(o.unit_name in row for o in others)
    detail = reviewer.get(f"/projects/review/{code}/").content.decode()
    assert "李经理" in detail and "银行保函" in detail and "施工总承包" in detail
    photo_id = ProjectInfoSubmission.objects.get().snapshot["notice_board_photo"]
    assert reviewer.get(f"/files/{photo_id}/").status_code == 200
    assert client.get(f"/files/{photo_id}/").status_code == 200
    assert_sent_to_login(Client().get(f"/files/{photo_id}/"), f"/files/{photo_id}/", "")
    response = reviewer.post(f"/projects/review/{code}/", {"decision": "return", "reason": ""})
    assert "请填写退回原因" in response.content.decode()
    reviewer.post(f"/projects/review/{code}/", {"decision": "approve"})
    setup["project"].refresh_from_db()
    assert setup["project"].info_status == InfoStatus.APPROVED


def test_review_pages_are_404_outside_the_jurisdiction(setup, other_authority):
    code = setup["project"].code
    complete(setup)
    info_services.submit_information(actor=setup["gc"], code=code)
    client = Client()
    client.force_login(other_authority)
    assert setup["project"].name not in client.get("/projects/review/").content.decode()
    assert client.get(f"/projects/review/{code}/").status_code == 404
    assert client.post(f"/projects/review/{code}/", {"decision": "approve"}).status_code == 404
    setup["project"].refresh_from_db()
    assert setup["project"].info_status == InfoStatus.SUBMITTED
    gc = Client()
    gc.force_login(setup["gc"])
    assert gc.get("/projects/review/").status_code == 404
    assert gc.get(f"/projects/review/{code}/").status_code == 404
    # not logged in: the login page (主管部门), then back
    assert_sent_to_login(Client().get(f"/projects/review/{code}/"), f"/projects/review/{code}/",
                         "authority")


def test_adding_a_participant_keeps_the_information_typed(setup, client):
    code = setup["project"].code
    client.force_login(setup["gc"])
    unit = make_uscc("410100", 507)
    # a refused participant (bad check digit) keeps both the information and the unit typed
    response = client.post(f"/projects/my/{code}/information/", {
        "manager_name": "李经理", "participant-role": "labour_subcontractor",
        "participant-unit_name": "某劳务公司", "participant-credit_code": unit[:-1] + "0",
        "action": "add_participant"})
    html = response.content.decode()
    assert response.status_code == 200 and "校验位" in html
    assert 'value="李经理"' in html and 'value="某劳务公司"' in html
    assert not Participant.objects.filter(unit_name="某劳务公司").exists()
    response = client.post(f"/projects/my/{code}/information/", {
        "manager_name": "李经理", "participant-role": "labour_subcontractor",
        "participant-unit_name": "某劳务公司", "participant-credit_code": unit,
        "participant-subcontract_content": "主体结构劳务", "action": "add_participant"})
    assert response.status_code == 302
    setup["project"].refresh_from_db()
    assert setup["project"].information.manager_name == "李经理"
    assert Participant.objects.filter(credit_code=unit, project=setup["project"]).exists()
    # a duplicate is refused next to the fields, the information still saved
    response = client.post(f"/projects/my/{code}/information/", {
        "manager_name": "李经理（改）", "participant-role": "labour_subcontractor",
        "participant-unit_name": "某劳务公司", "participant-credit_code": unit,
        "action": "add_participant"})
    assert response.status_code == 200 and "已是本项目" in response.content.decode()
    setup["project"].information.refresh_from_db()
    assert setup["project"].information.manager_name == "李经理（改）"


def test_the_pay_day_is_an_item_of_the_information(setup, client):
    """约定发薪日 (1–28, empty: the city's default) is saved by the service and the page,
    refused beside its field otherwise, and shown to the reviewer."""
    code = setup["project"].code
    for bad in ("0", "29", "十", "1\x00", "15.5"):
        with pytest.raises(ServiceError) as refused:
            info_services.save_information(actor=setup["gc"], code=code, data={"pay_day": bad})
        assert refused.value.field == "pay_day" and "1至28" in refused.value.message
    info = info_services.save_information(actor=setup["gc"], code=code, data={"pay_day": " 10 "})
    assert info.pay_day == 10
    event = AuditEvent.objects.filter(action=Action.PROJECT_INFO_SAVED).latest("id")
    assert event.changes["pay_day"] == [None, 10]
    client.force_login(setup["gc"])
    page = client.get(f"/projects/my/{code}/information/").content.decode()
    assert "约定发薪日" in page and 'value="10"' in page
    response = client.post(f"/projects/my/{code}/information/",
                           {"action": "save", "pay_day": "31", "manager_name": "李经理"})
    html = response.content.decode()
    assert response.status_code == 200 and "约定发薪日应为1至28之间的整数" in html
    assert 'value="李经理"' in html
    info.refresh_from_db()
    assert info.pay_day == 10
    info_services.save_information(actor=setup["gc"], code=code, data={"pay_day": ""})
    info.refresh_from_db()
    assert info.pay_day is None
