# The tables are Django's; the engines' own indexes beside them are written by hand, one list
# per database, each statement with the reason it is there:
#
# SQLite
# - one FTS5 table per language over a view of that language's public documents, kept in step by
#   triggers: bm25 then counts word frequencies within a language, and a query never matches a
#   language or a "public" tag whose long lists bm25 would read on every search;
# - a covering index for the filter counts (session, topic, speaker, date of every match, read
#   from the index rather than from rows that also hold the whole text: 3x faster);
# - the kept rankings of frequent words (their best documents in order and their count, so that
#   a search for one common word reads 20 rows instead of scoring every match) and their filter
#   counts; any change to a language's public documents deletes that language's rankings
#   (triggers), so a kept ranking is never stale.
#
# PostgreSQL
# - the title's and the text's tsvector, generated and stored (each ranks its part), matched as
#   title_vector || body_vector under a GIN index on that very expression: each text is parsed
#   into a vector once (a separate matched column parsed both again: 3 s of an import of 20,000
#   statements); and trigram matching of word forms for "did you mean" (pg_trgm);
# - the kept rankings and filter counts of frequent words under the index's generation: a
#   counter moved on by a trigger before every statement that writes to the index, read in the
#   same query as a kept ranking, so a ranking of another generation is never read (READ
#   COMMITTED would otherwise let a reader keep a ranking made from replaced rows). The trigger
#   runs before the statement, so every writer takes the counter's row before any row of the
#   index and two writers never deadlock.

import django.db.models.deletion
from django.db import migrations, models

DOC = "search_searchdocument"
TERM = "search_searchterm"
LANGS = ("kk", "ru", "en")
FACET_COLUMNS = (
    "lang {text} NOT NULL, term {text} NOT NULL, facet integer NOT NULL, "
    "key bigint NOT NULL, n integer NOT NULL, PRIMARY KEY (lang, term, facet, key)"
)


def _fts_insert(row: str) -> str:
    return "\n".join(
        f"INSERT INTO {DOC}_fts_{lang}(rowid, title, body) "
        f"SELECT {row}.id, {row}.title, {row}.body "
        f"WHERE {row}.is_public AND {row}.lang = '{lang}';"
        for lang in LANGS
    )


def _fts_delete(row: str) -> str:
    return "\n".join(
        f"INSERT INTO {DOC}_fts_{lang}({DOC}_fts_{lang}, rowid, title, body) "
        f"SELECT 'delete', {row}.id, {row}.title, {row}.body "
        f"WHERE {row}.is_public AND {row}.lang = '{lang}';"
        for lang in LANGS
    )


FORWARD = {
    "sqlite": [
        *(
            sql
            for lang in LANGS
            for sql in (
                f"CREATE VIEW {DOC}_fts_{lang}_source AS SELECT id, title, body FROM {DOC} "
                f"WHERE lang = '{lang}' AND is_public",
                f"CREATE VIRTUAL TABLE {DOC}_fts_{lang} USING fts5(title, body, "
                f"content='{DOC}_fts_{lang}_source', content_rowid='id', "
                "tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
            )
        ),
        f"CREATE TRIGGER {DOC}_fts_ai AFTER INSERT ON {DOC} BEGIN\n{_fts_insert('new')}\nEND",
        f"CREATE TRIGGER {DOC}_fts_ad AFTER DELETE ON {DOC} BEGIN\n{_fts_delete('old')}\nEND",
        f"CREATE TRIGGER {DOC}_fts_au AFTER UPDATE OF title, body, lang, is_public ON {DOC} "
        f"BEGIN\n{_fts_delete('old')}\n{_fts_insert('new')}\nEND",
        f"CREATE INDEX {DOC}_facets ON {DOC} (id, session_id, topic_id, speaker_id, date)",
        f"CREATE TABLE {DOC}_ranked ("
        "lang TEXT NOT NULL, term TEXT NOT NULL, total INTEGER NOT NULL, "
        "PRIMARY KEY (lang, term)) WITHOUT ROWID",
        f"CREATE TABLE {DOC}_ranks ("
        "lang TEXT NOT NULL, term TEXT NOT NULL, position INTEGER NOT NULL, "
        "doc_id INTEGER NOT NULL, score REAL NOT NULL, "
        "PRIMARY KEY (lang, term, position)) WITHOUT ROWID",
        f"CREATE TABLE {DOC}_ranked_facets ({FACET_COLUMNS.format(text='TEXT')}) WITHOUT ROWID",
        f"CREATE TRIGGER {DOC}_ranked_ai AFTER INSERT ON {DOC} WHEN new.is_public "
        f"BEGIN DELETE FROM {DOC}_ranked WHERE lang = new.lang; END",
        f"CREATE TRIGGER {DOC}_ranked_ad AFTER DELETE ON {DOC} WHEN old.is_public "
        f"BEGIN DELETE FROM {DOC}_ranked WHERE lang = old.lang; END",
        f"CREATE TRIGGER {DOC}_ranked_au "
        f"AFTER UPDATE OF title, body, lang, is_public ON {DOC} "
        "WHEN old.is_public OR new.is_public "
        f"BEGIN DELETE FROM {DOC}_ranked WHERE lang IN (old.lang, new.lang); END",
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"""ALTER TABLE {DOC}
           ADD COLUMN title_vector tsvector
               GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title)) STORED,
           ADD COLUMN body_vector tsvector
               GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, body)) STORED""",
        f"CREATE INDEX {DOC}_vector_idx ON {DOC} USING gin ((title_vector || body_vector))",
        f"CREATE INDEX {TERM}_trgm_idx ON {TERM} USING gin (form gin_trgm_ops)",
        f"CREATE TABLE {DOC}_generation ("
        "id integer PRIMARY KEY CHECK (id = 1), generation bigint NOT NULL)",
        f"INSERT INTO {DOC}_generation (id, generation) VALUES (1, 0)",
        f"CREATE TABLE {DOC}_pg_ranked ("
        "lang text NOT NULL, term text NOT NULL, total integer NOT NULL, "
        "generation bigint NOT NULL, PRIMARY KEY (lang, term))",
        f"CREATE TABLE {DOC}_pg_ranks ("
        "lang text NOT NULL, term text NOT NULL, position integer NOT NULL, "
        "doc_id bigint NOT NULL, score double precision NOT NULL, length integer NOT NULL, "
        "PRIMARY KEY (lang, term, position))",
        f"CREATE TABLE {DOC}_pg_ranked_facets ({FACET_COLUMNS.format(text='text')})",
        f"""CREATE FUNCTION {DOC}_next_generation() RETURNS trigger AS $$
            BEGIN
                UPDATE {DOC}_generation SET generation = generation + 1 WHERE id = 1;
                RETURN NULL;
            END $$ LANGUAGE plpgsql""",
        f"CREATE TRIGGER {DOC}_next_generation "
        f"BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {DOC} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {DOC}_next_generation()",
    ],
}

