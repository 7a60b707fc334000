"""A text in the reader's language, or in the language it falls back to: one rule for pages,
feeds, the API and search."""

import pytest

from sessions_app.languages import LANGS, Texts, fallback_order, in_language
from tests.factories import TopicFactory


def test_the_archive_has_kazakh_russian_and_english():
    assert LANGS == ("kk", "ru", "en")


@pytest.mark.parametrize(
    ("lang", "order"),
    [("kk", ("kk", "ru", "en")), ("ru", ("ru", "kk", "en")), ("en", ("en", "ru", "kk"))],
)
def test_each_language_falls_back_in_the_configured_order(lang, order):
    assert fallback_order(lang) == order


def test_a_text_in_the_language_asked_for_is_given_in_it():
    assert in_language({"kk": "Су тасқыны", "ru": "Паводок"}, "kk") == ("Су тасқыны", "kk")


@pytest.mark.parametrize("missing", [None, "", "  \n"])
def test_a_missing_or_blank_text_falls_back_and_says_from_which_language(missing):
    assert in_language({"en": missing, "ru": "Паводок", "kk": "Су"}, "en") == ("Паводок", "ru")


def test_without_fallback_a_missing_text_stays_missing():
    assert in_language({"ru": "Паводок"}, "en", fallback=False) == ("", "")


def test_a_text_no_language_has_is_empty():
    assert in_language({}, "kk") == ("", "")


def test_the_fallback_order_is_read_from_the_setting_at_each_call(settings):
    settings.APK_FALLBACK_LANGUAGES = {**settings.APK_FALLBACK_LANGUAGES, "en": ("kk", "ru")}
    assert in_language({"ru": "Паводок", "kk": "Су"}, "en") == ("Су", "kk")


@pytest.mark.django_db
def test_texts_read_a_translated_field_of_a_record_or_of_a_row():
    topic = TopicFactory(name_kk="Реформалар", name_ru="Реформы", name_en="")
    row = {"name_kk": "Реформалар", "name_ru": "Реформы", "name_en": None}
    assert in_language(Texts(topic, "name"), "en") == ("Реформы", "ru")
    assert in_language(Texts(row, "name"), "en") == ("Реформы", "ru")
    assert dict(Texts(topic, "name")) == {"kk": "Реформалар", "ru": "Реформы", "en": ""}
