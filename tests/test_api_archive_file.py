"""The whole public archive is a file made once per change of the content (api/archive_file.py)."""

import fcntl
import json
import os
import time

import pytest
from django.http import FileResponse

from api import archive_file
from sessions_app.models import Session
from sessions_app.signals import written
from tests.factories import SessionFactory, SpeechFactory

pytestmark = pytest.mark.django_db(databases=["default"])


@pytest.fixture
def builds(monkeypatch):
    """How many times the archive was built from the database."""
    made = []
    build = archive_file.build

    def counting_build(*args, **kwargs):
        made.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(archive_file, "build", counting_build)
    return made


def _archive(response) -> dict:
    return json.loads(b"".join(response.streaming_content))


def test_two_downloads_build_the_archive_once(client, demo, builds):
    first = client.get("/api/v1/archive.json")
    second = client.get("/api/v1/archive.json")
    assert _archive(first) == _archive(second)
    assert [s["number"] for s in _archive(client.get("/api/v1/archive.json"))["sessions"]] == [33]
    assert len(builds) == 1


def test_the_archive_is_streamed_from_a_file(client, demo):
    response = client.get("/api/v1/archive.json")
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="apk-archive.json"'
    assert response["Access-Control-Allow-Origin"] == "*"
    assert _archive(response)["format"] == "apk-archive/1"


def test_an_edit_makes_the_next_download_show_it(client, demo, builds):
    _archive(client.get("/api/v1/archive.json"))
    demo.title_en = "A new title"
    demo.save()
    data = _archive(client.get("/api/v1/archive.json"))
    assert data["sessions"][0]["title"]["en"] == "A new title"
    assert len(builds) == 2


def test_a_draft_never_appears_in_the_archive_file(client, demo):
    SessionFactory(number=41, status="draft")
    SpeechFactory(session=demo, status="draft", slug="unpublished-remarks")
    data = _archive(client.get("/api/v1/archive.json"))
    assert [s["number"] for s in data["sessions"]] == [33]
    slugs = [sp["slug"] for sp in data["sessions"][0]["speeches"]]
    assert "unpublished-remarks" not in slugs


def test_unpublishing_takes_a_session_out_of_the_next_download(client, demo):
    _archive(client.get("/api/v1/archive.json"))
    Session.objects.filter(number=33).update(status="draft")
    written()  # what code that writes with update() must say
    assert _archive(client.get("/api/v1/archive.json"))["sessions"] == []


def test_a_reader_with_the_etag_gets_not_modified_until_the_content_changes(client, demo):
    first = client.get("/api/v1/archive.json")
    etag = first["ETag"]
    assert first["Last-Modified"]
    assert client.get("/api/v1/archive.json", HTTP_IF_NONE_MATCH=etag).status_code == 304
    demo.title_en = "Changed"
    demo.save()
    again = client.get("/api/v1/archive.json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag


def test_a_download_while_another_process_writes_is_told_to_retry(client, demo, monkeypatch):
    monkeypatch.setattr(archive_file, "WAIT_SECONDS", 0)

    def busy():
        raise archive_file.ArchiveBusy

    monkeypatch.setattr("api.views.current_archive", busy)
    response = client.get("/api/v1/archive.json")
    assert response.status_code == 503
    assert response["Retry-After"] == str(archive_file.RETRY_AFTER)
    assert "try again" in response.json()["error"]


def test_a_locked_archive_makes_a_second_writer_wait_and_give_up(demo, settings, monkeypatch):
    monkeypatch.setattr(archive_file, "WAIT_SECONDS", 0)
    directory = settings.APK_ARCHIVE_DIR
    directory.mkdir(parents=True)
    with open(directory / ".lock", "a") as other_writer:
        fcntl.flock(other_writer, fcntl.LOCK_EX)
        with pytest.raises(archive_file.ArchiveBusy):
            archive_file.current_archive()
    assert archive_file.current_archive().path.exists()


def test_no_half_written_file_is_left_behind(demo, settings):
    made = archive_file.current_archive()
    assert sorted(p.name for p in settings.APK_ARCHIVE_DIR.iterdir()) == [".lock", made.path.name]


def test_without_the_cache_no_stale_archive_is_sent(client, demo, monkeypatch):
    _archive(client.get("/api/v1/archive.json"))
    monkeypatch.setattr(archive_file, "generation", lambda: None)
    response = client.get("/api/v1/archive.json")
    assert response.status_code == 503
    assert response["Retry-After"] == str(archive_file.RETRY_AFTER)
    assert "cannot be made just now" in response.json()["error"]


def test_with_each_workers_own_cache_a_file_is_sent_for_a_minute_at_most(client, demo, builds):
    made = archive_file.current_archive()
    _archive(client.get("/api/v1/archive.json"))
    assert len(builds) == 1
    an_hour_ago = time.time() - 3600
    os.utime(made.path, (an_hour_ago, an_hour_ago))
    _archive(client.get("/api/v1/archive.json"))
    assert len(builds) == 2
