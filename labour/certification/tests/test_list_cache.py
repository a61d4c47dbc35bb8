"""The list cache (labour.core.listcache): a list page's rows are served from the cache
only while no table they were read from has changed, and only to whoever would see
the same SQL. The tests that need commits (the versions change again on commit; a
thread with uncommitted writes renders afresh) run with real transactions."""

import re
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from labour import factories
from labour.certification.models import EnterpriseApplication
from labour.certification.services import approve_application
from labour.core import listcache, visibility
from labour.reviews.choices import ReviewStatus

QUEUE = "/certification/review/"
NUMBER = re.compile(r'<td class="c-code">(QY\d+)</td>')


@pytest.mark.parametrize(("sql", "table"), [
    ('INSERT INTO "certification_enterpriseapplication" ("a") VALUES (%s)',
     "certification_enterpriseapplication"),
    ('UPDATE "projects_project" SET "name" = %s', "projects_project"),
    ('  delete from "projects_participant" WHERE 1', "projects_participant"),
    ("DELETE FROM arrears_unitmonth WHERE project_id = %s", "arrears_unitmonth"),
    ("\nINSERT INTO arrears_unitmonth (project_id) WITH m AS (SELECT 1) SELECT 1",
     "arrears_unitmonth"),
    ('SELECT "a" FROM "t" FOR UPDATE', None),
    ('(SELECT "a" FROM "t") UNION (SELECT "a" FROM "u")', None),
    ("SAVEPOINT s1", None), ("RELEASE SAVEPOINT s1", None),
    ("LOCK TABLE arrears_unitmonth IN EXCLUSIVE MODE", None),
    ('CREATE INDEX "i" ON "t" ("a")', None),
    ("WITH moved AS (DELETE FROM t RETURNING *) SELECT 1", listcache.ANY),
    ("TRUNCATE t", listcache.ANY),
])
def test_the_table_a_statement_writes(sql, table):
    assert listcache.written_table(sql) == table


def _numbers(response):
    assert response.status_code == 200
    return NUMBER.findall(response.content.decode())


def _get(client, path=QUEUE):
    """The page and whether its rows came from the cache (the view's `rows`)."""
    response = client.get(path)
    return response, response.context["rows"].hit


def _warm(client, path=QUEUE):
    """Until the rows are served from the cache (a process learns a list's tables at its
    first rendering, stores from the next)."""
    for _ in range(3):
        response, hit = _get(client, path)
        if hit:
            return response
    raise AssertionError(f"{path} never served from the cache")


@pytest.fixture
def queue(transactional_db, client):
    authority = factories.AuthorityFactory()
    applications = factories.EnterpriseApplicationFactory.create_batch(3)
    client.force_login(authority)
    return authority, applications


def test_a_hit_runs_no_query_of_the_rows_and_equals_a_fresh_rendering(client, queue):
    fresh = client.get(QUEUE)
    _warm(client)
    with CaptureQueriesContext(connection) as queries:
        cached, hit = _get(client)
    assert hit
    assert not [q for q in queries.captured_queries
                if "certification_enterpriseapplication" in q["sql"]]
    assert _numbers(cached) == _numbers(fresh)
    with listcache.disabled():
        uncached, hit = _get(client)
    assert not hit
    assert uncached.context["rows"].html == cached.context["rows"].html


def test_a_decision_through_the_service_takes_the_row_out_of_the_cached_queue(client, queue):
    authority, applications = queue
    before = _numbers(_warm(client))
    assert len(before) == 3
    approve_application(actor=authority, number=applications[0].number)  # commits
    after, hit = _get(client)
    assert not hit
    assert _numbers(after) == before[1:]
    assert "共 2 条" in after.content.decode()


@pytest.mark.parametrize("write", ["update", "raw", "bulk_create", "delete"])
def test_every_kind_of_write_changes_the_version(client, queue, write):
    _, applications = queue
    _warm(client)
    first = applications[0]
    if write == "update":  # a queryset update: no save(), no signal
        EnterpriseApplication.objects.filter(pk=first.pk).update(status=ReviewStatus.APPROVED)
        expected = 2
    elif write == "raw":
        table = EnterpriseApplication._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET status = %s WHERE id = %s",  # noqa: S608
                           [ReviewStatus.APPROVED, first.pk])
        expected = 2
    elif write == "bulk_create":
        factories.EnterpriseApplicationFactory()
        expected = 4
    else:
        EnterpriseApplication.objects.filter(pk=first.pk).delete()
        expected = 2
    response, hit = _get(client)
    assert not hit
    assert len(_numbers(response)) == expected


def test_a_transaction_sees_its_own_writes_and_the_others_see_them_on_commit(client, queue):
    _, applications = queue
    _warm(client)
    with transaction.atomic():
        EnterpriseApplication.objects.filter(pk=applications[0].pk).update(
            status=ReviewStatus.APPROVED)
        inside, hit = _get(client)  # this thread has written: afresh, and not stored
        assert not hit
        assert len(_numbers(inside)) == 2
    after, _ = _get(client)
    assert len(_numbers(after)) == 2
    assert len(_numbers(_warm(client))) == 2


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two connections at once, one in a write transaction, need PostgreSQL: "
                           "set DATABASE_URL=postgres://…")
def test_a_page_rendered_by_another_during_the_transaction_is_not_served_after_it(client, queue):
    """Another process renders the queue while the write is not committed yet: it sees the
    rows as they were and stores them under the version the write set. The commit changes
    the version again, so those rows are not served afterwards."""
    _, applications = queue
    _warm(client)
    seen = {}

    def another_reader():
        try:
            response, _ = _get(client)
            seen["rows"] = len(_numbers(response))
        finally:
            connection.close()

    with transaction.atomic():
        EnterpriseApplication.objects.filter(pk=applications[0].pk).update(
            status=ReviewStatus.APPROVED)
        reader = threading.Thread(target=another_reader)
        reader.start()
        reader.join()
    assert seen["rows"] == 3  # before the commit
    response, hit = _get(client)
    assert not hit
    assert len(_numbers(response)) == 2


