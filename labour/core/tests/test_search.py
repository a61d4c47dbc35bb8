"""List-page search (issue 10 §5): one rule for every list (labour.core.search), the
same answers on SQLite and PostgreSQL; on PostgreSQL each condition can be served by
an index (a full credit code by its b-tree, a 3+ character term by a trigram index,
a 2-character Chinese term by the bigram index), and a queue's first page by the
partial index of pending rows. The menu badge does not count a queue a second time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from labour.certification.models import EnterpriseApplication
from labour.certification.selectors import review_queue
from labour.core.search import text_search
from labour.factories import EnterpriseApplicationFactory, ProjectFactory
from labour.projects.models import Project
from labour.projects.selectors import projects_for_authority
from labour.reviews.choices import ReviewStatus
from labour.reviews.queue import DEFAULT_VIEW

pytestmark = pytest.mark.django_db


@pytest.fixture
def applications():
    names = ["郑州中原建设工程有限公司", "河南金水路桥有限公司", "洛阳建工集团有限公司",
             "Zhengzhou ABC Construction Co"]
    return [EnterpriseApplicationFactory(name=name, region_code="410102") for name in names]


def _names(authority, q):
    return sorted(a.name for a in review_queue(authority, view={**DEFAULT_VIEW, "q": q}))


def test_two_characters_three_and_more_and_latin_case(authority, applications):
    assert _names(authority, "建设") == ["郑州中原建设工程有限公司"]
    assert _names(authority, "有限公司") == sorted(a.name for a in applications[:3])
    assert _names(authority, "金水路桥") == ["河南金水路桥有限公司"]
    assert _names(authority, "abc") == ["Zhengzhou ABC Construction Co"]
    assert _names(authority, "集") == ["洛阳建工集团有限公司"]
    assert _names(authority, "没有") == []


def test_a_full_credit_code_is_an_exact_look_up(authority, applications):
    code = applications[1].credit_code
    assert _names(authority, code.lower()) == ["河南金水路桥有限公司"]
    assert _names(authority, f" {code[:9]} {code[9:]} ") == ["河南金水路桥有限公司"]
    condition = text_search(code, names=["name"], codes=["credit_code"])
    assert str(condition) == f"(AND: ('credit_code', '{code}'))"
    # a fragment of a code (3+ letters or digits) is looked for inside the codes
    assert _names(authority, code[10:]) == ["河南金水路桥有限公司"]


def test_project_management_searches_names_codes_and_participants(authority):
    gc_project = ProjectFactory(name="郑州市某学校教学楼项目", region_code="410102")
    other = ProjectFactory(name="金水区保障性住房项目", region_code="410105")
    unit = gc_project.participants.first()

    def found(q):
        return {p.pk for p in projects_for_authority(authority, q)}

    assert found("学校") == {gc_project.pk}
    assert found("保障性住房") == {other.pk}
    assert found(other.code.lower()) == {other.pk}
    assert found(unit.credit_code) >= {gc_project.pk}
    assert found(unit.unit_name[:2]) >= {gc_project.pk}


def test_the_menu_does_not_count_the_queue_again(client, authority, applications):
    """The pending tab's paginator counts the rows; the badge of 企业账号认证审核 shows
    that number instead of a second COUNT of the same rows."""
    client.force_login(authority)
    table = EnterpriseApplication._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/certification/review/")
    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries
              if "COUNT(" in q["sql"].upper() and table in q["sql"]]
    assert len(counts) == 1, counts
    assert 'aria-label="待处理 4 项"' in response.content.decode()
    # another tab is counted by its paginator, the badge by its own query (still right)
    response = client.get("/certification/review/?tab=all&q=建设")
    assert 'aria-label="待处理 4 项"' in response.content.decode()


# ------------------------------------------------------------------ PostgreSQL plans

def _plan(qs):
    """The plan PostgreSQL would pick if scanning the whole table were not an option
    (tiny test tables are otherwise always scanned): proves an index matches the query."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("index plans need PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.mark.postgres
