"""The pages: 「欠薪预警」 (the jurisdiction only, filters, sorting, paging, 导出, the
chart), a project's months, and 工资发放情况 for enterprise and project accounts."""

import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from labour.arrears.facts import rebuild
from labour.audit.models import Action, AuditEvent
from labour.factories import (
    AuthorityFactory,
    EnterpriseAccountFactory,
    ParticipantFactory,
    ProjectFactory,
    ProjectInformationFactory,
    ProjectWorkerFactory,
    TeamFactory,
    WorkerEventFactory,
)
from labour.projects.choices import ParticipantRole

from .helpers import OCT, line, sheet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_20th")]


def _other_project(region="410105", workers=3):
    """A project in another district with workers 在场 since September, never paid."""
    project = ProjectFactory(region_code=region, name=f"金水区项目{region}")
    ProjectInformationFactory(project=project)
    unit = ParticipantFactory(project=project, role=ParticipantRole.LABOUR_SUBCONTRACTOR)
    team = TeamFactory(participant=unit, project=project)
    for _ in range(workers):
        worker = ProjectWorkerFactory(participant=unit, project=project, team=team)
        WorkerEventFactory(worker=worker, kind="1", date=date(2026, 9, 1))
    return project


@pytest.fixture
def city(world, authority):
    """The world's October paid for 「whole」 only (red), another district's project
    unpaid since September; the city authority 410100 sees both."""
    oct_sheet = sheet(world)
    line(oct_sheet, world["people"]["whole"], "6000", paid_on=date(2026, 11, 10))
    world["other"] = _other_project()
    rebuild()
    return world


def _rows(html):
    """The project code of each row of the list, in order."""
    return re.findall(r'<td class="c-name" title="[^"]*"><a href="/arrears/warnings/project/(\w+)/">',
                      html.split("<tbody>")[1].split("</tbody>")[0])


