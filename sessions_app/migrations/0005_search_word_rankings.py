# Written by hand: on SQLite, the ranking of each frequent word kept ready (its best documents in
# order, and how many documents it is in), so that a search for one common word reads 20 rows
# instead of scoring every document that has the word (sessions_app/search/backends/sqlite.py).
# A ranking is valid while its row in the lists table exists: any change to the public index in
# a language deletes that language's rows (triggers below), and the next search for the word
# ranks it afresh. PostgreSQL gets no such tables.

from django.db import migrations

DOC = "sessions_app_searchdocument"
RANKS = f"{DOC}_ranks"
RANKED = f"{DOC}_ranked"

FORWARD = [
    f"CREATE TABLE IF NOT EXISTS {RANKED} ("
    "lang TEXT NOT NULL, term TEXT NOT NULL, total INTEGER NOT NULL, "
    "PRIMARY KEY (lang, term)) WITHOUT ROWID",
    f"CREATE TABLE IF NOT EXISTS {RANKS} ("
    "lang TEXT NOT NULL, term TEXT NOT NULL, position INTEGER NOT NULL, "
    "doc_id INTEGER NOT NULL, score REAL NOT NULL, "
    "PRIMARY KEY (lang, term, position)) WITHOUT ROWID",
    f"CREATE TRIGGER IF NOT EXISTS {DOC}_ranked_ai AFTER INSERT ON {DOC} WHEN new.is_public "
    f"BEGIN DELETE FROM {RANKED} WHERE lang = new.lang; END",
    f"CREATE TRIGGER IF NOT EXISTS {DOC}_ranked_ad AFTER DELETE ON {DOC} WHEN old.is_public "
    f"BEGIN DELETE FROM {RANKED} WHERE lang = old.lang; END",
    f"CREATE TRIGGER IF NOT EXISTS {DOC}_ranked_au "
    f"AFTER UPDATE OF title, body, lang, is_public ON {DOC} WHEN old.is_public OR new.is_public "
    f"BEGIN DELETE FROM {RANKED} WHERE lang IN (old.lang, new.lang); END",
]

BACKWARD = [
    f"DROP TRIGGER IF EXISTS {DOC}_ranked_au",
    f"DROP TRIGGER IF EXISTS {DOC}_ranked_ad",
    f"DROP TRIGGER IF EXISTS {DOC}_ranked_ai",
    f"DROP TABLE IF EXISTS {RANKS}",
    f"DROP TABLE IF EXISTS {RANKED}",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0004_search_facet_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
