"""Every search runs under a time limit: one that would run longer stops, and the reader is told
so instead of waiting on a hung page (both databases)."""

from contextlib import contextmanager

import pytest
from django.db import connection

from search import engine
from search.backends import sqlite
from search.engine import facets, search
from search.models import SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def slow_filter(settings, monkeypatch):
    """A filter that makes every search far slower than a tiny time limit."""
    if connection.vendor == "postgresql":
        settings.APK_SEARCH_TIME_LIMIT_MS = 20
        return SearchDocument.objects.extra(where=["pg_sleep(0.01) IS NOT NULL"])
    # SQLite looks at the clock every PROGRESS_STEPS steps: every step, past a limit of 0 ms.
    settings.APK_SEARCH_TIME_LIMIT_MS = 0
    monkeypatch.setattr(sqlite, "PROGRESS_STEPS", 1)
    return SearchDocument.objects.all()


def test_a_search_past_its_time_limit_stops_and_says_so(demo, slow_filter):
    results = search("flood", languages=["en"], restrict=slow_filter)
    assert results.timed_out
    assert results.records == [] and results.total == 0


def test_filter_counts_past_the_time_limit_are_left_out(demo, slow_filter, settings):
    limit = settings.APK_SEARCH_TIME_LIMIT_MS
    settings.APK_SEARCH_TIME_LIMIT_MS = 60_000
    results = search("flood", languages=["en"])
    assert results.total > 0
    settings.APK_SEARCH_TIME_LIMIT_MS = limit
    counted = facets(results, slow_filter)
    assert counted.timed_out and not counted


def test_the_database_answers_normally_after_a_stopped_search(demo, slow_filter, settings):
    assert search("flood", languages=["en"], restrict=slow_filter).timed_out
    settings.APK_SEARCH_TIME_LIMIT_MS = 60_000
    again = search("flood", languages=["en"], restrict=SearchDocument.objects.all())
    assert not again.timed_out and again.total > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_search_within_its_limit_is_not_stopped(demo):
    results = search("flood", languages=["en"])
    assert not results.timed_out and results.total > 0


@contextmanager
def _always_too_slow(self, milliseconds):
    raise engine.SearchTimeout
    yield  # pragma: no cover


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "This search took too long and was stopped."),
        ("ru", "Поиск занял слишком много времени и был остановлен."),
        ("kk", "Іздеу тым ұзаққа созылып, тоқтатылды."),
    ],
)
def test_the_search_page_tells_the_reader_when_a_search_was_stopped(
    client, demo, monkeypatch, lang, message
):
    monkeypatch.setattr(type(engine.get_backend()), "time_limit", _always_too_slow)
    response = client.get(f"/{lang}/search/", {"q": "flood"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="search-hit' not in response.content.decode()


def test_the_api_answers_a_stopped_search_with_a_json_503(client, demo, monkeypatch):
    monkeypatch.setattr(type(engine.get_backend()), "time_limit", _always_too_slow)
    response = client.get("/api/v1/search/", {"q": "flood"})
    assert response.status_code == 503
    assert "was stopped" in response.json()["error"]
