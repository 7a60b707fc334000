"""The rule-based Kazakh normaliser: plural, possessive and case endings (no Django)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.language.kazakh import MIN_STEM, PROTECTED, stem, stem_words


@pytest.fixture(autouse=True)
def _english_by_default():
    """These tests use no Django: the suite's language fixture is not needed here."""
    yield


# (inflected form, the word it must normalise like)
SAME_AS = [
    # the required pairs
    ("тасқынынан", "тасқыны"),
    ("тасқындары", "тасқыны"),
    ("тасқыны", "тасқын"),
    ("Ассамблеяның", "Ассамблея"),
    ("Қазақстанның", "Қазақстан"),
    ("Қазақстанда", "Қазақстан"),
    ("Қазақстаннан", "Қазақстан"),
    ("бірлігі", "бірлік"),
    ("бірлікті", "бірлік"),
    ("резервуарлар", "резервуар"),
    # genitive
    ("халықтың", "халық"),
    ("мемлекеттің", "мемлекет"),
    ("судың", "су"),
    # dative
    ("Қазақстанға", "Қазақстан"),
    ("бірлікке", "бірлік"),
    ("елге", "ел"),
    ("Ассамблеяға", "Ассамблея"),
    # locative, and the -дағы "which is in"
    ("Астанада", "Астана"),
    ("Қазақстандағы", "Қазақстан"),
    ("елдегі", "ел"),
    # ablative
    ("адамнан", "адам"),
    ("мектептен", "мектеп"),
    ("мәселеден", "мәселе"),
    # accusative
    ("Ассамблеяны", "Ассамблея"),
    ("Қазақстанды", "Қазақстан"),
    # instrumental
    ("Ассамблеямен", "Ассамблея"),
    ("халықпен", "халық"),
    ("жиынмен", "жиын"),
    # possessive 3rd person, with the к/г, қ/ғ, п/б alternation and dropped vowels
    ("Ассамблеясы", "Ассамблея"),
    ("Президенті", "Президент"),
    ("кітабы", "кітап"),
    ("халқы", "халық"),
    ("орны", "орын"),
    ("Жарғысы", "Жарғы"),
    ("байланысы", "байланыс"),
    ("Мәжілісі", "Мәжіліс"),
    ("Кеңесі", "Кеңес"),
    ("өзені", "өзен"),
    # possessive 1st person plural
    ("еліміз", "ел"),
    ("Отанымыз", "Отан"),
    ("халқымыздың", "халық"),
    # plural
    ("адамдар", "адам"),
    ("тілдер", "тіл"),
    ("ұлттар", "ұлт"),
    ("елдер", "ел"),
    # endings stacked: plural + possessive + case
    ("тасқындарынан", "тасқын"),
    ("елдеріміздің", "ел"),
    ("сессиясында", "сессия"),
    ("бірлігімен", "бірлік"),
    ("Президентінің", "Президент"),
    ("Ассамблеясының", "Ассамблея"),
    # typed in plain ASCII and transliterated: н, г, к for ң, ғ, қ in the endings
    ("судын", "су"),
    ("суга", "су"),
    ("Қазақстаннын", "Қазақстан"),
]


@pytest.mark.parametrize(("form", "base"), SAME_AS)
def test_form_normalises_like_its_base(form, base):
    assert stem(form) == stem(base)


# Words whose ending only looks like a suffix, and short words: they must come back as they are.
UNCHANGED = [
    "су",
    "ел",
    "жер",
    "бір",
    "үй",
    "ой",
    "ата",  # not ат + -та
    "ана",  # not ан + -а
    "Астана",  # not Аста + -на
    "дала",
    "бала",
    "қала",
    "бірлік",
    "халық",
    "Ассамблея",
    "резервуар",
    "білім",  # the 1st person -ім is not stripped
    "ғылым",
    "қоғам",
    "теңіз",  # not те + -ңіз
    "Алматы",  # protected, not Алмат + -ы
    "үшін",  # protected, not үш + -ін
    "туралы",
    "арқылы",
    "ішкі",  # not ішк + -і
    "сыртқы",
    "жылғы",  # not жылғ + -ы
    "мен",  # protected, not ме + н
    "бен",
    "және",
    "Жайық",
    "Есіл",
    "Ертіс",
    "мұнай",
    "2021",
]


@pytest.mark.parametrize("word", UNCHANGED)
def test_word_is_left_alone(word):
    assert stem(word) == word.lower()


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("Қазақстанның", "қазақста"),  # a stem-final н after a vowel goes: see the docstring
        ("бірлігі", "бірлік"),
        ("тасқындарынан", "тасқы"),
        ("резервуарлар", "резервуар"),
        ("Ассамблеяның", "ассамблея"),
        ("кітабы", "кітап"),
        ("халқымыздың", "халық"),
        ("Кеңестер", "кеңе"),
        ("елдеріміздің", "ел"),
    ],
)
def test_stem(form, expected):
    assert stem(form) == expected


def test_phrases_normalise_alike():
    assert stem_words("су тасқыны") == stem_words("су тасқынынан")
    assert stem_words("су тасқындары") == stem_words("су тасқыны")
    assert stem_words(["СУ", "ТАСҚЫНЫ"]) == stem_words("су тасқыны")


def test_protected_words_are_lowercase():
    assert all(word == word.lower() for word in PROTECTED)


_KAZAKH = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"


@given(st.text(alphabet=_KAZAKH, min_size=1, max_size=25))
def test_stem_is_stable_and_never_too_short(word):
    result = stem(word)
    assert stem(result) == result
    assert len(result) >= min(len(word), MIN_STEM)
    written = word.lower().replace("ё", "е")
    assert written.startswith(result[: max(0, len(result) - 1)]) or result in (
        # a restored dropped vowel (халқ- -> халық) changes the inside of the word
        "халық",
        "ерік",
        "орын",
        "мұрын",
        "ауыз",
        "ерін",
        "қарын",
        "көрік",
        "бөрік",
        "ғұрып",
        "әріп",
        "қойын",
        "мойын",
        "дауыс",
        "құлық",
        "сұрық",
    )


@given(st.text(max_size=40))
def test_stem_never_fails(word):
    assert isinstance(stem(word), str)
