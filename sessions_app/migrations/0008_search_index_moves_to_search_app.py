# Written by hand: the search index moves to the `search` app (its migration 0001 makes the
# tables and the engines' own indexes afresh, and the first migrate builds the index from the
# content, which is all the index is derived from). Here the old tables go, with the engines'
# objects that dropping a table does not take with it (SQLite's FTS5 tables and their views,
# PostgreSQL's generation function and the tables of kept rankings). Going back makes them again
# through the earlier migrations' own steps; `rebuild_search_index` then fills them.

from importlib import import_module

from django.db import migrations

DOC = "sessions_app_searchdocument"
LANGS = ("kk", "ru", "en")

DROP = {
    "sqlite": [
        f"DROP TABLE IF EXISTS {DOC}_ranked_facets",
        f"DROP TABLE IF EXISTS {DOC}_ranks",
        f"DROP TABLE IF EXISTS {DOC}_ranked",
        *(f"DROP TABLE IF EXISTS {DOC}_fts_{lang}" for lang in LANGS),
        *(f"DROP VIEW IF EXISTS {DOC}_fts_{lang}_source" for lang in LANGS),
        f"DROP TABLE IF EXISTS {DOC}_fts",
        f"DROP VIEW IF EXISTS {DOC}_fts_source",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {DOC}_next_generation ON {DOC}",
        f"DROP FUNCTION IF EXISTS {DOC}_next_generation()",
        f"DROP TABLE IF EXISTS {DOC}_pg_ranked_facets",
        f"DROP TABLE IF EXISTS {DOC}_pg_ranks",
        f"DROP TABLE IF EXISTS {DOC}_pg_ranked",
        f"DROP TABLE IF EXISTS {DOC}_generation",
    ],
}

EARLIER = [
    ("0002_search_index", "engine_indexes"),
    ("0003_search_fts_per_language", "forwards"),
    ("0004_search_facet_index", "forwards"),
    ("0005_search_word_rankings", "forwards"),
    ("0006_search_word_rankings_postgresql", "forwards"),
    ("0007_search_word_facets", "forwards"),
]


def drop_engine_objects(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def make_engine_objects(apps, schema_editor):
    for module, step in EARLIER:
        getattr(import_module(f"sessions_app.migrations.{module}"), step)(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0007_search_word_facets"),
    ]

    operations = [
        migrations.RunPython(drop_engine_objects, make_engine_objects),
        migrations.DeleteModel(name="SearchDocument"),
        migrations.DeleteModel(name="SearchTerm"),
    ]