def test_a_rolled_back_write_leaves_the_rows_as_they_were(client, queue):
    _, applications = queue
    _warm(client)
    with pytest.raises(RuntimeError), transaction.atomic():
        EnterpriseApplication.objects.filter(pk=applications[0].pk).delete()
        raise RuntimeError
    assert len(_numbers(_warm(client))) == 3


def test_a_write_after_a_savepoint_rolled_back_still_changes_the_version(client, queue):
    _, applications = queue
    _warm(client)
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            EnterpriseApplication.objects.filter(pk=applications[0].pk).update(
                status=ReviewStatus.APPROVED)
            raise RuntimeError  # drops the savepoint's on-commit callbacks
        EnterpriseApplication.objects.filter(pk=applications[1].pk).update(
            status=ReviewStatus.APPROVED)
    response, hit = _get(client)
    assert not hit
    assert len(_numbers(response)) == 2


def test_another_jurisdiction_never_gets_these_rows(client, queue):
    _warm(client)
    other = factories.AuthorityFactory(username="luoyang", region_code="410300")
    client.force_login(other)
    response, hit = _get(client)
    assert not hit
    assert _numbers(response) == []


def test_an_account_moved_to_another_jurisdiction_no_longer_gets_the_old_rows(client, queue):
    authority, _ = queue
    _warm(client)
    type(authority).objects.filter(pk=authority.pk).update(region_code="410300")
    response, hit = _get(client)
    assert not hit
    assert _numbers(response) == []


def test_no_entry_is_shared_between_two_accounts(client, queue):
    """Even two reviewers of one jurisdiction, who see the same rows."""
    _warm(client)
    client.force_login(factories.AuthorityFactory(username="colleague"))
    response, hit = _get(client)
    assert not hit
    assert len(_numbers(response)) == 3


def test_the_scope_key_holds_every_attribute_the_visibility_rules_read():
    """The list cache keys entries by `scope_key(user)`: a rule that reads another
    attribute of the actor must add it there (SCOPE_ATTRIBUTES)."""
    root = Path(listcache.__file__).resolve().parent.parent
    rules = [*root.glob("*/visibility.py"), *root.glob("*/selectors.py")]
    read = set()
    for path in rules:
        text = path.read_text()
        read |= set(re.findall(r"\b(?:user|actor)\.(\w+)\b(?!\()", text))  # not a method
    derived = {"is_authority": "kind", "is_enterprise": "kind", "is_project_account": "kind",
               "is_authenticated": "pk", "enterprise": "enterprise_id", "project": "project_id",
               "id": "pk"}
    allowed = set(visibility.SCOPE_ATTRIBUTES)
    # payroll's own list of authorities (`for user in User.objects…`) is no visibility rule
    unknown = {name for name in read - allowed if derived.get(name) not in allowed} - {
        "display_name"}
    assert not unknown, f"add to SCOPE_ATTRIBUTES (core/visibility.py): {sorted(unknown)}"


def test_the_query_string_is_part_of_the_key(client, queue):
    _warm(client)
    response, hit = _get(client, QUEUE + "?tab=approved")
    assert not hit
    assert _numbers(response) == []


def test_an_evicted_version_is_never_taken_for_the_old_one(client, queue):
    _warm(client)
    cache.delete(listcache.VERSION_PREFIX + "certification_enterpriseapplication")
    _, hit = _get(client)
    assert not hit


def test_another_release_does_not_serve_this_ones_markup(client, queue, monkeypatch):
    _warm(client)
    monkeypatch.setattr(listcache, "release", lambda: "another")
    _, hit = _get(client)
    assert not hit


def test_with_the_cache_down_the_rows_are_rendered_afresh(client, queue, monkeypatch):
    fresh = _numbers(_warm(client))

    class Down:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")
            return fail

    monkeypatch.setattr(listcache, "caches", {"default": Down()})
    response, hit = _get(client)
    assert not hit
    assert _numbers(response) == fresh


def test_an_account_adds_at_most_its_budget_of_entries_a_minute(client, queue, settings):
    """Free search terms cannot fill the cache: past the budget, pages are rendered
    afresh and not kept."""
    settings.LIST_CACHE_STORES_PER_MINUTE = 3
    _warm(client)  # one entry
    for term in ("a", "b"):
        _get(client, f"{QUEUE}?q={term}")
        assert _get(client, f"{QUEUE}?q={term}")[1]  # kept
    _get(client, f"{QUEUE}?q=c")
    response, hit = _get(client, f"{QUEUE}?q=c")
    assert not hit
    assert response.status_code == 200
    assert _get(client)[1]  # the entries kept are still served


def test_turned_off_with_zero_seconds(client, queue, settings):
    settings.LIST_CACHE_SECONDS = 0
    for _ in range(3):
        _, hit = _get(client)
        assert not hit


def test_list_fragments_cannot_depend_on_the_request_or_the_user():
    """A fragment is rendered without a request: the user, the permissions, the CSRF
    token and the request would silently be empty (and, if not, shared)."""
    root = Path(listcache.__file__).resolve().parent.parent
    fragments = [path for path in root.rglob("*_rows.html") if "listcache" in path.read_text()]
    assert len(fragments) >= 5
    fragments.append(root / "core" / "templates" / "core" / "pager.html")  # they include it
    for path in fragments:
        text = re.sub(r"\{#.*?#\}", "", path.read_text())
        assert not re.search(r"\b(request|user|perms|csrf_token|messages)\b", text), path
