"""Guessing an editor's password: after a few wrong ones, even the right one is refused for a while,
for that account from that address only (apkportal/login_protection.py)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
EDITOR_DESK = "198.51.100.7"
LIMIT = settings.AXES_FAILURE_LIMIT

LOCKED_HEADING = {
    "kk": "Сәтсіз кіру әрекеттері тым көп",
    "ru": "Слишком много неудачных попыток входа",
    "en": "Too many failed logins",
}
LOCKED_WAIT = {
    "kk": "15 минутқа тоқтатылды",
    "ru": "приостановлен на 15 минут",
    "en": "paused for 15 minutes",
}


def log_in(client, username, password, address=ATTACKER, lang="en", **extra):
    return client.post(
        f"/{lang}/admin/login/?next=/{lang}/admin/",
        {"username": username, "password": password, "next": f"/{lang}/admin/"},
        REMOTE_ADDR=address,
        **extra,
    )


def is_logged_in(client, lang="en") -> bool:
    return client.get(f"/{lang}/admin/").status_code == 200


def guess(client, username, times, address=ATTACKER, lang="en"):
    for attempt in range(times):
        log_in(client, username, f"wrong-{attempt}", address, lang)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_right_password_is_refused_after_five_wrong_ones_with_a_page_in_the_language(
    client, editor, lang
):
    guess(client, "ed", LIMIT, lang=lang)
    response = log_in(client, "ed", "pw-for-tests", lang=lang)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_HEADING[lang] in page
    assert LOCKED_WAIT[lang] in page
    assert f'lang="{lang}"' in page
    assert response["Retry-After"] == "900"
    assert not is_logged_in(client, lang)


def test_the_fifth_wrong_password_already_shows_the_lockout_page(client, editor):
    guess(client, "ed", LIMIT - 1)
    response = log_in(client, "ed", "still-wrong")
    assert response.status_code == 429
    assert LOCKED_HEADING["en"] in response.content.decode()


def test_four_wrong_passwords_then_the_right_one_logs_in(client, editor):
    guess(client, "ed", LIMIT - 1)
    response = log_in(client, "ed", "pw-for-tests")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_clears_the_count(client, editor):
    guess(client, "ed", LIMIT - 1)
    assert log_in(client, "ed", "pw-for-tests").status_code == 302
    client.logout()
    guess(client, "ed", LIMIT - 1)
    assert log_in(client, "ed", "pw-for-tests").status_code == 302
    assert is_logged_in(client)


def test_a_locked_account_still_logs_in_from_another_address(client, editor):
    guess(client, "ed", LIMIT * 4)
    assert log_in(client, "ed", "pw-for-tests", address=ATTACKER).status_code == 429
    assert log_in(client, "ed", "pw-for-tests", address=EDITOR_DESK).status_code == 302
    assert is_logged_in(client)


def test_another_account_still_logs_in_from_the_locked_address(client, editor, django_user_model):
    django_user_model.objects.create_superuser("aigerim", "a@example.org", "her-own-pw-1")
    guess(client, "ed", LIMIT)
    assert log_in(client, "ed", "pw-for-tests").status_code == 429
    assert log_in(client, "aigerim", "her-own-pw-1").status_code == 302
    assert is_logged_in(client)


def test_an_address_guessing_across_many_accounts_is_locked_for_every_account(client, editor):
    # Below the limit on each name, but 20 failures from one address in all.
    for name in ["admin", "editor", "root", "aigerim", "nurlan"]:
        guess(client, name, LIMIT - 1)
    assert log_in(client, "ed", "pw-for-tests").status_code == 429
    assert log_in(client, "ed", "pw-for-tests", address=EDITOR_DESK).status_code == 302


def test_behind_a_proxy_each_reader_is_counted_by_their_own_address(client, editor, settings):
    settings.APK_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for attempt in range(LIMIT):
        log_in(client, "ed", f"wrong-{attempt}", proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    locked = log_in(client, "ed", "pw-for-tests", proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert locked.status_code == 429
    # A client's own X-Forwarded-For entry (left of the proxy's) is not believed.
    spoofed = f"{EDITOR_DESK}, {ATTACKER}"
    spoofing = log_in(client, "ed", "pw-for-tests", proxy, HTTP_X_FORWARDED_FOR=spoofed)
    assert spoofing.status_code == 429
    other = log_in(client, "ed", "pw-for-tests", proxy, HTTP_X_FORWARDED_FOR=EDITOR_DESK)
    assert other.status_code == 302
