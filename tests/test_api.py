import csv
import io
import json

import pytest

from sessions_app.models import Speech
from tests.factories import SessionFactory, SpeechFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_api_index_lists_the_endpoints(client):
    data = client.get("/api/v1/").json()
    assert data["endpoints"]["statements"] == "http://testserver/api/v1/statements/"


def test_session_list_gives_published_sessions_in_three_languages(client, demo):
    SessionFactory(number=40, status="draft")
    response = client.get("/api/v1/sessions/")
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["count"] == 1
    session = data["results"][0]
    assert session["number"] == 33
    assert session["title"]["kk"] == "Бірлік. Жасампаздық. Прогресс."
    assert session["urls"]["ru"] == "http://testserver/ru/sessions/33/"


def test_session_detail_is_the_interchange_format_without_drafts(client, demo):
    draft = SpeechFactory(session=demo, status="draft", slug="unpublished-remarks")
    data = client.get("/api/v1/sessions/33/").json()
    assert data["format"] == "apk-archive/1"
    slugs = [sp["slug"] for sp in data["sessions"][0]["speeches"]]
    assert slugs == ["president-tokayev-speech"]
    assert draft.speaker.slug not in [s["slug"] for s in data["speakers"]]


def test_draft_session_is_404_in_the_api(client):
    SessionFactory(number=50, status="draft")
    response = client.get("/api/v1/sessions/50/")
    assert response.status_code == 404
    assert response.json()["error"] == "no published session 50"


def test_statements_filter_by_topic_and_link_to_their_permalinks(client, demo):
    data = client.get("/api/v1/statements/", {"topic": "reforms"}).json()
    assert data["count"] == 3
    first = data["results"][0]
    assert first["topic"] == "reforms"
    assert first["urls"]["en"].startswith(
        "http://testserver/en/sessions/33/president-tokayev-speech/#s-"
    )
    evac = client.get("/api/v1/statements/", {"topic": "flood-relief", "page_size": 2}).json()
    assert evac["results"][1]["figures"][0]["value"] == "119000"
    assert evac["next"].endswith("page=2")


def test_statements_of_draft_speeches_never_appear(client, demo):
    Speech.objects.update(status="draft")
    assert client.get("/api/v1/statements/").json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"page": "abc"}, 400, "whole numbers"),
        ({"page": "-1"}, 400, "at least 1"),
        ({"page_size": "100000"}, 400, "page_size between"),
        ({"page": "199"}, 404, "page 199 does not exist"),
        ({"page": "201"}, 400, "page 201 is too deep"),
        ({"cursor": "not-a-cursor"}, 400, "cursor was not understood"),
        ({"topic": "nope"}, 400, "not understood"),
        ({"year": "abc"}, 400, "not understood"),
    ],
)
def test_bad_parameters_get_a_clear_json_error(client, demo, query, status, message):
    response = client.get("/api/v1/statements/", query)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_statement_list_query_count_does_not_grow_with_the_archive(
    client, django_assert_max_num_queries
):
    def build(n):
        for _ in range(n):
            speech = SpeechFactory()
            StatementFactory.create_batch(3, speech=speech)

    build(2)
    with django_assert_max_num_queries(6) as small:
        client.get("/api/v1/statements/")
    build(6)
    with django_assert_max_num_queries(6) as large:
        client.get("/api/v1/statements/")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_csv_export_has_one_row_per_public_statement(client, demo):
    response = client.get("/api/v1/statements.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 40
    first = rows[0]
    assert first["session"] == "33" and first["text_kk"] and first["text_ru"] and first["text_en"]
    assert response["Content-Disposition"].endswith('filename="apk-statements.csv"')


def test_full_archive_download_leaves_drafts_out(client, demo):
    SessionFactory(number=41, status="draft")
    response = client.get("/api/v1/archive.json")
    data = json.loads(b"".join(response.streaming_content))
    assert [s["number"] for s in data["sessions"]] == [33]