# The documents' keys to the content have no constraint in the database (see models.py).
# Dropping the two tables afterwards takes their columns, indexes and triggers with them.
BACKWARD = {
    "sqlite": [
        f"DROP TABLE IF EXISTS {DOC}_ranked_facets",
        f"DROP TABLE IF EXISTS {DOC}_ranks",
        f"DROP TABLE IF EXISTS {DOC}_ranked",
        *(f"DROP TABLE IF EXISTS {DOC}_fts_{lang}" for lang in LANGS),
        *(f"DROP VIEW IF EXISTS {DOC}_fts_{lang}_source" for lang in LANGS),
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


def engine_indexes(apps, schema_editor):
    for sql in FORWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop_engine_indexes(apps, schema_editor):
    for sql in BACKWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The old index (in sessions_app until then) is gone before this one is made.
        ("sessions_app", "0008_search_index_moves_to_search_app"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("lang", models.CharField(choices=[("kk", "Kazakh"), ("ru", "Russian"), ("en", "English")], max_length=2, verbose_name="language")),
                ("form", models.CharField(max_length=100, verbose_name="word form")),
                ("term", models.CharField(max_length=100, verbose_name="term")),
                ("surface", models.CharField(max_length=100, verbose_name="as written")),
            ],
            options={
                "verbose_name": "search term",
                "verbose_name_plural": "search terms",
                "ordering": ["lang", "form"],
                "constraints": [models.UniqueConstraint(fields=("lang", "form"), name="search_term_unique")],
            },
        ),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("session", "Session"), ("speech", "Speech"), ("statement", "Statement"), ("topic", "Topic"), ("speaker", "Speaker")], max_length=16, verbose_name="kind")),
                ("object_id", models.PositiveBigIntegerField(verbose_name="object id")),
                ("lang", models.CharField(choices=[("kk", "Kazakh"), ("ru", "Russian"), ("en", "English")], max_length=2, verbose_name="language")),
                ("title", models.TextField(blank=True, verbose_name="normalised title")),
                ("body", models.TextField(blank=True, verbose_name="normalised text")),
                ("is_public", models.BooleanField(default=False, verbose_name="public")),
                ("date", models.DateField(db_index=True, null=True, verbose_name="date")),
                ("session", models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="sessions_app.session", db_constraint=False, verbose_name="session")),
                ("speaker", models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="sessions_app.speaker", db_constraint=False, verbose_name="speaker")),
                ("speech", models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="sessions_app.speech", db_constraint=False, verbose_name="speech")),
                ("topic", models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="sessions_app.topic", db_constraint=False, verbose_name="topic")),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
                "ordering": ["kind", "object_id", "lang"],
                "constraints": [models.UniqueConstraint(fields=("kind", "object_id", "lang"), name="search_document_unique")],
            },
        ),
        migrations.RunPython(engine_indexes, drop_engine_indexes),
    ]
