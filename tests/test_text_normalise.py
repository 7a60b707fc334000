"""The search normaliser: tokens for indexing and queries in kk, ru, en (no Django)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.language.text import (
    LANGUAGES,
    normalize,
    normalize_word,
    prefix_key,
    tokenize,
    word_spans,
)


@pytest.fixture(autouse=True)
def _english_by_default():
    """These tests use no Django: the suite's language fixture is not needed here."""
    yield


# Texts that must give the same tokens, per language.
SAME_TOKENS = [
    # Russian: one lemma for every form, including the fleeting vowel of паводок
    ("ru", "паводок", "паводки"),
    ("ru", "паводок", "паводков"),
    ("ru", "паводок", "паводками"),
    ("ru", "паводок", "Паводку"),
    ("ru", "референдум", "референдума"),
    ("ru", "ассамблея", "Ассамблеи"),
    ("ru", "Ассамблея народа Казахстана", "ассамблеи народов казахстана"),
    ("ru", "ёлка", "елка"),
    ("ru", "паводок", "паво\u0301док"),  # a stress mark
    # English: lemma + light suffix fold
    ("en", "flood", "floods"),
    ("en", "flood", "flooding"),
    ("en", "flood", "flooded"),
    ("en", "assembly", "Assemblies"),
    ("en", "the people", "the people's"),
    ("en", "referendum", "referendums"),
    ("en", "election", "elections"),
    # Kazakh: endings, and Latin and Cyrillic spellings meet
    ("kk", "су тасқыны", "су тасқынынан"),
    ("kk", "су тасқыны", "су тасқындары"),
    ("kk", "су тасқыны", "su tasqyny"),
    ("kk", "су тасқыны", "su tasqynynan"),
    ("kk", "су тасқыны", "СУ ТАСҚЫНДАРЫ"),
    ("kk", "Ассамблея", "Ассамблеяның"),
    ("kk", "Ассамблея", "Assambleianyñ"),
    ("kk", "Қазақстан", "Қазақстанның"),
    ("kk", "Қазақстан", "Қазақстанда"),
    ("kk", "Қазақстан", "Қазақстаннан"),
    ("kk", "Қазақстан", "Qazaqstan"),
    ("kk", "Қазақстан", "Qazaqstannyng"),
    ("kk", "бірлік", "бірлігі"),
    ("kk", "бірлік", "бірлікті"),
    ("kk", "бірлік", "Birlik"),
    ("kk", "бірлік", "bırlıgı"),
    ("kk", "резервуар", "резервуарлар"),
    ("kk", "Қазақстан халқы Ассамблеясы", "Qazaqstan halqy Assambleiasy"),
    ("kk", "Қазақстан халқы Ассамблеясы", "Qazaqstan halqy Assambleiasy"),
    ("kk", "Aссамблея", "Ассамблея"),  # a Latin A among Cyrillic letters
]


@pytest.mark.parametrize(("lang", "one", "other"), SAME_TOKENS)
def test_forms_give_the_same_tokens(lang, one, other):
    assert normalize(one, lang) == normalize(other, lang)
    assert normalize(one, lang)


@pytest.mark.parametrize(
    ("lang", "text", "tokens"),
    [
        ("ru", "паводки", ["паводок"]),
        ("ru", "референдума", ["референдум"]),
        ("ru", "Ассамблеи", ["ассамблея"]),
        ("en", "Flooding", ["flood"]),
        ("kk", "Бірлік", ["birlik"]),
        ("kk", "су тасқыны", ["su", "taski"]),
        ("kk", "резервуарлар", ["rezervuar"]),
        ("kk", "2021 жылы", ["2021", "zhil"]),
    ],
)
def test_tokens(lang, text, tokens):
    assert normalize(text, lang) == tokens


@pytest.mark.parametrize(
    ("lang", "one", "other"),
    [
        ("ru", "паводок", "пожар"),
        ("en", "flood", "food"),
        ("kk", "су", "ел"),
        ("kk", "бала", "дала"),
        ("kk", "тасқын", "тас"),
    ],
)
def test_different_words_stay_apart(lang, one, other):
    assert normalize(one, lang) != normalize(other, lang)


@pytest.mark.parametrize(
    ("lang", "text", "tokens"),
    [
        # a Kazakh word in a Russian text gets the Kazakh rule
        ("ru", "Ассамблея Қазақстанның", ["ассамблея", "kazaksta"]),
        # Latin in a Russian text, Cyrillic in an English text: lowercased only
        ("ru", "паводки COVID", ["паводок", "covid"]),
        ("en", "floods паводки", ["flood", "паводки"]),
        # Russian words in a Kazakh text do not fail (they are folded like Kazakh)
        ("kk", "паводок", ["pavodok"]),
        # digits stay; other scripts pass through lowercased
        ("ru", "в 2021 году", ["в", "2021", "год"]),
        ("en", "COVID-19 in 2020", ["covid", "19", "in", "2020"]),
        ("en", "Ελλάδα 中文", ["ελλάδα", "中文"]),
    ],
)
def test_other_scripts(lang, text, tokens):
    assert normalize(text, lang) == tokens


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Нұр-Сұлтан", ["Нұр", "Сұлтан"]),
        ("COVID-19, 2021-жылы.", ["COVID", "19", "2021", "жылы"]),
        ("people's O’Brien", ["people's", "O’Brien"]),
        ("'quoted' -dash- _under_score_", ["quoted", "dash", "under", "score"]),
        ("Ассам\xadблея", ["Ассамблея"]),  # a soft hyphen inside a word
        ("паво\u0301док", ["паво\u0301док"]),  # the stress mark stays in the word
        ("ﬁnance ２０２１", ["finance", "2021"]),  # NFKC
        ("", []),
        ("  \n\t ", []),
        ("😀 🇰🇿", []),
    ],
)
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


