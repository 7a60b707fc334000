# Written by hand: the filter counts of each frequent word (hits per session, topic, speaker and
# year) kept beside its ranking (0005 on SQLite, 0006 on PostgreSQL), written in the same
# transaction as the ranking and valid exactly while the ranking is: they are read only through
# the ranking's row (SQLite: while it exists; PostgreSQL: while its generation is the index's).

from django.db import migrations

DOC = "sessions_app_searchdocument"
COLUMNS = (
    "lang {text} NOT NULL, term {text} NOT NULL, facet integer NOT NULL, "
    "key bigint NOT NULL, n integer NOT NULL, PRIMARY KEY (lang, term, facet, key)"
)
TABLES = {
    "sqlite": (f"{DOC}_ranked_facets", "WITHOUT ROWID", "TEXT"),
    "postgresql": (f"{DOC}_pg_ranked_facets", "", "text"),
}


# Rankings kept before this migration have no counts: they are made out of date, so that the
# next search for each word ranks it again and keeps its counts with it.
OUT_OF_DATE = {
    "sqlite": f"DELETE FROM {DOC}_ranked",
    "postgresql": f"UPDATE {DOC}_generation SET generation = generation + 1",
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in TABLES:
        table, options, text = TABLES[vendor]
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {table} ({COLUMNS.format(text=text)}) {options}"
        )
        schema_editor.execute(OUT_OF_DATE[vendor])


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLES[vendor][0]}")


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0006_search_word_rankings_postgresql"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
