"""SQLite keeps the ranking of each frequent word ready (backends/sqlite.py, migration 0005), so
a search for one common word reads its page instead of scoring every document that has it.
These tests make "frequent" mean three documents, and check that a reader cannot tell the kept
rankings from ranking afresh: same order, same counts, every change seen at once, drafts never."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from sessions_app.search.backends import sqlite
from sessions_app.search.engine import search
from tests.factories import SessionFactory, SpeechFactory, StatementFactory, TopicFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's kept rankings"),
]


@pytest.fixture(autouse=True)
def frequent_means_three(monkeypatch):
    monkeypatch.setattr(sqlite, "RANKED_MIN_MATCHES", 3)
    monkeypatch.setattr(sqlite, "RANKED_DEPTH", 6)


def kept(lang: str, word: str) -> int | None:
    """The count kept with the word's ranking, or None when none is kept."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT total FROM {sqlite.RANKED} WHERE lang = %s AND term = %s", [lang, word]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def keys(query: str, *, page: int = 1, page_size: int = 2, languages=("en",)):
    results = search(query, languages=languages, page=page, page_size=page_size)
    return [(h.lang, h.key) for h in results.hits], results.total


def afresh(monkeypatch, query: str, **kwargs):
    """The same search with no kept ranking used: every match scored by bm25 now."""
    with monkeypatch.context() as m:
        m.setattr(sqlite, "RANKED_DEPTH", 0)
        return keys(query, **kwargs)


def engine_was_asked(captured) -> bool:
    return any("MATCH" in q["sql"] for q in captured.captured_queries)


@pytest.fixture
def canals():
    """Eight statements about canals and a topic named so, scored differently: how often the
    word comes, how long the statement is, whether its topic names it."""
    speech = SpeechFactory()
    canals, other = TopicFactory(name_en="Canals"), TopicFactory(name_en="Budget")
    texts = [
        "A canal.",
        "The canal and the canal again, a canal.",
        "A long statement that mentions a canal once among many other words about water.",
        "Canal works, canal money.",
        "Canal.",
        "Rivers, lakes and a canal near the city of Turkistan.",
        "Canal repairs this year.",
        "The canal.",
    ]
    for i, text in enumerate(texts):
        StatementFactory(
            speech=speech, key=f"c{i}", text_en=text, topic=canals if i in (2, 6) else other
        )
    StatementFactory(speech=speech, key="other", text_en="A bridge.")


def test_a_frequent_words_pages_come_from_its_kept_ranking_in_the_same_order(canals, monkeypatch):
    expected = [afresh(monkeypatch, "canal", page=p) for p in (1, 2, 3)]
    keys("canal")  # ranks the word and keeps the ranking
    assert kept("en", "canal") == 9  # the eight statements and the topic
    for p, want in zip((1, 2, 3), expected, strict=True):
        with CaptureQueriesContext(connection) as captured:
            got = keys("canal", page=p)
        assert got == want
        assert not engine_was_asked(captured)  # read from the kept ranking
    assert got[1] == 9


def test_a_page_deeper_than_the_kept_ranking_is_ranked_afresh(canals, monkeypatch):
    keys("canal")
    with CaptureQueriesContext(connection) as captured:
        got = keys("canal", page=4)  # results 7 and 8, past the six kept
    assert engine_was_asked(captured)
    assert got == afresh(monkeypatch, "canal", page=4)
    assert len(got[0]) == 2


def test_a_rare_word_keeps_no_ranking(canals):
    StatementFactory(key="b2", text_en="Another bridge.")
    assert keys("bridge", page_size=10)[1] == 2
    assert kept("en", "bridge") is None


def test_filters_phrases_and_dates_are_ranked_afresh_and_agree(canals, monkeypatch):
    keys("canal")
    for query, kwargs in [('"the canal"', {}), ("canal -money", {})]:
        assert keys(query, **kwargs) == afresh(monkeypatch, query, **kwargs)
    by_date = search("canal", languages=["en"], sort="date").hits
    assert len(by_date) == 9


def test_a_new_statement_is_ranked_in_at_once(canals, monkeypatch):
    keys("canal")
    StatementFactory(key="new", text_en="Canal, canal, canal!")
    assert keys("canal")[1] == 10
    assert ("en", "new") in keys("canal", page_size=6)[0]
    assert keys("canal", page_size=6) == afresh(monkeypatch, "canal", page_size=6)


def test_an_edit_and_an_unpublished_session_leave_the_ranking_at_once(canals, monkeypatch):
    keys("canal")
    from sessions_app.models import Statement

    edited = Statement.objects.get(key="c1")
    edited.text_en = "The bridge and the bridge again."
    edited.save()
    assert ("en", "c1") not in keys("canal", page_size=6)[0]
    assert keys("canal")[1] == 8

    session = SessionFactory()
    StatementFactory(speech__session=session, key="late", text_en="Canal, canal, canal!")
    assert ("en", "late") in keys("canal", page_size=6)[0]
    session.status = "draft"
    session.save()
    got = keys("canal", page_size=6)
    assert ("en", "late") not in got[0]
    assert got == afresh(monkeypatch, "canal", page_size=6)
    assert got[1] == 8


def test_a_draft_is_never_in_a_kept_ranking(canals):
    draft = SessionFactory(status="draft")
    StatementFactory(speech__session=draft, key="secret", text_en="Canal, canal, canal!")
    keys("canal")
    assert kept("en", "canal") == 9
    hits, total = keys("canal", page_size=6)
    assert ("en", "secret") not in hits and total == 9


def test_all_languages_merge_their_kept_rankings_by_score(monkeypatch):
    speech = SpeechFactory()
    for i in range(4):
        StatementFactory(
            speech=speech,
            key=f"y{i}",
            text_en=f"In 1995 {'and again in 1995 ' * i}the Assembly met.",
            text_ru=f"В 1995 году{' и снова в 1995 году' * (3 - i)} собралась Ассамблея.",
            text_kk="1995 жылы Ассамблея жиналды.",
        )
    everywhere = ("kk", "ru", "en")
    want = [afresh(monkeypatch, "1995", page=p, languages=everywhere) for p in (1, 2, 3)]
    keys("1995", languages=everywhere)
    assert [kept(lang, "1995") for lang in everywhere] == [4, 4, 4]
    got = [keys("1995", page=p, languages=everywhere) for p in (1, 2, 3)]
    assert got == want
    assert got[0][1] == 12


def test_a_busy_database_still_answers_and_keeps_nothing(canals, monkeypatch):
    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(sqlite.SQLiteBackend, "_keep", busy)
    assert keys("canal") == afresh(monkeypatch, "canal")
    assert kept("en", "canal") is None


def test_rebuilding_the_index_ranks_the_frequent_words(canals):
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert kept("en", "canal") == 9
    assert kept("en", "bridge") is None
