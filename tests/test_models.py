import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from sessions_app.models import Session, Speech, Statement
from tests.factories import (
    SessionFactory,
    SpeakerFactory,
    SpeechFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_session_number_is_unique():
    SessionFactory(number=33)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(number=33)


def test_session_number_must_be_positive_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(number=0)


def test_speech_slug_is_unique_within_its_session_only():
    first = SpeechFactory(slug="opening")
    SpeechFactory(slug="opening")  # another session: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeechFactory(slug="opening", session=first.session)


def test_statement_key_is_unique_within_its_speech():
    st = StatementFactory(key="evacuation")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementFactory(key="evacuation", speech=st.speech)


def test_statement_without_key_gets_a_stable_one_that_survives_edits():
    speech = SpeechFactory()
    a = StatementFactory(speech=speech, key="")
    b = StatementFactory(speech=speech, key="")
    assert {a.key, b.key} == {"1", "2"}
    a.text_en = "Edited"
    a.save()
    a.refresh_from_db()
    assert a.key == "1"
    assert a.get_absolute_url().endswith(f"/{speech.slug}/#s-1")


def test_urls_are_the_permanent_public_addresses():
    speech = SpeechFactory(slug="opening", session=SessionFactory(number=33))
    with translation.override("ru"):
        assert speech.session.get_absolute_url() == "/ru/sessions/33/"
        assert speech.get_absolute_url() == "/ru/sessions/33/opening/"
    with translation.override("kk"):
        assert speech.speaker.get_absolute_url() == f"/kk/speakers/{speech.speaker.slug}/"


def test_ordering_follows_the_order_field():
    speech = SpeechFactory()
    StatementFactory(speech=speech, order=2, key="second")
    StatementFactory(speech=speech, order=1, key="first")
    assert list(speech.statements.values_list("key", flat=True)) == ["first", "second"]
    newer = SessionFactory(date=dt.date(2024, 4, 25))
    older = SessionFactory(date=dt.date(2023, 1, 1))
    assert list(Session.objects.filter(pk__in=[newer.pk, older.pk])) == [newer, older]


def test_translated_text_follows_the_active_language_and_falls_back():
    topic = TopicFactory(name_kk="Су тасқыны", name_ru="Паводки", name_en=None)
    with translation.override("kk"):
        assert topic.name == "Су тасқыны"
    with translation.override("en"):
        assert topic.name == "Паводки"  # English falls back to Russian first


@pytest.mark.parametrize(
    "status_session,status_speech,visible",
    [
        ("published", "published", True),
        ("draft", "published", False),
        ("published", "draft", False),
    ],
)
def test_published_means_the_speech_and_its_session(status_session, status_speech, visible):
    st = StatementFactory(
        speech=SpeechFactory(status=status_speech, session=SessionFactory(status=status_session))
    )
    assert Speech.objects.published().filter(pk=st.speech.pk).exists() is visible
    assert Statement.objects.published().filter(pk=st.pk).exists() is visible


def test_required_text_needs_one_language_not_all():
    speaker = SpeakerFactory(name_kk=None, name_ru=None, name_en=None)
    with pytest.raises(ValidationError) as err:
        speaker.full_clean()
    assert "name_kk" in err.value.message_dict
    speaker.name_ru = "Касым-Жомарт Токаев"
    speaker.full_clean()


def test_missing_and_stale_translations_are_reported(monkeypatch):
    st = StatementFactory(text_kk="Мәтін", text_ru="Текст", text_en=None)
    assert st.missing_languages() == ["en"]
    st = Statement.objects.get(pk=st.pk)
    st.translations_edited = {"kk": "2024-01-01T00:00:00+00:00", "ru": "2024-01-01T00:00:00+00:00"}
    st.save()  # nothing changed in any language: nothing becomes stale
    assert st.stale_languages() == []
    st = Statement.objects.get(pk=st.pk)
    st.text_kk = "Жаңа мәтін"
    st.save()
    assert st.stale_languages() == ["ru"]


def test_every_save_raises_the_version():
    speech = SpeechFactory()
    first = speech.version
    speech.lead_en = "Lead"
    speech.save()
    assert speech.version == first + 1


def test_full_text_markup_is_sanitised_on_save():
    speech = SpeechFactory(
        text_en='<p onclick="steal()">Dear friends,<script>alert(1)</script></p>'
        '<p><a href="javascript:x">Unity</a> <strong>matters</strong>.</p>',
        text_ru="Уважаемые друзья!\n\nЕдинство важно.",
    )
    speech.refresh_from_db()
    assert speech.text_en == "<p>Dear friends,</p><p>Unity <strong>matters</strong>.</p>"
    assert speech.text_ru == "Уважаемые друзья!\n\nЕдинство важно."  # plain text is kept as is
