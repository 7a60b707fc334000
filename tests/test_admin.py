import re

import pytest
from django.urls import reverse
from django.utils import translation

from sessions_app.models import Session, Speech, Statement
from tests.factories import FigureFactory, SessionFactory, SpeechFactory, StatementFactory

pytestmark = pytest.mark.django_db

LANGS = ["kk", "ru", "en"]
MODELS = ["session", "speech", "statement", "speaker", "topic"]
# A translated field of each model, edited in every language.
TRANSLATED_FIELD = {
    "session": "title",
    "speech": "title",
    "statement": "text",
    "speaker": "name",
    "topic": "name",
}
# The admin's own heading for a changelist, in each language.
SELECT_TO_CHANGE = {"kk": "таңда", "ru": "для изменения", "en": "to change"}


def admin_url(lang, name, *args):
    with translation.override(lang):
        return reverse(f"admin:sessions_app_{name}", args=args)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("model", MODELS)
def test_changelists_load_in_each_language(editor_client, demo, lang, model):
    response = editor_client.get(admin_url(lang, f"{model}_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{lang}"' in html
    assert SELECT_TO_CHANGE[lang] in html


@pytest.mark.parametrize("lang", LANGS)
def test_speech_change_form_has_language_tabs_and_inline_statements(editor_client, demo, lang):
    speech = demo.speeches.get()
    response = editor_client.get(admin_url(lang, "speech_change", speech.pk))
    html = response.content.decode()
    assert response.status_code == 200
    for code in LANGS:
        assert f'name="title_{code}"' in html
    # every statement is editable inline, in order
    assert html.count('name="statements-') > 40
    first = speech.statements.first()
    assert first.text_kk in html and first.text_ru in html


@pytest.mark.parametrize("model", MODELS)
def test_add_forms_offer_every_language_of_the_record(editor_client, model):
    response = editor_client.get(admin_url("kk", f"{model}_add"))
    assert response.status_code == 200
    html = response.content.decode()
    field = TRANSLATED_FIELD[model]
    for code in LANGS:
        assert f'name="{field}_{code}"' in html


def test_session_change_form_lists_its_speeches(editor_client, demo):
    response = editor_client.get(admin_url("en", "session_change", demo.pk))
    assert response.status_code == 200
    assert "president-tokayev-speech" in response.content.decode()


def test_changelist_shows_missing_translations_and_filters_them(editor_client):
    SessionFactory(number=1, title_en=None)
    SessionFactory(number=2)
    response = editor_client.get(admin_url("en", "session_changelist"))
    assert "en: missing" in response.content.decode()
    response = editor_client.get(admin_url("en", "session_changelist") + "?missing=en")
    assert [s.number for s in response.context["cl"].result_list] == [1]


def _form_data(speech: Speech, **overrides) -> dict:
    data = {
        "session": speech.session_id,
        "speaker": speech.speaker_id,
        "slug": speech.slug,
        "order": speech.order,
        "delivered_on": speech.delivered_on.isoformat(),
        "original_language": "",
        "status": speech.status,
        "title_kk": speech.title_kk or "",
        "title_ru": speech.title_ru or "",
        "title_en": speech.title_en or "",
        "lead_kk": "",
        "lead_ru": "",
        "lead_en": "",
        "text_kk": "",
        "text_ru": "",
        "text_en": "",
        "version_seen": speech.version,
        "statements-TOTAL_FORMS": "0",
        "statements-INITIAL_FORMS": "0",
        "statements-MIN_NUM_FORMS": "0",
        "statements-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_editor_saves_a_speech(editor_client):
    speech = SpeechFactory()
    response = editor_client.post(
        admin_url("en", "speech_change", speech.pk), _form_data(speech, title_ru="Новое название")
    )
    assert response.status_code == 302
    speech.refresh_from_db()
    assert speech.title_ru == "Новое название"


def _rendered_version(html: str, name: str = "version_seen") -> int:
    match = re.search(rf'name="{name}" value="(\d+)"', html)
    assert match, f"{name} is not in the form"
    return int(match.group(1))


def test_a_save_from_an_outdated_form_is_refused_and_nothing_is_lost(editor_client):
    speech = SpeechFactory()
    page = editor_client.get(admin_url("en", "speech_change", speech.pk)).content.decode()
    stale_form = _form_data(speech, title_en="My edit", version_seen=_rendered_version(page))
    # Someone else saves first.
    other = Speech.objects.get(pk=speech.pk)
    other.title_en = "Their edit"
    other.save()
    response = editor_client.post(admin_url("en", "speech_change", speech.pk), stale_form)
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    speech.refresh_from_db()
    assert speech.title_en == "Their edit"


def test_an_outdated_inline_statement_is_refused_too(editor_client):
    statement = StatementFactory(text_en="Original")
    speech = statement.speech
    page = editor_client.get(admin_url("en", "speech_change", speech.pk)).content.decode()
    form = _form_data(
        speech,
        version_seen=_rendered_version(page),
        **{
            "statements-TOTAL_FORMS": "1",
            "statements-INITIAL_FORMS": "1",
            "statements-0-id": statement.pk,
            "statements-0-speech": speech.pk,
            "statements-0-order": statement.order,
            "statements-0-topic": statement.topic_id,
            "statements-0-key": statement.key,
            "statements-0-text_kk": statement.text_kk,
            "statements-0-text_ru": statement.text_ru,
            "statements-0-text_en": "My edit of the statement",
            "statements-0-version_seen": _rendered_version(page, "statements-0-version_seen"),
        },
    )
    # Another editor changes the statement on its own page meanwhile.
    statement.text_en = "Their edit"
    statement.save()
    response = editor_client.post(admin_url("en", "speech_change", speech.pk), form)
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    statement.refresh_from_db()
    assert statement.text_en == "Their edit"


def test_publish_action_publishes_the_selected_drafts(editor_client):
    draft = SessionFactory(status="draft")
    response = editor_client.post(
        admin_url("en", "session_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"


def test_statement_admin_edits_figures_inline(editor_client):
    figure = FigureFactory()
    response = editor_client.get(admin_url("ru", "statement_change", figure.statement.pk))
    assert response.status_code == 200
    assert 'name="figures-0-value"' in response.content.decode()


def test_autocomplete_for_speakers_and_topics_works(editor_client):
    StatementFactory(topic__name_en="Floods", topic__slug="floods")
    with translation.override("en"):
        url = reverse("admin:autocomplete")
    response = editor_client.get(
        url,
        {
            "term": "Flood",
            "app_label": "sessions_app",
            "model_name": "statement",
            "field_name": "topic",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Floods"]


def test_admin_requires_login(client):
    response = client.get(admin_url("kk", "session_changelist"))
    assert response.status_code == 302
    assert Session.objects.count() == 0 and Statement.objects.count() == 0