@pytest.mark.parametrize(
    ("word", "lang", "key"),
    [
        ("Тасқ", "kk", "task"),
        ("tasq", "kk", "task"),
        ("тасқынынан", "kk", "taskininan"),  # never stemmed
        ("Qazaqst", "kk", "kazakst"),
        ("Паводк", "ru", "паводк"),
        ("Ёлк", "ru", "елк"),
        ("Қазақ", "ru", "kazak"),
        ("Flood", "en", "flood"),
        ("Flooding", "en", "flooding"),
        ("", "en", ""),
    ],
)
def test_prefix_key(word, lang, key):
    assert prefix_key(word, lang) == key


@pytest.mark.parametrize(
    ("prefix", "word"),
    [
        ("Тасқ", "тасқындары"),
        ("Qazaqst", "Қазақстан"),
        ("bırl", "Бірлігі"),
        ("Ассамб", "Ассамблея"),
    ],
)
def test_a_kazakh_prefix_key_matches_the_token(prefix, word):
    assert normalize_word(word, "kk").startswith(prefix_key(prefix, "kk"))


def test_normalize_word():
    assert normalize_word("Паводками", "ru") == "паводок"
    assert normalize_word("Нұр-Сұлтан", "kk") == "nur"  # the first token only
    assert normalize_word("...", "en") == ""


@pytest.mark.parametrize("lang", ["ru-RU", "KK", "en_GB"])
def test_language_with_region(lang):
    assert normalize("Ассамблея", lang)


@pytest.mark.parametrize("lang", ["de", "", "xx-kk"])
def test_unknown_language_is_an_error(lang):
    with pytest.raises(ValueError, match="unknown search language"):
        normalize("text", lang)


WORDS = {
    "ru": "паводок паводки паводков паводками Ассамблеи референдума народов стали люди ёлка "
    "Казахстана единства мира года лет COVID Қазақстан",
    "en": "flood floods flooding flooded during meetings news assemblies people's hoping "
    "hopped agreed building Kazakhstan's",
    "kk": "су тасқыны тасқынынан тасқындары Ассамблеяның Қазақстанның бірлігі бірлікті "
    "резервуарлар Кеңесі байланысы Жарғысы халқымыздың su tasqyny Qazaqstan Birlik "
    "paводок маркетинг",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_token_is_its_own_normal_form(lang):
    for token in normalize(WORDS[lang], lang):
        assert normalize(token, lang) == [token]
        assert normalize_word(token, lang) == token


_LETTERS = (
    "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
    "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
    "abcdefghijklmnopqrstuvwxyzäöüūğñşçıİ"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    " -'’."
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_LETTERS, max_size=60), st.sampled_from(LANGUAGES))
def test_tokens_are_stable_for_mixed_scripts(text, lang):
    for token in normalize(text, lang):
        assert normalize(token, lang) == [token]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from(LANGUAGES))
def test_tokens_are_stable_for_any_text(text, lang):
    for token in normalize(text, lang):
        assert normalize(token, lang) == [token]


def _check_tokens(tokens):
    assert isinstance(tokens, list)
    for token in tokens:
        assert isinstance(token, str)
        assert token
        assert not any(ch.isspace() for ch in token)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(LANGUAGES))
def test_normalize_never_fails_on_any_text(text, lang):
    _check_tokens(normalize(text, lang))
    _check_tokens([normalize_word(text, lang)] if normalize_word(text, lang) else [])
    assert isinstance(prefix_key(text, lang), str)


_PIECES = st.one_of(
    st.text(min_size=1, max_size=30),
    st.text(alphabet=_LETTERS, min_size=1, max_size=30),
    st.sampled_from(
        ["😀", "👨‍👩‍👧", "🇰🇿", "\x00", "\x1b[0m", "\u200d", "\ufeff", "\ud800", "\t\n", "\u00ad"]
    ),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=8), st.sampled_from(LANGUAGES))
def test_normalize_never_fails_on_long_mixed_text(pieces, lang):
    text = "".join(pieces)
    text = (text * (10_000 // len(text) + 1))[:10_000]
    _check_tokens(normalize(text, lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_word_of_ten_thousand_letters(lang):
    _check_tokens(normalize("Қ" * 10_000, lang))
    _check_tokens(normalize("ы" * 5_000 + "a" * 5_000, lang))


# Snippets find words by their offsets in one pass (word_spans): the same words as tokenize(),
# for any text it accepts, and it accepts the everyday text of the archive.
@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80) | st.text(alphabet=_LETTERS + " _-'’.,\u00ad\u200d", max_size=80))
def test_word_spans_are_the_words_of_tokenize(text):
    spans = word_spans(text)
    if spans is not None:
        assert [text[a:b] for a, b in spans] == tokenize(text)


@pytest.mark.parametrize(
    "text",
    [
        "Паводки 2024 года: новые водохранилища, people's O'zbek Нұр-Сұлтан COVID-19 snake_case",
        "Су тасқынынан зардап шеккендерге көмек.",
    ],
)
def test_word_spans_take_everyday_text(text):
    spans = word_spans(text)
    assert spans is not None
    assert [text[a:b] for a, b in spans] == tokenize(text)


def test_word_spans_leave_text_that_tokenising_changes():
    assert word_spans("pa\u00advodok") is None  # a soft hyphen is removed inside the word
    assert word_spans("ﬁre") is None  # a ligature, which NFKC spells out
