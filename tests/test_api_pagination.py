"""Going through a long list of the API: numbered pages near the start, a cursor beyond."""

import datetime as dt

import pytest

from api import pagination, views
from tests.factories import SessionFactory, SpeechFactory, StatementFactory

pytestmark = pytest.mark.django_db(databases=["default"])

STATEMENTS = "/api/v1/statements/"


@pytest.fixture
def archive():
    """Statements with ties at every level of the order: two sessions on one day, speeches of
    the same order, statements of the same order."""
    for number, date in (
        (901, dt.date(2020, 1, 1)),
        (902, dt.date(2020, 1, 1)),
        (903, dt.date(2019, 5, 5)),
    ):
        session = SessionFactory(number=number, date=date)
        for _ in range(2):
            speech = SpeechFactory(session=session, order=1)
            StatementFactory.create_batch(3, speech=speech, order=1)


def _ids(answer: dict) -> list[str]:
    return [st["urls"]["en"] for st in answer["results"]]


def _walk(client, first: dict, during=None) -> list[str]:
    seen = _ids(first)
    answer = first
    while answer["next"]:
        if during:
            during()
            during = None
        answer = client.get(answer["next"]).json()
        seen += _ids(answer)
    return seen


def test_a_cursor_walks_every_statement_once_in_order(client, archive):
    everything = _ids(client.get(STATEMENTS, {"page_size": 100}).json())
    assert len(everything) == 18
    first = client.get(STATEMENTS, {"page_size": 4}).json()
    cursor = client.get(STATEMENTS, {"page_size": 4, "cursor": first["next_cursor"]}).json()
    assert _ids(cursor) == everything[4:8]
    seen = _ids(first) + _walk(client, cursor)
    assert seen == everything


def test_records_added_during_a_walk_neither_repeat_nor_hide_others(client, archive):
    everything = _ids(client.get(STATEMENTS, {"page_size": 100}).json())
    first = client.get(STATEMENTS, {"page_size": 4, "cursor": ""}).json()
    added = {}

    def add():
        # One before the position reached (a newer session), one after it (an older one).
        newer = StatementFactory(speech__session__date=dt.date(2024, 1, 1))
        older = StatementFactory(speech__session__date=dt.date(2001, 1, 1))
        added.update(newer=newer, older=older)

    seen = _walk(client, first, during=add)
    assert len(seen) == len(set(seen))
    assert [url for url in seen if url in everything] == everything
    assert (
        seen[-1] == client.get(STATEMENTS, {"page_size": 100}).json()["results"][-1]["urls"]["en"]
    )
    assert not any(url.endswith(f"#s-{added['newer'].key}") for url in seen)


def test_filters_hold_along_a_cursor(client, archive):
    answer = client.get(STATEMENTS, {"session": 902, "page_size": 2, "cursor": ""}).json()
    seen = _walk(client, answer)
    assert len(seen) == 6
    assert all("/sessions/902/" in url for url in seen)


@pytest.mark.parametrize("size", [3, 4])
def test_the_last_numbered_page_leads_on_with_a_cursor(client, archive, monkeypatch, size):
    monkeypatch.setattr(pagination, "MAX_DEPTH", 8)
    monkeypatch.setattr(views, "MAX_DEPTH", 8)
    everything = _ids(client.get(STATEMENTS, {"cursor": "", "page_size": 100}).json())
    first = client.get(STATEMENTS, {"page": 1, "page_size": size}).json()
    assert "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert "cursor=" in second["next"] and "page=" not in second["next"]
    assert _ids(first) + _walk(client, second) == everything
    assert client.get(STATEMENTS, {"page": 3, "page_size": size}).status_code == 400


def test_a_page_past_the_limit_says_how_to_go_further(client, archive):
    response = client.get(STATEMENTS, {"page": 101, "page_size": 100})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "page 101 is too deep" in error
    assert "first 10000 records" in error
    assert "next_cursor (cursor=)" in error


def test_a_page_of_sessions_past_the_limit_says_to_narrow_the_list(client, archive):
    response = client.get("/api/v1/sessions/", {"page": 201})
    assert response.status_code == 400
    assert "narrow the list with year or format" in response.json()["error"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"cursor": "bm9wZQ"}, "cursor was not understood"),
        ({"cursor": "WzEsMiwzXQ"}, "cursor was not understood"),  # [1,2,3]
        ({"cursor": "", "page": "2"}, "page or cursor, not both"),
        ({"cursor": "", "page_size": "0"}, "page_size between"),
    ],
)
def test_a_bad_cursor_gets_a_clear_json_error(client, archive, query, message):
    response = client.get(STATEMENTS, query)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_the_end_of_a_walk_has_no_next_cursor(client, archive):
    answer = client.get(STATEMENTS, {"page_size": 100}).json()
    assert answer["next"] is None and answer["next_cursor"] is None
