import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Accounts made in tests need no protection against brute force: MD5 hashes in microseconds
    what the production hasher takes a quarter of a second for."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests that depend on the language set it themselves; the rest see a known one."""
    with translation.override("en"):
        yield


def _uses_demo(item: pytest.Item) -> bool:
    return "demo" in getattr(item, "fixturenames", ())


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in getattr(item, "fixturenames", ()) or bool(
        marker and marker.kwargs.get("transaction")
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The demo, once loaded, stays in the test database until the end of the run (see
    # `_demo_database`): the tests that use it run last, after those that need an empty one.
    for item in items:
        if _uses_demo(item) and _is_transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test commits, so it cannot share the demo; "
                "load it in the test with call_command('load_demo')"
            )
    items.sort(key=_uses_demo)


@pytest.fixture(scope="session")
def _demo_database(django_db_setup, django_db_blocker):
    """The demo loaded once for the whole run, in a transaction left open and rolled back at the
    end. Each test runs in a savepoint inside it (pytest-django's `db`), so whatever a test
    changes is undone before the next one sees the demo."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_database, db):
    """The real demo content: the 33rd session."""
    from sessions_app.models import Session

    return Session.objects.get(number=33)


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-for-tests")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with nothing cached: a page cached by an earlier test showed that test's
    content, which its rollback undid without any signal to say so."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _archive_files_in_a_temporary_directory(tmp_path, settings):
    """The public archive's file is written where the test can see it, never into var/."""
    settings.APK_ARCHIVE_DIR = tmp_path / "archive"
