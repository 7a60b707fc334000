"""What a client of the open-data API sees when something goes wrong: always the documented JSON
error, never a web page or a stack trace; and a CSV download that fails never looks complete."""

import csv
import io
import logging
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

HUGE = [2**63, 10**30]


@contextmanager
def database_fails(exception: Exception, after: int = 0):
    """Every query after the first `after` raises `exception`, as in an outage."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        if len(seen) > after:
            raise exception
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


@pytest.fixture
def api_client(client):
    """A client that sees the server's answer to an error, as a real one does."""
    client.raise_request_exception = False
    return client


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]
    return body["error"]


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v2/sessions/", "/api/v1/sessions/thirty-three/"]
)
def test_an_unknown_api_address_is_a_json_404(api_client, path):
    message = assert_json_error(api_client.get(path), 404)
    assert "/api/v1/" in message


def test_a_method_the_api_does_not_take_is_a_json_405_naming_the_one_it_does(api_client):
    response = api_client.post("/api/v1/sessions/")
    message = assert_json_error(response, 405)
    assert response["Allow"] == "GET"
    assert "GET" in message


def test_a_failing_view_is_a_json_500_without_a_stack_trace(api_client, demo, caplog):
    with database_fails(RuntimeError("secret detail of the server")):
        response = api_client.get("/api/v1/statements/")
    assert_json_error(response, 500)
    body = response.content.decode()
    assert "Traceback" not in body
    assert "secret detail" not in body
    assert "<html" not in body
    # The operators still get the whole story in the log.
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert any("secret detail" in str(r.exc_info[1]) for r in logged)


@pytest.mark.parametrize(
    "path", ["/api/v1/sessions/", "/api/v1/sessions/33/", "/api/v1/statements/"]
)
def test_a_database_outage_is_a_json_503_asking_to_retry_later(api_client, demo, path):
    with database_fails(OperationalError("could not connect to server")):
        response = api_client.get(path)
    assert_json_error(response, 503)
    assert int(response["Retry-After"]) > 0
    assert "could not connect" not in response.content.decode()


def test_the_views_own_errors_keep_their_explanation(api_client):
    response = api_client.get("/api/v1/statements/", {"page": "abc"})
    assert response.status_code == 400
    assert response.json()["error"] == "page and page_size must be whole numbers"


def test_the_public_pages_keep_their_html_error_pages(api_client):
    response = api_client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# Numbers too large for the database.


@pytest.mark.parametrize("number", HUGE)
def test_a_session_number_too_large_for_the_database_is_a_json_404(api_client, demo, number):
    response = api_client.get(f"/api/v1/sessions/{number}/")
    assert response.status_code == 404
    assert response.json() == {"error": f"no published session {number}"}


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/statements/?session={n}",
        "/api/v1/statements.csv?session={n}",
        "/api/v1/statements/?year={n}",
        "/api/v1/sessions/?year={n}",
        "/api/v1/statements/?page={n}",
        "/api/v1/sessions/?page_size={n}",
    ],
)
def test_huge_numbers_in_api_parameters_are_answered_not_a_server_error(
    api_client, demo, path, number
):
    response = api_client.get(path.format(n=number))
    assert response.status_code in {200, 400, 404}
    if response.status_code == 200 and path.startswith("/api/v1/statements.csv"):
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert len(rows) == 1  # the header only: no such session
    elif response.status_code == 200:
        assert response.json()["count"] == 0
    else:
        assert response.json()["error"]


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    "path",
    [
        "/en/sessions/{n}/",
        "/en/sessions/{n}/president-tokayev-speech/",
        "/en/sessions/?page={n}",
        "/en/sessions/33/?page={n}",
        "/en/topics/flood-relief/?page={n}",
        "/en/sessions/?year={n}",
    ],
)
def test_huge_numbers_in_public_pages_are_not_a_server_error(api_client, demo, path, number):
    response = api_client.get(path.format(n=number))
    assert response.status_code in {200, 404}
    assert "Something went wrong" not in response.content.decode()


# The CSV file.


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_csv_file_holds_every_statement_in_order(api_client, demo, monkeypatch):
    monkeypatch.setattr("api.views.CSV_CHUNK", 7)  # several reads of the database
    rows = read_csv(api_client.get("/api/v1/statements.csv"))
    listed = api_client.get("/api/v1/statements/", {"page_size": 100}).json()["results"]
    assert rows[0][:3] == ["session", "date", "speech"]
    assert [row[5] for row in rows[1:]] == [st["id"] for st in listed]
    assert len(rows) == 1 + 40


def test_the_csv_file_with_the_database_down_is_a_json_503_not_a_file(api_client, demo):
    with database_fails(OperationalError("could not connect to server")):
        response = api_client.get("/api/v1/statements.csv")
        assert not response.streaming
    assert_json_error(response, 503)
    assert "Content-Disposition" not in response


def test_a_csv_file_broken_off_part_way_never_ends_as_a_complete_download(
    api_client, demo, monkeypatch
):
    monkeypatch.setattr("api.views.CSV_CHUNK", 10)
    response = api_client.get("/api/v1/statements.csv")
    assert response.status_code == 200
    received = []
    # The first ten statements and their figures are read, then the database goes away.
    outage = database_fails(OperationalError("server closed the connection"), after=2)
    with pytest.raises(OperationalError), outage:
        for part in response.streaming_content:
            received.append(part)
    rows = list(csv.reader(io.StringIO(b"".join(received).decode("utf-8-sig"))))
    assert 1 < len(rows) < 1 + 40
