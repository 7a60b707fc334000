"""The search index follows the content: what editors create, change, delete, publish and
unpublish is what the next search finds, and drafts are never found."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags

from search.engine import search
from search.hits import hits_for
from search.models import SearchDocument
from sessions_app.models import Status
from tests.factories import (
    FigureFactory,
    SessionFactory,
    SpeakerFactory,
    SpeechFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def found(query: str, lang: str = "en", kind: str | None = None) -> list[str]:
    """What a reader finds: statements by permalink id, other records by their title."""
    hits = hits_for(search(query, languages=[lang], page_size=100))
    return [
        h.key if h.kind == "statement" else strip_tags(h.title)
        for h in hits
        if kind is None or h.kind == kind
    ]


def test_a_new_statement_is_found_at_once():
    StatementFactory(key="new", text_en="A new dam on the river.")
    assert found("dam") == ["new"]


def test_an_edited_statement_is_found_by_its_new_words_only():
    statement = StatementFactory(key="s", text_en="A new dam on the river.")
    assert found("dam") == ["s"]
    statement.text_en = "A new bridge over the river."
    statement.save()
    assert found("dam") == []
    assert found("bridge") == ["s"]


def test_a_new_translation_is_found_in_its_language():
    statement = StatementFactory(key="s", text_en="A dam.", text_ru="")
    assert found("плотина", "ru") == []
    statement.text_ru = "Новая плотина."
    statement.save()
    assert found("плотина", "ru") == ["s"]


def test_a_deleted_statement_is_gone():
    statement = StatementFactory(key="s", text_en="A new dam.")
    assert found("dam") == ["s"]
    statement.delete()
    assert found("dam") == []


def test_a_deleted_session_takes_everything_in_it_along():
    statement = StatementFactory(key="s", text_en="A new dam.")
    statement.speech.session.delete()
    assert found("dam") == []
    assert not SearchDocument.objects.filter(kind="statement").exists()


def test_unpublishing_a_session_hides_it_and_publishing_brings_it_back():
    statement = StatementFactory(key="s", text_en="A new dam.")
    session = statement.speech.session
    session.title_en = "The dam session"
    session.save()
    assert set(found("dam")) == {"s", "The dam session"}
    session.status = Status.DRAFT
    session.save()
    assert found("dam") == []
    session.status = Status.PUBLISHED
    session.save()
    assert "s" in found("dam")


def test_unpublishing_a_speech_hides_its_statements():
    statement = StatementFactory(key="s", text_en="A new dam.")
    speech = statement.speech
    speech.status = Status.DRAFT
    speech.save()
    assert found("dam") == []
    speech.status = Status.PUBLISHED
    speech.save()
    assert found("dam") == ["s"]


def test_publishing_through_the_admin_is_visible_at_once(admin_client):
    session = SessionFactory(status=Status.DRAFT)
    StatementFactory(speech__session=session, key="s", text_en="A new dam.")
    assert found("dam") == []
    response = admin_client.post(
        "/en/admin/sessions_app/session/",
        {"action": "publish", "_selected_action": [session.pk]},
    )
    assert response.status_code == 302
    assert found("dam") == ["s"]


def test_the_index_is_written_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        StatementFactory(key="s", text_en="A new dam.")
    assert SearchDocument.objects.filter(kind="statement", lang="en", body__contains="dam")


def test_renaming_a_topic_finds_its_statements_by_the_new_name():
    topic = TopicFactory(name_en="Dams")
    StatementFactory(key="s", topic=topic, text_en="Work goes on.")
    assert found("dams", kind="statement") == ["s"]
    topic.name_en = "Bridges"
    topic.save()
    assert found("dams", kind="statement") == []
    assert found("bridges", kind="statement") == ["s"]
    assert found("bridges", kind="topic") == ["Bridges"]


def test_renaming_a_speaker_finds_their_speeches_by_the_new_name():
    speaker = SpeakerFactory(name_en="Aliya Nurlanova")
    speech = SpeechFactory(speaker=speaker)
    StatementFactory(speech=speech)
    assert found("Nurlanova", kind="speech") == [str(speech)]
    speaker.name_en = "Aliya Serikova"
    speaker.save()
    assert found("Nurlanova", kind="speech") == []
    assert found("Serikova", kind="speech") == [str(speech)]


def test_a_figure_is_found_with_its_statement():
    statement = StatementFactory(key="s", text_en="Help was sent.")
    FigureFactory(statement=statement, label_en="blankets delivered", unit_en="blankets")
    assert found("blankets") == ["s"]


def test_moving_a_speech_to_another_session_moves_its_statements():
    statement = StatementFactory(key="s", text_en="A new dam.")
    other = SessionFactory(number=9077)
    speech = statement.speech
    speech.session = other
    speech.save()
    hits = hits_for(search("dam", languages=["en"]))
    assert [h.session.number for h in hits if h.kind == "statement"] == [9077]
    assert SearchDocument.objects.get(kind="statement", lang="en").session_id == other.pk


# --- drafts -------------------------------------------------------------------------------


def test_a_statement_in_a_draft_session_is_not_found():
    StatementFactory(speech__session__status=Status.DRAFT, text_en="A secret dam.")
    assert found("dam") == []
    assert found("secret") == []


def test_a_statement_in_a_draft_speech_is_not_found():
    StatementFactory(speech__status=Status.DRAFT, text_en="A secret dam.")
    assert found("dam") == []


def test_a_draft_session_and_speech_are_not_found_by_their_titles():
    session = SessionFactory(status=Status.DRAFT, title_en="Secret session")
    SpeechFactory(session=session, title_en="Secret speech")
    assert found("secret") == []


def test_a_topic_or_speaker_used_only_in_drafts_is_not_found():
    speech = SpeechFactory(status=Status.DRAFT, speaker=SpeakerFactory(name_en="Hidden Person"))
    StatementFactory(speech=speech, topic=TopicFactory(name_en="Hidden topic"))
    assert found("hidden") == []
    speech.status = Status.PUBLISHED
    speech.save()
    assert found("hidden", kind="speaker") == ["Hidden Person"]
    assert found("hidden", kind="topic") == ["Hidden topic"]


def test_counts_leave_drafts_out():
    StatementFactory(text_en="A dam.")
    StatementFactory(speech__session__status=Status.DRAFT, text_en="A dam.")
    assert search("dam", languages=["en"]).total == 1


# --- rebuilding ------------------------------------------------------------------------------


def test_rebuild_command_rebuilds_from_scratch_and_says_how_long_it_took(demo):
    search("flood", languages=["en"])
    before = set(SearchDocument.objects.values_list("kind", "object_id", "lang", "is_public"))
    SearchDocument.objects.all().delete()
    assert search("flood", languages=["en"]).total == 0
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "statement: 120 documents" in out.getvalue()
    assert " s." in out.getvalue()
    after = set(SearchDocument.objects.values_list("kind", "object_id", "lang", "is_public"))
    assert after == before
    assert search("flood", languages=["en"]).total > 20


def test_rebuild_keeps_drafts_out(demo):
    SessionFactory(number=99, status=Status.DRAFT, title_en="Flood drafts")
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert "Flood drafts" not in found("flood")


def test_importing_the_demo_twice_indexes_each_record_once(demo):
    call_command("load_demo", stdout=io.StringIO())
    search("flood", languages=["en"])
    rows = SearchDocument.objects.filter(kind="statement")
    assert rows.count() == 120  # 40 statements in 3 languages


def test_migrate_builds_a_missing_index(demo):
    # A database whose content predates search: content, but no index at all.
    search("flood", languages=["en"])
    SearchDocument.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert search("flood", languages=["en"]).total > 20


# --- the index commits with the content ----------------------------------------------------------


def _indexed_title(speech) -> str:
    return SearchDocument.objects.get(kind="speech", object_id=speech.pk, lang="en").title


def test_an_editors_save_writes_the_index_in_the_same_transaction(
    editor_client, django_capture_on_commit_callbacks
):
    from tests.test_admin import _form_data, admin_url

    speech = SpeechFactory(title_en="Old title")
    StatementFactory(speech=speech)
    # Nothing runs "after the commit" here: the index must already be written by then.
    with django_capture_on_commit_callbacks(execute=False):
        response = editor_client.post(
            admin_url("en", "speech_change", speech.pk),
            _form_data(speech, title_en="Reservoirs and canals"),
        )
    assert response.status_code == 302
    assert "reservoir" in _indexed_title(speech)


def test_an_editors_publish_action_writes_the_index_in_the_same_transaction(
    editor_client, django_capture_on_commit_callbacks
):
    from search import indexing
    from tests.test_admin import admin_url

    session = SessionFactory(status=Status.DRAFT)
    statement = StatementFactory(speech__session=session, key="s", text_en="A new dam.")
    indexing.flush()
    doc = SearchDocument.objects.get(kind="statement", object_id=statement.pk, lang="en")
    assert not doc.is_public
    with django_capture_on_commit_callbacks(execute=False):
        editor_client.post(
            admin_url("en", "session_changelist"),
            {"action": "publish", "_selected_action": [session.pk]},
        )
    doc.refresh_from_db()
    assert doc.is_public


def test_a_failure_while_indexing_an_editors_save_leaves_the_record_unchanged(
    editor_client, monkeypatch
):
    from search import indexing
    from tests.test_admin import _form_data, admin_url

    speech = SpeechFactory(title_en="Old title")

    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(indexing, "index", broken)
    with pytest.raises(RuntimeError):
        editor_client.post(
            admin_url("en", "speech_change", speech.pk),
            _form_data(speech, title_en="Reservoirs and canals"),
        )
    speech.refresh_from_db()
    assert speech.title_en == "Old title"  # not saved without its index: nothing half-written
    indexing.discard_pending()


def test_an_import_writes_the_index_in_the_same_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        call_command("load_demo", stdout=io.StringIO())
    assert SearchDocument.objects.filter(kind="statement", is_public=True).count() == 40 * 3
