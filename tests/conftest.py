import io

import pytest
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests that depend on the language set it themselves; the rest see a known one."""
    with translation.override("en"):
        yield


@pytest.fixture
def demo(db):
    """The real demo content: the 33rd session."""
    call_command("load_demo", stdout=io.StringIO())
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
