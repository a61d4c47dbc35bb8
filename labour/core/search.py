"""Name and code search on list pages, at a cost that stays flat as the data grows
(issue 10 §5). One rule for every list:

- a full credit code (18 characters, GB 32100) is an exact look-up (`=`) on the code
  columns: their b-tree index; nothing else is searched;
- a name term of 3 characters or more is `UPPER(col) LIKE UPPER('%term%')` (Django's
  icontains), which PostgreSQL serves from a pg_trgm GIN index on UPPER(col);
- a 2-character term (common in Chinese: 建设, 郑州, 中原) has no trigram, so a trigram
  index cannot find it. PostgreSQL then looks it up in a GIN index of the column's
  bigrams, `labour_bigrams(col) @> ARRAY[term]` (an immutable SQL function, the
  migration core 0001): exactly the rows that contain the two characters; the LIKE
  stays beside it for SQLite and as the readable rule;
- a code fragment (3+ letters or digits, no other character) is also looked for in
  the code columns (`LIKE '%FRAGMENT%'`, trigram index); codes are stored upper-case;
- a 1-character term: LIKE without an index (rare; the page's other filters bound it).

The indexes are PostgreSQL's only (migrations `*_search_indexes`, skipped on SQLite,
where the same conditions run as plain LIKE).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations import RunPython
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Cast

FULL_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$")
CODE_FRAGMENT = re.compile(r"^[0-9A-Z]{3,}$")


class Bigrams(Func):
    """labour_bigrams(col): the distinct upper-cased 2-character substrings of col."""

    function = "labour_bigrams"

    def __init__(self, expression: str) -> None:
        from django.contrib.postgres.fields import ArrayField

        super().__init__(F(expression), output_field=ArrayField(TextField()))


def _has_two(field: str, term: str) -> Q:
    from django.contrib.postgres.fields import ArrayField
    from django.contrib.postgres.lookups import DataContains

    text_array = ArrayField(TextField())
    return Q(DataContains(Bigrams(field), Cast(Value([term.upper()], output_field=text_array),
                                               output_field=text_array)))


def is_full_credit_code(code: str) -> bool:
    return bool(FULL_CREDIT_CODE.match(code))


def text_search(query: str, *, names: Sequence[str] = (), codes: Sequence[str] = (),
                exact: Sequence[str] = ()) -> Q | None:
    """The condition for `query` over name columns (contained), credit-code columns
    (exact when the query is a full code, else contained fragments) and `exact`
    columns (equal to the query as typed, upper-cased: a number such as QY…).
    None for an empty query."""
    query = (query or "").strip()
    if not query:
        return None
    code = re.sub(r"\s+", "", query).upper()
    if codes and is_full_credit_code(code):
        return _any([Q(**{c: code}) for c in codes] + [Q(**{e: code}) for e in exact])
    conditions = []
    for name in names:
        condition = Q(**{f"{name}__icontains": query})
        if len(query) == 2 and connection.vendor == "postgresql":
            condition &= _has_two(name, query)
        conditions.append(condition)
    if CODE_FRAGMENT.match(code):
        conditions += [Q(**{f"{c}__contains": code}) for c in codes]
    conditions += [Q(**{e: code}) for e in exact]
    return _any(conditions)


def _any(conditions: list[Q]) -> Q | None:
    if not conditions:
        return None
    found = conditions[0]
    for condition in conditions[1:]:
        found |= condition
    return found


# ------------------------------------------------------------------ migrations

def search_indexes(table: str, *, names: Sequence[str] = (),
                   codes: Sequence[str] = ()) -> RunPython:
    """A migration operation that makes, on PostgreSQL only, the indexes text_search()
    uses on `table`: for each name column a trigram GIN index on UPPER(col) and a GIN
    index of its bigrams; for each code column a trigram GIN index. Other databases:
    nothing (the same conditions run without them)."""
    statements = []
    for column in names:
        statements.append((f"{table}_{column}_trgm",
                           f"USING gin (upper({column}) gin_trgm_ops)"))
        statements.append((f"{table}_{column}_bigrams", f"USING gin (labour_bigrams({column}))"))
    for column in codes:
        statements.append((f"{table}_{column}_trgm", f"USING gin ({column} gin_trgm_ops)"))

    def forwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for name, how in statements:
                schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name[:63]} ON {table} {how}")

    def backwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for name, _ in statements:
                schema_editor.execute(f"DROP INDEX IF EXISTS {name[:63]}")

    return RunPython(forwards, backwards, elidable=False)
