# Written by hand: on PostgreSQL, the ranking of each frequent word kept ready, as 0005 keeps it
# on SQLite (sessions_app/search/backends/postgresql.py). A kept ranking carries the index's
# generation it was made at; every statement that writes to the index (or empties it) moves the
# generation on, and a ranking of another generation is never read. The generation is read
# before the ranking is made, so a change committed meanwhile leaves the kept ranking behind
# (PostgreSQL's READ COMMITTED would let a ranking made from older rows be kept after the
# change, which is why SQLite's way of deleting the lists is not enough here). The trigger runs
# before each writing statement: a transaction takes the generation's row before any row of the
# index, so two writers can never each hold what the other waits for. SQLite gets no such
# tables.

from django.db import migrations

DOC = "sessions_app_searchdocument"
RANKS = f"{DOC}_pg_ranks"
RANKED = f"{DOC}_pg_ranked"
GENERATION = f"{DOC}_generation"

FORWARD = [
    f"CREATE TABLE IF NOT EXISTS {GENERATION} ("
    "id integer PRIMARY KEY CHECK (id = 1), generation bigint NOT NULL)",
    f"INSERT INTO {GENERATION} (id, generation) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
    f"CREATE TABLE IF NOT EXISTS {RANKED} ("
    "lang text NOT NULL, term text NOT NULL, total integer NOT NULL, "
    "generation bigint NOT NULL, PRIMARY KEY (lang, term))",
    f"CREATE TABLE IF NOT EXISTS {RANKS} ("
    "lang text NOT NULL, term text NOT NULL, position integer NOT NULL, "
    "doc_id bigint NOT NULL, score double precision NOT NULL, length integer NOT NULL, "
    "PRIMARY KEY (lang, term, position))",
    f"""CREATE OR REPLACE FUNCTION {DOC}_next_generation() RETURNS trigger AS $$
        BEGIN
            UPDATE {GENERATION} SET generation = generation + 1 WHERE id = 1;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS {DOC}_next_generation ON {DOC}",
    f"CREATE TRIGGER {DOC}_next_generation "
    f"BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {DOC} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {DOC}_next_generation()",
]

BACKWARD = [
    f"DROP TRIGGER IF EXISTS {DOC}_next_generation ON {DOC}",
    f"DROP FUNCTION IF EXISTS {DOC}_next_generation()",
    f"DROP TABLE IF EXISTS {RANKS}",
    f"DROP TABLE IF EXISTS {RANKED}",
    f"DROP TABLE IF EXISTS {GENERATION}",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0005_search_word_rankings"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
