"""Frequent words keep their ranking ready (backends/sqlite.py with migration 0005,
backends/postgresql.py with migration 0006), so a search for one common word reads its page
instead of scoring every document that has it. These tests make "frequent" mean three documents,
and check on both databases that a reader cannot tell the kept rankings from ranking afresh:
same order, same counts, every change seen at once, drafts never."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from search import indexing
from search.backends import postgresql, sqlite
from search.engine import facets, search
from search.hits import hits_for
from tests.factories import SessionFactory, SpeechFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db

SQLITE = connection.vendor == "sqlite"
backend_module = sqlite if SQLITE else postgresql
Backend = sqlite.SQLiteBackend if SQLITE else postgresql.PostgreSQLBackend


@pytest.fixture(autouse=True)
def frequent_means_three(monkeypatch):
    monkeypatch.setattr(backend_module, "RANKED_MIN_MATCHES", 3)
    monkeypatch.setattr(backend_module, "RANKED_DEPTH", 6)


def kept(lang: str, word: str) -> int | None:
    """The count kept with the word's ranking, or None when none is kept (or, on PostgreSQL,
    none of the index's present generation)."""
    if SQLITE:
        sql = f"SELECT total FROM {sqlite.RANKED} WHERE lang = %s AND term = %s"
    else:
        sql = (
            f"SELECT k.total FROM {postgresql.RANKED} k JOIN {postgresql.GENERATION} g "
            "ON g.generation = k.generation WHERE k.lang = %s AND k.term = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [lang, word])
        row = cursor.fetchone()
    return row[0] if row else None


def keys(query: str, *, page: int = 1, page_size: int = 2, languages=("en",)):
    results = search(query, languages=languages, page=page, page_size=page_size)
    return [(h.lang, h.key) for h in hits_for(results)], results.total


def afresh(monkeypatch, query: str, **kwargs):
    """The same search with no kept ranking used: every match scored by the engine now."""
    with monkeypatch.context() as m:
        m.setattr(backend_module, "RANKED_DEPTH", 0)
        return keys(query, **kwargs)


def engine_was_asked(captured) -> bool:
    """Did the engine match and score documents (FTS5's MATCH, PostgreSQL's @@)?"""
    return any(op in q["sql"] for q in captured.captured_queries for op in ("MATCH", "@@"))


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
    by_date = hits_for(search("canal", languages=["en"], sort="date"))
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

    monkeypatch.setattr(Backend, "_keep", busy)
    assert keys("canal") == afresh(monkeypatch, "canal")
    assert kept("en", "canal") is None


def counts(query: str, languages=("en",), page: int = 1) -> dict[str, list[tuple[str, int]]]:
    """The filter counts a results page shows (no filter chosen)."""
    found = facets(search(query, languages=languages, page=page, page_size=2))
    return {
        name: [(v.value, v.count) for v in getattr(found, name)]
        for name in ("sessions", "years", "topics", "speakers")
    }


def counts_afresh(monkeypatch, query: str, **kwargs):
    with monkeypatch.context() as m:
        m.setattr(Backend, "kept_facets", lambda self, queries, total: None)
        return counts(query, **kwargs)


def test_a_frequent_words_filter_counts_are_kept_with_its_ranking(canals, monkeypatch):
    draft = SessionFactory(status="draft")
    StatementFactory(speech__session=draft, key="secret", text_en="Canal, canal, canal!")
    want = counts_afresh(monkeypatch, "canal")
    keys("canal")  # ranks the word and keeps its ranking and counts
    with CaptureQueriesContext(connection) as captured:
        got = counts("canal")
    assert not engine_was_asked(captured)  # read from what was kept
    assert got == want
    assert sum(n for _, n in got["years"]) == 8  # the eight statements; the topic has no date
    assert str(draft.number) not in [value for value, _ in got["sessions"]]


def test_filter_counts_follow_an_edit_at_once(canals, monkeypatch):
    from sessions_app.models import Statement

    keys("canal")
    before = counts("canal")
    edited = Statement.objects.get(key="c1")  # under the topic Budget
    edited.text_en = "A bridge."
    edited.save()
    # A page deeper than the kept ranking: the search ranks afresh and keeps nothing new, and
    # the counts kept before the edit must not be shown.
    got = counts("canal", page=4)
    assert got == counts_afresh(monkeypatch, "canal")
    assert sum(n for _, n in got["topics"]) == sum(n for _, n in before["topics"]) - 1
    assert counts("canal") == got


def test_filter_counts_of_all_languages_add_up(monkeypatch):
    water, roads = TopicFactory(name_en="Water"), TopicFactory(name_en="Roads")
    for i in range(4):
        StatementFactory(
            key=f"y{i}",
            topic=water if i % 2 else roads,
            text_en="In 1995 the Assembly met.",
            text_ru="В 1995 году собралась Ассамблея.",
            text_kk="1995 жылы Ассамблея жиналды.",
        )
    everywhere = ("kk", "ru", "en")
    want = counts_afresh(monkeypatch, "1995", languages=everywhere)
    keys("1995", languages=everywhere)
    with CaptureQueriesContext(connection) as captured:
        got = counts("1995", languages=everywhere)
    assert not engine_was_asked(captured)
    assert got == want
    assert sorted(n for _, n in got["topics"]) == [6, 6]  # two statements each, in 3 languages


@pytest.mark.skipif(not SQLITE, reason="PostgreSQL ranks a word at its first search")
def test_rebuilding_the_index_ranks_the_frequent_words(canals):
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert kept("en", "canal") == 9
    assert kept("en", "bridge") is None


@pytest.mark.skipif(SQLITE, reason="SQLite's reader ranks and keeps in one snapshot")
def test_a_ranking_made_before_a_change_is_never_read(canals, monkeypatch):
    """An editor's change that lands while a reader ranks a word: the reader keeps a ranking
    of the index as it was, under the generation it read before ranking, which the change has
    moved on; so the ranking is never read, and the next search shows the change."""
    from sessions_app.models import Statement

    ranking = Backend._word_ranking

    def ranking_while_an_editor_saves(self, *args, **kwargs):
        result = ranking(self, *args, **kwargs)
        edited = Statement.objects.get(key="c1")
        edited.text_en = "The bridge and the bridge again."
        with indexing.in_step():  # as the admin saves: content and index together
            edited.save()
        return result

    with monkeypatch.context() as m:
        m.setattr(Backend, "_word_ranking", ranking_while_an_editor_saves)
        assert keys("canal")[1] == 9  # as the reader ranked it
    assert kept("en", "canal") is None
    hits, total = keys("canal", page_size=6)
    assert ("en", "c1") not in hits and total == 8
    assert kept("en", "canal") == 8


@pytest.mark.skipif(SQLITE, reason="PostgreSQL's generation counter")
@pytest.mark.django_db(transaction=True)
def test_two_writers_to_the_index_never_deadlock_on_the_generation():
    """Each writing statement takes the generation's row before any row of the index: a writer
    that waits for it holds nothing the other needs. (Were the counter moved after the
    statement, the second writer would hold its row while waiting, and the first, coming for
    that row, would deadlock.)"""
    import threading
    import time

    import psycopg

    from search.models import SearchDocument

    StatementFactory(key="one", text_en="Canal.")
    StatementFactory(key="two", text_en="Bridge.")
    first, second = SearchDocument.objects.filter(lang="en", kind="statement").order_by("id")[:2]
    settings = connection.settings_dict
    dsn = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "host": settings["HOST"],
        "port": settings["PORT"] or 5432,
    }
    update = f"UPDATE {postgresql.DOC} SET body = body || ' x' WHERE id = %s"
    errors: list[Exception] = []

    def other_writer():
        try:
            with psycopg.connect(**dsn) as other:
                other.execute(update, [second.id])  # waits for the first writer's generation
        except Exception as error:
            errors.append(error)

    with psycopg.connect(**dsn) as writer:
        writer.execute(update, [first.id])
        thread = threading.Thread(target=other_writer)
        thread.start()
        time.sleep(0.5)
        writer.execute(update, [second.id])
        writer.commit()
    thread.join(10)
    assert not thread.is_alive() and errors == []
    second.refresh_from_db()
    assert second.body.endswith(" x x")
