"""History in every review queue: tabs 待审核 / 已通过 / 已退回 / 全部, a date range of
submission, sorting by 提交时间, the authority's districts; 项目管理 filters."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from labour.certification.choices import ProjectAccountStatus
from labour.factories import (
    AuthorityFactory,
    EnterpriseAccountFactory,
    EnterpriseApplicationFactory,
    ProjectAccountApplicationFactory,
    ProjectFactory,
    ProjectInfoSubmissionFactory,
)
from labour.projects.choices import InfoStatus
from labour.reviews.choices import ReviewStatus

pytestmark = pytest.mark.django_db
# noon today, China time: whole days back stay on their calendar day
NOW = timezone.make_aware(timezone.datetime.combine(timezone.localdate(),
                                                    timezone.datetime.min.time())) + timedelta(hours=12)


def _numbers(response, prefix):
    assert response.status_code == 200
    return re.findall(rf"<td[^>]*>({prefix}\d+)</td>", response.content.decode())


@pytest.fixture
def applications():
    """Applications of 中原区 and 金水区 (both in 郑州) submitted 1…5 days ago."""
    rows = {}
    for days, status, region in [(5, ReviewStatus.SUBMITTED, "410102"),
                                 (4, ReviewStatus.APPROVED, "410102"),
                                 (3, ReviewStatus.RETURNED, "410105"),
                                 (2, ReviewStatus.SUBMITTED, "410105"),
                                 (1, ReviewStatus.APPROVED, "410105")]:
        rows[days] = EnterpriseApplicationFactory(
            status=status, region_code=region, submitted_at=NOW - timedelta(days=days),
            reviewed_at=NOW - timedelta(days=days) + timedelta(hours=1)
            if status != ReviewStatus.SUBMITTED else None).number
    return rows


def test_tabs_dates_order_and_district(client, applications):
    client.force_login(AuthorityFactory(region_code="410100"))
    url = "/certification/review/"
    a = applications
    assert _numbers(client.get(url), "QY") == [a[5], a[2]]  # pending, oldest first
    assert _numbers(client.get(url, {"tab": "approved"}), "QY") == [a[1], a[4]]  # newest first
    assert _numbers(client.get(url, {"tab": "returned"}), "QY") == [a[3]]
    assert _numbers(client.get(url, {"tab": "all", "order": "old"}), "QY") == [
        a[5], a[4], a[3], a[2], a[1]]
    assert _numbers(client.get(url, {"tab": "all", "district": "410105"}), "QY") == [a[1], a[2], a[3]]
    today = timezone.localdate()
    window = {"tab": "all", "since": (today - timedelta(days=4)).isoformat(),
              "until": (today - timedelta(days=2)).isoformat()}
    assert _numbers(client.get(url, window), "QY") == [a[2], a[3], a[4]]
    page = client.get(url, {"tab": "approved"}).content.decode()
    assert 'aria-current="page">已通过' in page and "查看" in page
    assert "status-approved" in page
    # nonsense in the controls: the default view, with the reason beside the field
    wrong = client.get(url, {"tab": "x", "since": "2026-12-05", "until": "2026-12-01"})
    assert _numbers(wrong, "QY") == [a[5], a[2]]
    assert "结束日期不能早于开始日期" in wrong.content.decode()
    # the district list is the jurisdiction's, by name
    assert "中原区（410102）" in page and "洛阳" not in page


def test_the_district_filter_cannot_reach_outside_the_jurisdiction(client, applications):
    client.force_login(AuthorityFactory(region_code="410102"))
    assert _numbers(client.get("/certification/review/", {"tab": "all", "district": "410105"}),
                    "QY") == [applications[4], applications[5]]  # ignored: not its district


def test_project_account_queue_tabs(client):
    account = EnterpriseAccountFactory()
    rows = {s: ProjectAccountApplicationFactory(enterprise=account.enterprise, status=s).number
            for s in (ProjectAccountStatus.SUBMITTED, ProjectAccountStatus.APPROVED,
                      ProjectAccountStatus.RETURNED)}
    client.force_login(account)
    url = "/certification/project/review/"
    assert _numbers(client.get(url), "XZ") == [rows["submitted"]]
    assert _numbers(client.get(url, {"tab": "returned"}), "XZ") == [rows["returned"]]
    assert len(_numbers(client.get(url, {"tab": "all"}), "XZ")) == 3


def test_information_queue_keeps_its_history(client):
    project = ProjectFactory(region_code="410102", info_status=InfoStatus.APPROVED)
    ProjectInfoSubmissionFactory(project=project, status=ReviewStatus.RETURNED,
                                 return_reason="缺少告示牌", submitted_at=NOW - timedelta(days=3))
    ProjectInfoSubmissionFactory(project=project, status=ReviewStatus.APPROVED,
                                 submitted_at=NOW - timedelta(days=1))
    client.force_login(AuthorityFactory(region_code="410100"))
    assert project.code not in client.get("/projects/review/").content.decode()
    returned = client.get("/projects/review/", {"tab": "returned"}).content.decode()
    assert project.code in returned and "已退回" in returned


def test_project_management_filters_by_status_and_district(client):
    drafts = ProjectFactory(region_code="410102", name="中原草稿项目")
    approved = ProjectFactory(region_code="410105", name="金水已通过项目",
                              info_status=InfoStatus.APPROVED)
    client.force_login(AuthorityFactory(region_code="410100"))
    page = client.get("/projects/manage/", {"status": "approved"}).content.decode()
    assert approved.name in page and drafts.name not in page
    page = client.get("/projects/manage/", {"district": "410102"}).content.decode()
    assert drafts.name in page and approved.name not in page
