"""PostgreSQL only: pg_trgm (trigram indexes for name search) and labour_bigrams(),
whose GIN index finds 2-character terms (labour.core.search). SQLite needs neither."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

BIGRAMS = """
CREATE OR REPLACE FUNCTION labour_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(upper(value), i, 2)), '{}')
    FROM generate_series(1, char_length(value) - 1) AS i
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BIGRAMS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP FUNCTION IF EXISTS labour_bigrams(text)")


class Migration(migrations.Migration):
    dependencies: list = []
    operations = [
        TrigramExtension(),  # CREATE EXTENSION pg_trgm; nothing on other databases
        migrations.RunPython(forwards, backwards),
    ]
