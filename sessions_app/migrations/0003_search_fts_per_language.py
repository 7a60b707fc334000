# Written by hand: SQLite's full-text index, one FTS5 table per language, holding public
# documents only. bm25 then counts word frequencies within a language, and a query no longer
# has to match a language and a "public" tag, whose long lists bm25 read on every search.

from django.db import migrations

LANGS = ("kk", "ru", "en")
DOC = "sessions_app_searchdocument"

OLD = [
    f"DROP TRIGGER IF EXISTS {DOC}_fts_au",
    f"DROP TRIGGER IF EXISTS {DOC}_fts_ad",
    f"DROP TRIGGER IF EXISTS {DOC}_fts_ai",
    f"DROP TABLE IF EXISTS {DOC}_fts",
    f"DROP VIEW IF EXISTS {DOC}_fts_source",
]


def _insert(row: str) -> str:
    return "\n".join(
        f"INSERT INTO {DOC}_fts_{lang}(rowid, title, body) "
        f"SELECT {row}.id, {row}.title, {row}.body "
        f"WHERE {row}.is_public AND {row}.lang = '{lang}';"
        for lang in LANGS
    )


def _delete(row: str) -> str:
    return "\n".join(
        f"INSERT INTO {DOC}_fts_{lang}({DOC}_fts_{lang}, rowid, title, body) "
        f"SELECT 'delete', {row}.id, {row}.title, {row}.body "
        f"WHERE {row}.is_public AND {row}.lang = '{lang}';"
        for lang in LANGS
    )


NEW = [
    sql
    for lang in LANGS
    for sql in (
        f"CREATE VIEW {DOC}_fts_{lang}_source AS SELECT id, title, body FROM {DOC} "
        f"WHERE lang = '{lang}' AND is_public",
        f"CREATE VIRTUAL TABLE {DOC}_fts_{lang} USING fts5(title, body, "
        f"content='{DOC}_fts_{lang}_source', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
    )
] + [
    f"CREATE TRIGGER {DOC}_fts_ai AFTER INSERT ON {DOC} BEGIN\n{_insert('new')}\nEND",
    f"CREATE TRIGGER {DOC}_fts_ad AFTER DELETE ON {DOC} BEGIN\n{_delete('old')}\nEND",
    f"CREATE TRIGGER {DOC}_fts_au AFTER UPDATE OF title, body, lang, is_public ON {DOC} "
    f"BEGIN\n{_delete('old')}\n{_insert('new')}\nEND",
    *(f"INSERT INTO {DOC}_fts_{lang}({DOC}_fts_{lang}) VALUES ('rebuild')" for lang in LANGS),
]

DROP_NEW = [
    f"DROP TRIGGER IF EXISTS {DOC}_fts_au",
    f"DROP TRIGGER IF EXISTS {DOC}_fts_ad",
    f"DROP TRIGGER IF EXISTS {DOC}_fts_ai",
    *(f"DROP TABLE IF EXISTS {DOC}_fts_{lang}" for lang in LANGS),
    *(f"DROP VIEW IF EXISTS {DOC}_fts_{lang}_source" for lang in LANGS),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in OLD + NEW:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from importlib import import_module

        previous = import_module("sessions_app.migrations.0002_search_index")
        for sql in DROP_NEW + previous.SQLITE_FORWARD:
            schema_editor.execute(sql)
        schema_editor.execute(f"INSERT INTO {DOC}_fts({DOC}_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0002_search_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
