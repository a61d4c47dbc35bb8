"""欠薪预警's chart is drawn by the platform's own ECharts (no CDN, no inline script):
the page's json_script data becomes an SVG chart, with no error in the console."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from labour.arrears.facts import rebuild
from labour.factories import (
    AuthorityFactory,
    ParticipantFactory,
    ProjectFactory,
    ProjectInformationFactory,
    ProjectWorkerFactory,
    TeamFactory,
    WageLineFactory,
    WageSheetFactory,
    WorkerEventFactory,
)

pytestmark = pytest.mark.browser


def test_the_chart_is_drawn_from_the_page_data(browser, live_server, transactional_db):
    project = ProjectFactory(region_code="410102")
    ProjectInformationFactory(project=project)
    unit = ParticipantFactory(project=project, role="labour_subcontractor")
    team = TeamFactory(participant=unit, project=project)
    worker = ProjectWorkerFactory(participant=unit, project=project, team=team)
    last = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    WorkerEventFactory(worker=worker, kind="1", date=last)
    sheet = WageSheetFactory(team=team, month=last, status="confirmed")
    WageLineFactory(sheet=sheet, worker=worker, gross_total=Decimal("6000.00"))
    rebuild()
    authority = AuthorityFactory(region_code="410100")
    client = Client()
    client.force_login(authority)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(request.url))
    page.goto(live_server.url + "/arrears/warnings/")
    expect(page.locator("#arrears-chart svg")).to_be_visible()
    assert page.locator("#arrears-chart svg text", has_text="应发（元）").count() >= 1
    assert errors == []
    context.close()