def test_the_authority_sees_each_warned_month_of_its_jurisdiction(client, city, authority):
    client.force_login(authority)
    response = client.get("/arrears/warnings/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    code, other = city["project"].code, city["other"].code
    # the world: August (「gone」), September (「whole」, 「gone」) unpaid, October half
    # paid; the other project: September and October unpaid. November: not yet due
    assert sorted(_rows(html)) == sorted([code, code, code, other, other])
    assert "约定发薪日（2026-11-13）已过，2名在场工人中1名没有已发放的工资（50.0%）" in html
    assert "1名当月退场的工人没有当月已发放的工资" in html
    assert 'class="status status-red">红色' in html
    assert "约定发薪日未到的月份不预警" in html
    months = re.findall(r'<td class="c-date">(\d{4}-\d{2})</td>', html.split("<tbody>")[1])
    assert sorted(months) == ["2026-08", "2026-09", "2026-09", "2026-10", "2026-10"]


def test_another_citys_authority_sees_nothing(client, city, other_authority):
    client.force_login(other_authority)
    html = client.get("/arrears/warnings/").content.decode()
    assert _rows(html) == [] and "暂无欠薪预警" in html
    assert client.get(f"/arrears/warnings/project/{city['project'].code}/").status_code == 404
    data = json.loads(re.search(r'id="arrears-chart-data"[^>]*>(.*?)</script>', html).group(1))
    assert set(data["due"]) == {"0.00"}


def test_a_district_authority_sees_its_district_only(client, city):
    district = AuthorityFactory(region_code="410102")
    client.force_login(district)
    html = client.get("/arrears/warnings/").content.decode()
    assert set(_rows(html)) == {city["project"].code}


def test_filters_by_district_level_and_month_and_sorts(client, city, authority):
    client.force_login(authority)
    get = lambda **q: _rows(client.get("/arrears/warnings/", q).content.decode())  # noqa: E731
    assert set(get(district="410105")) == {city["other"].code}
    assert get(level="yellow") == []
    assert len(get(level="red")) == 5
    assert set(get(month="2026-10")) == {city["project"].code, city["other"].code}
    oldest_first = get(sort="month_asc")
    assert len(oldest_first) == 5
    html = client.get("/arrears/warnings/", {"sort": "month_asc"}).content.decode()
    months = re.findall(r'<td class="c-date">(\d{4}-\d{2})</td>', html.split("<tbody>")[1])
    assert months == sorted(months)
    assert 'aria-sort="ascending"><a href="?sort=month">月份</a>' in html  # click: newest first
    html = client.get("/arrears/warnings/", {"level": "red", "page": 2}).content.decode()
    assert '<a href="?level=red&amp;sort=due">应发（元）</a>' in html


@pytest.mark.parametrize("query", [
    {"month": "2026-13"}, {"month": "abc"}, {"district": "999999"}, {"level": "purple"},
    {"sort": "drop table"}, {"page": "99999999999999999999"}, {"page": "-1"},
    {"month": "2026-10\x00"},
])
def test_bad_filters_are_refused_beside_the_field_never_a_500(client, city, authority, query):
    client.force_login(authority)
    response = client.get("/arrears/warnings/", query)
    assert response.status_code in (200, 400)
    if "month" in query and response.status_code == 200:
        assert 'aria-invalid="true"' in response.content.decode()


def test_paged(client, city, authority, settings):
    settings.ARREARS_PAGE_SIZE = 3
    client.force_login(authority)
    first = _rows(client.get("/arrears/warnings/").content.decode())
    second = _rows(client.get("/arrears/warnings/", {"page": 2}).content.decode())
    assert len(first) == 3 and len(second) == 2


def test_export_is_the_whole_filtered_list(client, city, authority, settings):
    settings.ARREARS_PAGE_SIZE = 1
    client.force_login(authority)
    assert client.get("/arrears/warnings/export/").status_code == 405
    response = client.post("/arrears/warnings/export/", {"month": "2026-10", "sort": "project"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet_ = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet_.iter_rows(values_only=True))
    assert rows[0] == ("项目编号", "项目", "区域", "月份", "在场人数", "已发人数", "应发", "已发", "等级",
                       "原因", "约定发薪日")
    body = sorted(rows[1:])
    assert [r[0] for r in body] == sorted([city["project"].code, city["other"].code])
    world_row = next(r for r in body if r[0] == city["project"].code)
    assert world_row[3:9] == ("2026-10", 2, 1, 6000, 6000, "红色")
    assert "1名当月退场的工人" in world_row[9] and world_row[10] == "2026-11-13"
    event = AuditEvent.objects.get(action=Action.ARREARS_EXPORTED)
    assert event.detail["rows"] == 2 and event.detail["month"] == "2026-10"


def test_export_is_limited(client, city, authority, settings):
    settings.ARREARS_EXPORT_MAX_ROWS = 2
    client.force_login(authority)
    rows = list(load_workbook(io.BytesIO(client.post("/arrears/warnings/export/").content))
                .active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[-1][0] == "仅导出前2行，请缩小筛选范围"


def test_the_chart_data_is_paid_vs_due_per_month(client, city, authority, settings):
    settings.ARREARS_CHART_MONTHS = 3
    client.force_login(authority)
    html = client.get("/arrears/warnings/").content.decode()
    data = json.loads(re.search(r'id="arrears-chart-data"[^>]*>(.*?)</script>', html).group(1))
    assert data == {"months": ["2026-09", "2026-10", "2026-11"],
                    "due": ["0.00", "6000.00", "0.00"], "paid": ["0.00", "6000.00", "0.00"]}
    assert "arrears/vendor/echarts/echarts.min.js" in html and "arrears/chart.js" in html
    assert "<script>" not in html  # no inline script: the data is a json_script element
    district = client.get("/arrears/warnings/", {"district": "410105"}).content.decode()
    assert '"due": ["0.00", "0.00", "0.00"]' in district


def test_the_project_page_shows_months_reasons_and_expected_wage_funds(client, city, authority):
    info = city["project"].information
    info.contract_amount = Decimal("1200")  # 万元, building: 20 %
    info.actual_start = date(2026, 3, 1)
    info.save()
    client.force_login(authority)
    html = client.get(f"/arrears/warnings/project/{city['project'].code}/").content.decode()
    # 12,000,000 × 20 % ÷ 24 months (2026-03-01 → 2028-03-01)
    assert "100000.00 元" in html and "房屋建筑工程：合同金额 × 20% ÷ 合同月数" in html
    assert "2026-10" in html and "2026-11" in html
    assert "约定发薪日（2026-12-15）未到，暂不预警" in html
    assert "1名当月退场的工人没有当月已发放的工资" in html
    assert 'aria-label="当前位置"' in html


def test_the_project_page_is_404_to_others(client, city):
    for user in (EnterpriseAccountFactory(), city["labour"], AuthorityFactory(region_code="410105")):
        client.force_login(user)
        assert client.get(f"/arrears/warnings/project/{city['project'].code}/").status_code == 404
    client.force_login(city["gc"])  # the general contractor sees its project's months
    assert client.get(f"/arrears/warnings/project/{city['project'].code}/").status_code == 200
    assert client.get("/arrears/warnings/project/NOPE\x00/").status_code in (400, 404)


def test_enterprise_and_project_accounts_do_not_see_the_authority_page(client, city):
    for user in (city["gc"], city["labour"], city["gc_project"]):
        client.force_login(user)
        assert client.get("/arrears/warnings/").status_code == 404
        assert client.post("/arrears/warnings/export/").status_code == 404


def _enterprise_rows(html):
    return re.findall(r'<td class="c-date">(\d{4}-\d{2})</td>\s*<td>([^<]*)</td>\s*'
                      r'<td class="c-num">(\d+)</td><td class="c-num">(\d+)</td>\s*'
                      r'<td class="c-num">([\d.]+)</td><td class="c-num">([\d.]+)</td>', html)


def test_the_enterprise_view_shows_its_own_months(client, city):
    client.force_login(city["labour"])
    response = client.get("/arrears/enterprise/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = _enterprise_rows(html)
    assert ("2026-10", "已发放 1", "2", "1", "6000.00", "6000.00") in rows
    assert ("2026-11", "未制表", "2", "0", "0.00", "0.00") in rows
    assert city["other"].code not in html
    assert _enterprise_rows(client.get("/arrears/enterprise/", {"month": "2026-10"})
                            .content.decode()) == [("2026-10", "已发放 1", "2", "1", "6000.00",
                                                    "6000.00")]


def test_the_general_contractor_sees_its_whole_project_others_nothing(client, city):
    client.force_login(city["gc_project"])
    assert len(_enterprise_rows(client.get("/arrears/enterprise/").content.decode())) == 4
    client.force_login(EnterpriseAccountFactory())
    html = client.get("/arrears/enterprise/").content.decode()
    assert _enterprise_rows(html) == [] and "暂无工资发放记录" in html


def test_the_authority_home_counts_the_warnings(client, city, authority):
    client.force_login(authority)
    html = client.get("/home/").content.decode()
    assert "欠薪预警的项目月份" in html
    assert 'href="/arrears/warnings/?level=red"' in html and "5 个项目月份" in html


def test_the_first_day_after_the_pay_day_the_month_appears(client, world, authority, time_machine):
    time_machine.move_to(date(2026, 11, 13))
    rebuild()
    client.force_login(authority)
    assert _rows(client.get("/arrears/warnings/", {"month": "2026-10"}).content.decode()) == []
    time_machine.move_to(date(2026, 11, 14))
    client.force_login(authority)  # a day later: signed in again
    assert _rows(client.get("/arrears/warnings/", {"month": "2026-10"}).content.decode()) == [
        world["project"].code]


def test_a_worker_paid_removes_the_warning(client, world, authority):
    oct_sheet = sheet(world)
    line(oct_sheet, world["people"]["whole"], "6000", paid_on=date(2026, 11, 10))
    line(oct_sheet, world["people"]["part"], "3000", paid_on=date(2026, 11, 12))
    rebuild()
    client.force_login(authority)
    assert _rows(client.get("/arrears/warnings/", {"month": "2026-10"}).content.decode()) == []


__all__ = ["OCT"]
