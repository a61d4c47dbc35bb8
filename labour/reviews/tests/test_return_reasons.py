"""退回 offers common reasons (settings.REVIEW_RETURN_REASONS) besides free text; the
reason sent is the ticked ones and the typed one, joined; nothing at all is refused
beside the field."""

import pytest

from labour.certification.models import EnterpriseApplication
from labour.factories import EnterpriseApplicationFactory, ProjectInfoSubmissionFactory
from labour.reviews.choices import ReviewStatus

pytestmark = pytest.mark.django_db

REASONS = ["证书照片不清晰", "授权书未盖章"]


@pytest.fixture
def reasons(settings):
    settings.REVIEW_RETURN_REASONS = {"certification": REASONS,
                                      "project_information": ["工资专用账户信息有误"]}


@pytest.fixture
def pending(authority):
    return EnterpriseApplicationFactory(region_code="410102")


def _url(application):
    return f"/certification/review/{application.number}/"


def test_the_page_offers_the_common_reasons(client, authority, pending, reasons):
    client.force_login(authority)
    page = client.get(_url(pending)).content.decode()
    for reason in REASONS:
        assert f'value="{reason}"' in page and 'type="checkbox" name="picks"' in page
    assert "工资专用账户信息有误" not in page  # the project information's, not this kind's
    assert 'data-reason-required="id_reason"' in page


@pytest.mark.parametrize(("picks", "typed", "sent"), [
    (["授权书未盖章"], "", "授权书未盖章"),
    (REASONS, "", "证书照片不清晰；授权书未盖章"),
    (["证书照片不清晰"], "  请重新拍摄  ", "证书照片不清晰；请重新拍摄"),
    ([], "单位名称有误", "单位名称有误"),
])
def test_ticked_and_typed_reasons_are_sent_together(client, authority, pending, reasons,
                                                    picks, typed, sent):
    client.force_login(authority)
    response = client.post(_url(pending), {"decision": "return", "picks": picks, "reason": typed})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ReviewStatus.RETURNED and pending.return_reason == sent


@pytest.mark.parametrize(("data", "error"), [
    ({"reason": ""}, "请填写退回原因"),
    ({"picks": ["不在列表里的原因"]}, "不在列表里的原因"),
    ({"picks": REASONS, "reason": "字" * 195}, "不超过200字"),
])
def test_no_reason_or_a_forged_one_changes_nothing(client, authority, pending, reasons, data,
                                                   error):
    client.force_login(authority)
    response = client.post(_url(pending), {"decision": "return", **data})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert EnterpriseApplication.objects.get(pk=pending.pk).status == ReviewStatus.SUBMITTED


def test_project_information_review_offers_its_own_reasons(client, authority, reasons):
    submission = ProjectInfoSubmissionFactory()
    client.force_login(authority)
    page = client.get(f"/projects/review/{submission.project.code}/").content.decode()
    assert 'value="工资专用账户信息有误"' in page
    assert 'value="证书照片不清晰"' not in page


def test_default_reasons_exist_for_both_kinds(settings):
    for kind in ("certification", "project_information"):
        assert settings.REVIEW_RETURN_REASONS[kind]
        assert all(0 < len(r) <= 200 for r in settings.REVIEW_RETURN_REASONS[kind])
