"""Anonymous readers' pages come from the cache, and every change to the content shows at once."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sessions_app.services import import_archive
from tests.factories import SessionFactory, SpeechFactory, StatementFactory
from tests.test_admin import _form_data, admin_url

pytestmark = pytest.mark.django_db

LANGS = ["kk", "ru", "en"]
TITLE_FIELD = {lang: f"title_{lang}" for lang in LANGS}


def page(lang: str, name: str, **kwargs) -> str:
    with translation.override(lang):
        return reverse(f"sessions_app:{name}", kwargs=kwargs or None)


@pytest.fixture
def reader():
    """A reader without an account (a client of its own, beside the editor's)."""
    return Client()


@pytest.mark.parametrize("lang", LANGS)
def test_a_page_read_again_comes_from_the_cache_without_the_database(
    reader, lang, django_assert_num_queries
):
    speech = SpeechFactory()
    url = page(lang, "speech-detail", number=speech.session.number, slug=speech.slug)
    first = reader.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = reader.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert getattr(speech, TITLE_FIELD[lang]) in second.content.decode()
    assert second["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("lang", LANGS)
def test_an_api_answer_read_again_comes_from_the_cache(reader, lang, django_assert_num_queries):
    SessionFactory(number=7)
    url = "/api/v1/sessions/"
    first = reader.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert [s["number"] for s in first.json()["results"]] == [7]
    with django_assert_num_queries(0):
        second = reader.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert second.json() == first.json()


@pytest.mark.parametrize("lang", LANGS)
def test_an_editors_change_in_the_admin_shows_at_once(reader, editor_client, lang):
    speech = SpeechFactory()
    url = page(lang, "speech-detail", number=speech.session.number, slug=speech.slug)
    assert getattr(speech, TITLE_FIELD[lang]) in reader.get(url).content.decode()
    reader.get(url)  # now cached

    new_title = {"kk": "Жаңа атау", "ru": "Новое название", "en": "A new title"}[lang]
    response = editor_client.post(
        admin_url(lang, "speech_change", speech.pk),
        _form_data(speech, **{TITLE_FIELD[lang]: new_title}),
    )
    assert response.status_code == 302
    html = reader.get(url).content.decode()
    assert new_title in html
    assert getattr(speech, TITLE_FIELD[lang]) not in html


@pytest.mark.parametrize("lang", LANGS)
def test_publishing_and_unpublishing_in_the_admin_show_at_once(reader, editor_client, lang):
    SessionFactory(number=1)
    draft = SessionFactory(number=2, status="draft")
    detail = page(lang, "session-detail", number=2)
    archive = page(lang, "session-list")
    assert reader.get(detail).status_code == 404
    assert getattr(draft, TITLE_FIELD[lang]) not in reader.get(archive).content.decode()
    reader.get(archive)  # cached without the draft

    changelist = admin_url(lang, "session_changelist")
    editor_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert reader.get(detail).status_code == 200
    assert getattr(draft, TITLE_FIELD[lang]) in reader.get(archive).content.decode()

    editor_client.post(changelist, {"action": "unpublish", "_selected_action": [draft.pk]})
    assert reader.get(detail).status_code == 404
    assert getattr(draft, TITLE_FIELD[lang]) not in reader.get(archive).content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_an_import_shows_at_once(reader, lang):
    speech = SpeechFactory(slug="the-speech", session__number=5)
    url = page(lang, "speech-detail", number=5, slug="the-speech")
    reader.get(url)
    assert getattr(speech, TITLE_FIELD[lang]) in reader.get(url).content.decode()

    from sessions_app.archive import export_archive

    data = export_archive()
    data["sessions"][0]["speeches"][0]["title"][lang] = "Imported title"
    import_archive(documents=[("archive.json", data)])
    assert "Imported title" in reader.get(url).content.decode()


def test_a_change_outside_the_admin_shows_at_once(reader):
    statement = StatementFactory(text_en="Before the change")
    speech = statement.speech
    url = page("en", "speech-detail", number=speech.session.number, slug=speech.slug)
    assert "Before the change" in reader.get(url).content.decode()
    statement.text_en = "After the change"
    statement.save()
    assert "After the change" in reader.get(url).content.decode()
    statement.delete()
    assert "After the change" not in reader.get(url).content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_an_editors_preview_of_a_draft_is_never_cached_nor_shown_to_readers(
    reader, editor_client, lang
):
    session = SessionFactory(number=3)
    public = SpeechFactory(session=session)
    draft = SpeechFactory(session=session, status="draft")
    url = page(lang, "session-detail", number=3)
    draft_url = page(lang, "speech-detail", number=3, slug=draft.slug)

    preview = editor_client.get(url)
    assert getattr(draft, TITLE_FIELD[lang]) in preview.content.decode()
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    draft_preview = editor_client.get(draft_url)
    assert draft_preview.status_code == 200
    assert "no-store" in draft_preview["Cache-Control"]

    html = reader.get(url).content.decode()
    assert getattr(public, TITLE_FIELD[lang]) in html
    assert getattr(draft, TITLE_FIELD[lang]) not in html
    assert reader.get(draft_url).status_code == 404

    # And the other way round: the reader's cached page is not what the editor sees.
    assert getattr(draft, TITLE_FIELD[lang]) in editor_client.get(url).content.decode()


def test_a_logged_in_readers_pages_are_private(client, django_user_model):
    SessionFactory(number=1)
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    response = client.get(page("en", "session-list"))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_kazakh_and_russian_pages_never_swap(reader):
    SpeechFactory(session__number=4, title_kk="Қазақша атау", title_ru="Русское название")
    for _round in range(2):  # the second round is served from the cache
        for lang, other in (("kk", "ru"), ("ru", "kk"), ("en", "kk")):
            for name, kwargs in (("home", {}), ("session-detail", {"number": 4})):
                html = reader.get(page(lang, name, **kwargs)).content.decode()
                assert f'<html lang="{lang}"' in html
                assert f'<html lang="{other}"' not in html
        assert (
            "Русское название"
            not in reader.get(page("kk", "session-detail", number=4)).content.decode()
        )
        assert (
            "Қазақша атау"
            not in reader.get(page("ru", "session-detail", number=4)).content.decode()
        )


def test_each_query_string_is_a_page_of_its_own(reader):
    SessionFactory(number=1, date="2001-05-01", title_en="Session of 2001")
    SessionFactory(number=2, date="2002-05-01", title_en="Session of 2002")
    archive = page("en", "session-list")
    for _round in range(2):
        html_2001 = reader.get(archive, {"year": "2001"}).content.decode()
        html_2002 = reader.get(archive, {"year": "2002"}).content.decode()
        assert "Session of 2001" in html_2001 and "Session of 2002" not in html_2001
        assert "Session of 2002" in html_2002 and "Session of 2001" not in html_2002


def test_a_missing_page_is_not_cached(reader):
    url = page("en", "session-detail", number=9)
    assert reader.get(url).status_code == 404
    response = reader.get(url)
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_every_reader_gets_their_own_csrf_cookie_on_the_login_page():
    login = reverse("admin:login")
    first, second = Client(), Client()
    one = first.get(login)
    two = second.get(login)
    assert "csrftoken" in one.cookies and "csrftoken" in two.cookies
    assert one.cookies["csrftoken"].value != two.cookies["csrftoken"].value


@pytest.mark.parametrize("lang", LANGS)
def test_the_etag_answers_304_until_the_page_changes(reader, lang):
    speech = SpeechFactory()
    url = page(lang, "speech-detail", number=speech.session.number, slug=speech.slug)
    first = reader.get(url)
    etag = first["ETag"]
    assert reader.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert reader.get(url, HTTP_IF_NONE_MATCH='"something else"').status_code == 200

    speech.title_en = speech.title_ru = speech.title_kk = "Changed"
    speech.save()
    changed = reader.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Changed" in changed.content.decode()


def test_the_admin_is_never_cached(editor_client, reader):
    login = reader.get(reverse("admin:login"))
    assert "public" not in login.get("Cache-Control", "")
    changelist = editor_client.get(admin_url("en", "session_changelist"))
    assert "public" not in changelist.get("Cache-Control", "")
