"""A database made before search became its own app migrates forward with nothing lost, and
search works on it at once (both databases)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search.engine import search
from search.hits import hits_for

BEFORE = ("sessions_app", "0007_search_word_facets")
CONTENT_TABLES = (
    "sessions_app_speaker",
    "sessions_app_topic",
    "sessions_app_session",
    "sessions_app_speech",
    "sessions_app_statement",
    "sessions_app_figure",
)


def _rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        return cursor.fetchall()


def _make_content_as_before(apps) -> None:
    """Content as the code before the move wrote it: a published session with a speech, a draft
    speech, an edited statement, figures, and the old index tables filled for them."""
    Speaker = apps.get_model("sessions_app", "Speaker")
    Topic = apps.get_model("sessions_app", "Topic")
    Session = apps.get_model("sessions_app", "Session")
    Speech = apps.get_model("sessions_app", "Speech")
    Statement = apps.get_model("sessions_app", "Statement")
    Figure = apps.get_model("sessions_app", "Figure")
    OldDocument = apps.get_model("sessions_app", "SearchDocument")

    chair = Speaker.objects.create(slug="chair", name_en="A. Chair", name_ru="А. Председатель")
    topic = Topic.objects.create(slug="water", name_en="Water", name_kk="Су")
    session = Session.objects.create(
        number=40, date="2030-04-01", status="published", title_en="Fortieth session", chair=chair
    )
    public = Speech.objects.create(
        session=session,
        speaker=chair,
        slug="opening",
        title_en="Opening",
        status="published",
        delivered_on="2030-04-01",
        order=1,
    )
    draft = Speech.objects.create(
        session=session,
        speaker=chair,
        slug="unfinished",
        title_en="Unfinished",
        status="draft",
        delivered_on="2030-04-01",
        order=2,
    )
    edited = Statement.objects.create(
        speech=public,
        topic=topic,
        key="canals",
        order=1,
        text_en="Irrigation canals were rebuilt.",
        text_ru="Оросительные каналы перестроены.",
        version=3,
        translations_edited={"en": "2030-04-02T10:00:00+00:00"},
    )
    Figure.objects.create(statement=edited, value="42", unit_en="canals", label_en="rebuilt")
    Statement.objects.create(
        speech=draft, topic=topic, key="secret", order=1, text_en="Zeppelin hangars planned."
    )
    OldDocument.objects.create(
        kind="statement",
        object_id=edited.pk,
        lang="en",
        title="water",
        body="irrigation canal rebuild",
        is_public=True,
        session=session,
        speech=public,
        topic=topic,
        speaker=chair,
        date="2030-04-01",
    )


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_search_app_migrates_forward_with_nothing_lost():
    call_command("migrate", "search", "zero", verbosity=0)
    call_command("migrate", *BEFORE, verbosity=0)
    executor = MigrationExecutor(connection)
    _make_content_as_before(executor.loader.project_state(BEFORE).apps)
    before = {table: _rows(table) for table in CONTENT_TABLES}
    assert "sessions_app_searchdocument" in connection.introspection.table_names()

    call_command("migrate", verbosity=0)

    assert {table: _rows(table) for table in CONTENT_TABLES} == before
    tables = connection.introspection.table_names()
    assert "sessions_app_searchdocument" not in tables
    assert "search_searchdocument" in tables
    # The first migrate built the new index from the content: search works at once, on both
    # the public statement and its forms, and never finds the draft.
    assert [h.key for h in hits_for(search("canal", languages=["en"]))] == ["canals"]
    assert [h.key for h in hits_for(search("каналы", languages=["ru"]))] == ["canals"]
    assert search("zeppelin", languages=["en"]).total == 0


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_and_done_again():
    call_command("migrate", "search", "zero", verbosity=0)
    call_command("migrate", *BEFORE, verbosity=0)
    assert "sessions_app_searchdocument" in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "search_searchdocument" in connection.introspection.table_names()
    assert search("anything", languages=["en"]).total == 0
