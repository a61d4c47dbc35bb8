"""A sheet of many lines costs about what a sheet of 2 does: create_sheet, save_lines
and the sheet page run a constant number of statements (plus a bulk statement per
batch of rows), never one per line. scripts/bench_payroll.py times them on the
generated city with a 2,000-line sheet."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from labour.factories import AttachmentFactory, ProjectWorkerFactory, WageCardFactory, WorkerEventFactory
from labour.payroll import services
from labour.payroll.models import WageItem, WageLine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_20th")]
CREATE, SAVE, PAGE = 16, 20, 16  # at most, for 2 lines as for 122
BATCHES = 4  # more bulk statements allowed for 122 lines (SQLite's smaller batches)


def _typed(sheet, wage, loan=True):
    items = {("gross", "计时工资"): wage, ("gross", "加班工资"): "200"}
    items[("deduction", "借支") if loan else ("deduction", "个人所得税")] = "100"
    return {line.pk: services.LineInput(days="20", work_hours="160", items=items)
            for line in WageLine.objects.filter(sheet=sheet)}


def _measure(world, client, month, wage):
    """(statements of create_sheet, of save_lines twice, of the sheet's page 2 or 1)."""
    with CaptureQueriesContext(connection) as create:
        sheet = services.create_sheet(actor=world["labour"], code=world["project"].code,
                                      team_id=world["team"].pk, month=month)
    counts = [len(create)]
    for typed in (_typed(sheet, wage), _typed(sheet, wage, loan=False)):  # then: one item swapped
        with CaptureQueriesContext(connection) as save:
            services.save_lines(actor=world["labour"], number=sheet.number, lines=typed)
        counts.append(len(save))
    assert not WageItem.objects.filter(line__sheet=sheet, name="借支").exists()
    assert WageItem.objects.filter(line__sheet=sheet).count() == 3 * sheet.line_count
    services.attach_signed_scan(actor=world["labour"], number=sheet.number, scan=AttachmentFactory())
    client.force_login(world["labour"])
    client.get("/payroll/")  # session and menu warmed
    with CaptureQueriesContext(connection) as page:
        response = client.get(f"/payroll/sheet/{sheet.number}/", {"page": 2})
    counts.append(len(page))
    assert response.status_code == 200 and f"{wage}.00" in response.content.decode()
    return sheet, counts


def test_statements_do_not_grow_with_the_lines(world, client):
    small, few = _measure(world, client, date(2026, 10, 1), "5000")
    assert small.line_count == 2
    team, project = world["team"], world["project"]
    for _ in range(120):
        worker = ProjectWorkerFactory(participant=team.participant, project=project, team=team)
        WorkerEventFactory(worker=worker, kind="1", date=date(2026, 9, 1))
        WageCardFactory(worker=worker)
    big, many = _measure(world, client, date(2026, 11, 1), "4800")
    assert big.line_count == 122
    assert few[0] <= CREATE and max(few[1:3]) <= SAVE and few[3] <= PAGE, few
    assert many[0] <= few[0] + BATCHES and many[1] <= few[1] + BATCHES, (few, many)
    assert many[2] <= few[2] + BATCHES and many[3] <= PAGE, (few, many)


def test_the_worker_choice_is_written_without_a_template_per_option(monkeypatch):
    from django.forms.renderers import get_default_renderer

    from labour.payroll.forms import AddLineForm

    workers = [(1, "张三"), (2, "李<四>")]
    renderer = get_default_renderer()  # FastRenderer: Django's select.html written in Python
    assert renderer._builtin_templates_in_use  # its one look at the engine's templates
    monkeypatch.setattr(renderer, "get_template", lambda name: pytest.fail(f"{name} from the engine"))
    for data in (None, {"worker": "2"}, {"worker": ""}):
        assert '<option value="2"' in str(AddLineForm(data, workers=workers)["worker"])
    bound = AddLineForm({"worker": "9"}, workers=workers)
    assert not bound.is_valid()
    html = str(bound["worker"])
    assert 'aria-invalid="true"' in html and "李&lt;四&gt;" in html


def test_each_month_numbers_its_sheets_on_its_own(world):
    from labour.core.numbers import next_number
    from labour.payroll.models import WageSheet

    for month in (date(2026, 11, 1), date(2026, 9, 1), date(2026, 10, 1)):
        services.create_sheet(actor=world["labour"], code=world["project"].code,
                              team_id=world["team"].pk, month=month)
    assert sorted(WageSheet.objects.values_list("number", flat=True)) == [
        "GZ202609000001", "GZ202610000001", "GZ202611000001"]
    assert next_number(WageSheet, "number", "GZ202610", width=6) == "GZ202610000002"
    assert next_number(WageSheet, "number", "GZ202608", width=6) == "GZ202608000001"
    assert next_number(WageSheet, "number", "GZ20261", width=7) == "GZ202611000002"
