"""项目信息完善 as users meet it: items needed for 「提交审核」 marked, each missing item
named beside its field (the page shows again what was typed), choices and dates in
words on the read-only page and in 操作日志."""

import re

import pytest

from labour.audit.models import Action, AuditEvent
from labour.projects import information as info_services
from labour.projects.choices import InfoStatus
from labour.projects.models import ProjectInfoSubmission
from labour.testing import complete

pytestmark = pytest.mark.django_db


def _url(setup):
    return f"/projects/my/{setup['project'].code}/information/"


def _error(page, field):
    found = re.search(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page)
    return found.group(1) if found else None


def test_items_needed_for_submission_are_marked_with_a_legend(setup, client):
    client.force_login(setup["gc"])
    page = client.get(_url(setup)).content.decode()
    assert "为「提交审核」时必填的项目" in page
    for field in info_services.REQUIRED_LABELS:
        row = re.search(rf'<div class="field([^"]*)" id="row_{field}">', page)
        assert row and "submit-required" in row.group(1), field


def test_submitting_with_items_missing_names_each_beside_its_field(setup, client):
    client.force_login(setup["gc"])
    response = client.post(_url(setup), {"manager_name": "李经理", "wage_bank": "中国银行",
                                         "contract_amount": "123.45", "action": "submit"})
    assert response.status_code == 200  # the page again, not a redirect
    page = response.content.decode()
    # what was typed is there again (and saved)
    assert 'value="李经理"' in page and 'value="中国银行"' in page and 'value="123.45"' in page
    assert _error(page, "manager_name") is None
    assert _error(page, "manager_phone") == "请填写项目经理手机号"
    assert _error(page, "labour_manager_name") == "请填写劳资专管员姓名"
    assert _error(page, "guarantee_form") == "请选择缴纳形式"
    assert _error(page, "actual_start") == "请选择实际开工日期"
    assert _error(page, "notice_board_photo") == "请上传维权信息告示牌"
    # each missing field outlined, and one summary at the top
    missing = len(info_services.REQUIRED_LABELS) - 3
    assert page.count('has-error') == missing
    assert f"还有{missing}项未填写" in page
    assert 'aria-invalid="true"' in page
    setup["project"].refresh_from_db()
    assert setup["project"].info_status == InfoStatus.DRAFT
    assert not ProjectInfoSubmission.objects.exists()
    assert setup["project"].information.manager_name == "李经理"


def test_service_error_carries_every_missing_item(setup):
    with pytest.raises(info_services.ServiceError) as caught:
        info_services.submit_information(actor=setup["gc"], code=setup["project"].code)
    assert set(caught.value.errors) == set(info_services.REQUIRED_LABELS)
    assert caught.value.errors["wage_account_no"] == "请填写工资专用账户账号"
    assert caught.value.message.startswith(f"还有{len(info_services.REQUIRED_LABELS)}项未填写")


def test_read_only_page_shows_labels_and_dates_not_raw_values(setup, client):
    complete(setup)
    info_services.submit_information(actor=setup["gc"], code=setup["project"].code)
    client.force_login(setup["gc"])
    page = client.get(_url(setup)).content.decode()
    assert "<dt>缴纳形式</dt><dd>银行保函</dd>" in page
    assert "bank_guarantee" not in page
    assert "<dt>缴纳日期</dt><dd>2026-11-20</dd>" in page
    assert "<dt>合同金额（万元）</dt><dd>28000.50</dd>" in page
    # the photo as a thumbnail linking to the full file
    photo = setup["project"].information.notice_board_photo
    assert f'<a class="thumb" href="/files/{photo.pk}/"' in page
    assert f'<img src="/files/{photo.pk}/thumb/"' in page


def test_audit_log_shows_field_names_and_choice_labels(setup, client):
    complete(setup)
    client.force_login(setup["gc"])
    page = client.get("/audit/").content.decode()
    assert "缴纳形式：— → 银行保函" in page
    assert "项目经理姓名：— → 李经理" in page
    assert "guarantee_form" not in page and "bank_guarantee" not in page
    event = AuditEvent.objects.filter(action=Action.PROJECT_INFO_SAVED).latest("id")
    assert ("缴纳形式", "—", "银行保函") in event.readable_changes


def test_breadcrumbs_on_the_project_pages(setup, client):
    code = setup["project"].code
    client.force_login(setup["gc"])
    for url, trail in ((f"/projects/my/{code}/", ["我的项目"]),
                       (_url(setup), ["我的项目", setup["project"].name])):
        page = client.get(url).content.decode()
        crumbs = re.search(r'<nav class="breadcrumbs" aria-label="当前位置"><ol>(.*?)</ol></nav>',
                           page, re.S)
        assert crumbs, url
        links = re.findall(r"<a [^>]*>([^<]*)</a>", crumbs.group(1))
        assert links == trail, (url, links)
        assert 'aria-current="page"' in crumbs.group(1)
