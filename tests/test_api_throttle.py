"""One address without an account may make APK_API_RATE_PER_MINUTE requests to the API a minute."""

import pytest

from apkportal import throttle

pytestmark = pytest.mark.django_db(databases=["default"])

API = "/api/v1/sessions/"
MINUTE = 1_000_000 * 60  # a moment at the start of a minute of the clock


@pytest.fixture
def limit_of_three(settings, monkeypatch):
    settings.APK_API_RATE_PER_MINUTE = 3
    clock = {"now": MINUTE + 15.0}
    monkeypatch.setattr(throttle, "_now", lambda: clock["now"])
    return clock


def _statuses(client, count, **headers):
    return [client.get(API, **headers).status_code for _ in range(count)]


def test_a_client_over_the_limit_is_told_when_to_come_back(client, limit_of_three):
    assert _statuses(client, 3) == [200, 200, 200]
    response = client.get(API)
    assert response.status_code == 429
    assert response["Retry-After"] == "45"
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "more than 3 requests a minute from one address; try again in 45 s",
        "limit_per_minute": 3,
    }


def test_the_next_minute_lets_the_client_in_again(client, limit_of_three):
    assert _statuses(client, 4) == [200, 200, 200, 429]
    limit_of_three["now"] += 60
    assert _statuses(client, 1) == [200]


def test_each_address_has_its_own_count(client, limit_of_three):
    assert _statuses(client, 4, REMOTE_ADDR="198.51.100.1")[-1] == 429
    assert _statuses(client, 3, REMOTE_ADDR="198.51.100.2") == [200, 200, 200]


def test_behind_a_proxy_a_forged_forwarded_address_does_not_escape(
    client, limit_of_three, settings
):
    settings.APK_PROXY_COUNT = 1
    statuses = [
        client.get(
            API, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    other = client.get(API, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 200


def test_the_archive_and_answers_from_the_cache_count_too(client, limit_of_three):
    assert client.get("/api/v1/archive.json").status_code == 200
    assert _statuses(client, 3) == [200, 200, 429]


def test_staff_are_not_limited(editor_client, limit_of_three):
    assert _statuses(editor_client, 5) == [200] * 5


def test_public_pages_are_not_limited(client, limit_of_three):
    assert [client.get("/en/sessions/").status_code for _ in range(5)] == [200] * 5


def test_a_limit_of_zero_turns_the_limit_off(client, limit_of_three, settings):
    settings.APK_API_RATE_PER_MINUTE = 0
    assert _statuses(client, 5) == [200] * 5
