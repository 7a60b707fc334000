"""The open-data search endpoint: the search page's engine, syntax and filters, as JSON."""

import pytest

from search.engine import search
from sessions_app.models import Statement
from tests.factories import SessionFactory, SpeechFactory, StatementFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"


def test_search_finds_a_statement_with_its_ids_and_permalink(client, demo):
    response = client.get(URL, {"q": "reservoirs", "lang": "en"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["count"] > 0 and data["languages"] == ["en"]
    statement = next(r for r in data["results"] if r.get("statement") == "new-reservoirs")
    assert statement["kind"] == "statement"
    assert statement["session"] == 33
    assert statement["speech"] == "president-tokayev-speech"
    assert statement["language"] == "en"
    assert statement["url"] == (
        "http://testserver/en/sessions/33/president-tokayev-speech/#s-new-reservoirs"
    )
    assert "reservoir" in statement["terms"]
    assert "reservoir" in statement["title"].lower()


def test_results_come_in_the_engines_order_with_falling_scores(client, demo):
    data = client.get(URL, {"q": "паводок", "lang": "ru", "page_size": 10}).json()
    engine = search("паводок", languages=["ru"], page_size=10)
    assert [(r["kind"], r["language"]) for r in data["results"]] == [
        (rec.kind, rec.lang) for rec in engine.records
    ]
    assert data["count"] == engine.total
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_each_result_links_to_the_page_in_the_language_it_matched(client, demo):
    data = client.get(URL, {"q": "reservoirs OR су OR водохранилищ*", "page_size": 100}).json()
    languages = {r["language"] for r in data["results"]}
    assert languages == {"kk", "ru", "en"}
    for r in data["results"]:
        assert r["url"].startswith(f"http://testserver/{r['language']}/")


def test_a_filter_narrows_the_results_as_on_the_search_page(client, demo):
    everything = client.get(URL, {"q": "flood", "lang": "en"}).json()["count"]
    relief = client.get(URL, {"q": "flood", "lang": "en", "topic": "flood-relief"}).json()
    assert 0 < relief["count"] < everything
    on_topic = set(
        Statement.objects.filter(topic__slug="flood-relief").values_list("key", flat=True)
    )
    statements = {r["statement"] for r in relief["results"] if r["kind"] == "statement"}
    assert statements and statements <= on_topic


def test_drafts_are_never_found(client, demo):
    draft_session = SessionFactory(number=70, status="draft")
    hidden = SpeechFactory(session=draft_session, status="published", slug="hidden-speech")
    StatementFactory(speech=hidden, key="hidden", text_en="Zanzibarian quagmire.")
    draft = SpeechFactory(session=demo, status="draft", slug="draft-speech")
    StatementFactory(speech=draft, key="draft", text_en="Zanzibarian quagmire again.")
    data = client.get(URL, {"q": "quagmire", "lang": "en"}).json()
    assert data["count"] == 0 and data["results"] == []
    draft.status = "published"
    draft.save()  # published through the model, as an editor would: indexed at once
    found = client.get(URL, {"q": "quagmire", "lang": "en"}).json()
    assert [r.get("statement") for r in found["results"]] == ["draft"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "q is required"),
        ({"q": "   "}, "q is required"),
        ({"q": "flood", "lang": "de"}, "lang must be one of kk, ru, en or all"),
        ({"q": "flood", "sort": "size"}, "sort must be one of relevance, date"),
        ({"q": "flood", "page": "abc"}, "page must be a whole number"),
        ({"q": "flood", "page": str(2**63)}, "page must be a whole number"),
        ({"q": "flood", "page_size": "1000"}, "page must be a whole number"),
        ({"q": "flood", "page": "٣"}, "page must be a whole number"),
        ({"q": "flood", "topic": "nope"}, "some filters were not understood"),
        ({"q": "flood", "year": "abc"}, "some filters were not understood"),
    ],
)
def test_bad_input_is_a_json_400_that_says_what_was_wrong(client, demo, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_a_page_past_the_end_is_a_json_404(client, demo):
    response = client.get(URL, {"q": "flood", "lang": "en", "page": "500"})
    assert response.status_code == 404
    assert response.json()["error"] == "page 500 does not exist"


def test_query_syntax_is_plain_text_not_sql(client, demo):
    response = client.get(URL, {"q": "'; DROP TABLE x; -- NEAR( ^", "lang": "en"})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_the_number_of_queries_does_not_grow_with_the_page(
    client, demo, django_assert_max_num_queries
):
    """At most three queries a language searched (a kept ranking, or a count and a ranking) and
    one a kind of record shown, however many results a page has."""
    client.get(URL, {"q": "flood", "page_size": 2})  # warm the compiled queries
    with django_assert_max_num_queries(3 * 3 + 5):
        large = client.get(URL, {"q": "flood OR паводок OR су", "page_size": 100}).json()
    assert len(large["results"]) > 40
    assert len({r["kind"] for r in large["results"]}) >= 3


def test_the_api_index_lists_the_search_endpoint(client):
    data = client.get("/api/v1/").json()
    assert data["endpoints"]["search"] == "http://testserver/api/v1/search/"
    assert "q" in data["filters"]["search"]