def test_each_search_has_its_index_on_postgresql(postgresql, applications):
    """Each condition alone (the queue adds visibility, status and order, which the
    planner weighs against these at real sizes: scripts/bench_http.py)."""
    from labour.projects.models import Participant

    def plan(model, q, **columns):
        return _plan(model.objects.filter(text_search(q, **columns)).order_by())

    app = {"names": ["name"], "codes": ["credit_code"]}
    assert "certification_enterpriseapplication_name_bigrams" in plan(
        EnterpriseApplication, "建设", **app)
    assert "certification_enterpriseapplication_name_trgm" in plan(
        EnterpriseApplication, "金水路桥", **app)
    code_plan = plan(EnterpriseApplication, applications[0].credit_code, **app)
    assert "credit_code" in code_plan and "Seq Scan" not in code_plan
    assert "credit_code_trgm" not in code_plan and "name" not in code_plan
    assert "certification_enterpriseapplication_credit_code_trgm" in plan(
        EnterpriseApplication, "4101021", **app)
    assert "projects_project_name_bigrams" in plan(Project, "学校", names=["name"])
    assert "projects_participant_unit_name_trgm" in plan(Participant, "建设工程",
                                                         names=["unit_name"])


@pytest.mark.postgres
def test_the_first_page_of_a_queue_reads_only_pending_rows(postgresql, authority, applications):
    EnterpriseApplicationFactory(status=ReviewStatus.APPROVED, region_code="410102",
                                 reviewer=authority)
    plan = _plan(review_queue(authority)[:20])
    assert "enterprise_app_pending_queue" in plan, plan


@pytest.mark.postgres
def test_the_bigram_function(postgresql):
    with connection.cursor() as cursor:
        cursor.execute("SELECT labour_bigrams(%s)", ["郑州abc郑州"])
        assert sorted(cursor.fetchone()[0]) == sorted(["郑州", "州A", "AB", "BC", "C郑"])
    assert Project.objects.count() >= 0


def test_the_enterprise_name_look_up_follows_the_rule():
    from labour.enterprises.selectors import lookup
    from labour.factories import EnterpriseFactory

    EnterpriseFactory(name="郑州中原建设工程有限公司")
    EnterpriseFactory(name="河南金水路桥有限公司")
    assert [e.name for e in lookup("建设")] == ["郑州中原建设工程有限公司"]
    assert [e.name for e in lookup("金水路桥")] == ["河南金水路桥有限公司"]
    assert lookup("无此") == [] and lookup("建") == []


def test_menu_badges_are_counted_once_per_interval(client, authority, applications, settings):
    """Every page shows the menu: its badges are counted at most once per
    MENU_PENDING_CACHE_SECONDS per user, so a page's cost does not grow with the queues;
    the queue's own pending page counts afresh and refreshes the badge."""
    settings.MENU_PENDING_CACHE_SECONDS = 30
    client.force_login(authority)
    table = EnterpriseApplication._meta.db_table

    def counts(path):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(path).content.decode()
        return html, [q for q in queries.captured_queries
                      if "COUNT(" in q["sql"].upper() and table in q["sql"]]

    html, first = counts("/projects/manage/")
    assert len(first) == 1 and 'aria-label="待处理 4 项"' in html
    html, again = counts("/projects/manage/")
    assert again == [] and 'aria-label="待处理 4 项"' in html
    EnterpriseApplicationFactory(region_code="410105")
    html, _ = counts("/projects/manage/")
    assert 'aria-label="待处理 4 项"' in html  # kept for the interval
    html, queue = counts("/certification/review/")
    assert len(queue) == 1 and 'aria-label="待处理 5 项"' in html
    html, _ = counts("/projects/manage/")
    assert 'aria-label="待处理 5 项"' in html

    settings.MENU_PENDING_CACHE_SECONDS = 0
    _, every = counts("/projects/manage/")
    assert len(every) == 1
