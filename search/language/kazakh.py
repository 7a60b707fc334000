"""A small rule-based normaliser (light stemmer) for Kazakh nouns, written in Cyrillic.

Kazakh adds endings to a noun in a fixed order: stem + plural + possessive + case, as in
тасқын-дар-ы-нан ("from its floods").  :func:`stem` takes them off from the end of the
word in the reverse order, case -> possessive -> plural, trying the longest ending of each
slot first, and repeats the round until nothing more comes off.  Repeating makes the
result stable: the stem of a stem is the stem itself, which the search index relies on.

Endings handled (front/back vowel pairs both, e.g. -лар/-лер):

    case          genitive -ның -дың -тың; dative -ға -қа, -на after a possessive;
                  locative -да -та, -нда after a possessive; -дағы -тағы -ндағы ("in ...");
                  ablative -дан -тан -нан; accusative -ны -ды -ты, -н after a possessive;
                  instrumental -мен -бен -пен -менен
    possessive    3rd person -ы -і (after a consonant), -сы -сі (after a vowel);
                  1st plural -ымыз -іміз -мыз -міз; 2nd polite -ыңыз -іңіз
    plural        -лар -дар -тар

Each ending is only taken off after the letters Kazakh spelling allows before it: -тар,
-ты, -та, -қа... after a voiceless consonant, -дар after л м н ң з ж, -лар after a vowel
or р й у, -ның and -ны after a vowel (-ның also after м н ң), -сы after a vowel and -ы
after a consonant, and -н, -на, -нда, -ндағы only after a 3rd-person possessive.  These
checks do most of the work of keeping roots intact (ата is not ат + -та, Астана is not
Аста + -на).  Two more checks on what is left: a stem does not end in two obstruents
unless the last is т (Қазақстан is not Қазақс + -тан, ішкі is not ішк + -і; loanwords
keep -ст, -кт), and before -ы/-і a г or ғ must follow a vowel (бірлігі = бірлік + і, but
жылғы stays).

Readers who type plain ASCII write n, g, k for ñ, ğ, q; once transliterated, their
endings read -нын, -га, -дагы... ("sudyn", "suga"), so those spellings of the endings are
accepted too.

Deliberate choices and limits:

* Minimum stem: 2 letters with at least one vowel (:data:`MIN_STEM`), because many of the
  most frequent nouns have two letters (ел, су, үй, ой, іс).  су, ел, жер, бір never
  change.
* 1st and 2nd person singular possessives (-м -ым -ім, -ң -ың -ің) and the dative -а/-е
  that only follows them are NOT stripped: they collide with common roots (білім, ғылым,
  өнім, қоғам, заң, мың) and are rare in the archive's register of speeches and decisions.
* A stem-final г, ғ, б is written к, қ, п (бірлігі -> бірлік, кітабы -> кітап), and a
  small table restores the vowel that some words drop before a vowel (халқы -> халық,
  орны -> орын, аузы -> ауыз).
* Without a dictionary, -ны after a vowel (Ассамблея-ны) cannot be told from a stem
  ending in н + -ы (өзен-і, Отан-ы), nor -сы (Ассамблея-сы) from с + -ы (Кеңес-і).  So
  that both readings always meet, a stem-final н or с after a vowel is dropped from every
  stem: Қазақстан, Қазақстанның, Қазақстаны -> қазақста; өзен, өзені -> өзе; Кеңес,
  Кеңесі, Кеңестер -> кеңе.  The exception is н or с after ы/і, where the ending is read
  as -ы/-і and the consonant stays (жиын-ы, байланыс-ы, Мәжіліс-і) -- unless the ы/і
  follows ш ғ г қ к ж, the ending of nouns that end in ы/і themselves (басшы-сы,
  Жарғы-сы, жылқы-сы).  Stems are therefore index keys, not dictionary forms.
* Verbs are not analysed, though participles in -ған/-ген lose their -н like any stem
  and so meet their root (болған -> бол).
* A short list of frequent function words and names (:data:`PROTECTED`) is never
  stemmed (үшін is not үш + -ін, Алматы is not Алмат + -ы, мен is not ме + н).

The input may be in any case; the result is lowercase Cyrillic.  Words in other scripts
come back lowercased and otherwise unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from .translit import fold

__all__ = ["MIN_STEM", "PROTECTED", "stem", "stem_words"]

#: The shortest stem :func:`stem` leaves (in letters; it must also contain a vowel).
MIN_STEM = 2

# Letters by how a following ending treats them.  у, и, й count as consonants (суы,
# тауды, миы, үйі), so they are not vowels here.
_VOWELS = frozenset("аәеэоөұүыіяюё")
_HAS_VOWEL = _VOWELS | frozenset("уи")
# Loanwords ending in б в г д take the voiceless endings (клубтар, педагогтың).
_VOICELESS = frozenset("пфктқсшщчцхһбвгд")
_VOICED = frozenset("лмнңрйуизж")
_NASAL = frozenset("мнң")
_LAR = _VOWELS | frozenset("рйуи")
_DAR = frozenset("лмнңзж")
_AFTER_VOWEL_OR_VOICED = _VOWELS | _VOICED
_OBSTRUENTS = frozenset("пфктқсшщчцхһбвгғдзж")
_I_VOWELS = frozenset("ыі")

# Markers for endings that need a 3rd-person possessive before them.
_POSS3 = "poss3"
_NASAL_OR_POSS3 = "nasal_or_poss3"


def _pairs(back: str, front: str, allowed) -> list[tuple[str, object]]:
    return [(back, allowed), (front, allowed)]


_CASE_ENDINGS: list[tuple[str, object]] = [
    *_pairs("ндағы", "ндегі", _POSS3),
    *_pairs("дағы", "дегі", _AFTER_VOWEL_OR_VOICED),
    *_pairs("тағы", "тегі", _VOICELESS),
    *_pairs("менен", "бенен", _AFTER_VOWEL_OR_VOICED),
    ("пенен", _VOICELESS),
    ("мен", _AFTER_VOWEL_OR_VOICED),
    ("бен", _VOICED),
    ("пен", _VOICELESS),
    *_pairs("ның", "нің", _VOWELS | _NASAL),
    *_pairs("дың", "дің", _VOICED),
    *_pairs("тың", "тің", _VOICELESS),
    *_pairs("нан", "нен", _NASAL_OR_POSS3),
    *_pairs("дан", "ден", _AFTER_VOWEL_OR_VOICED),
    *_pairs("тан", "тен", _VOICELESS),
    *_pairs("нда", "нде", _POSS3),
    *_pairs("да", "де", _AFTER_VOWEL_OR_VOICED),
    *_pairs("та", "те", _VOICELESS),
    *_pairs("на", "не", _POSS3),
    *_pairs("ға", "ге", _AFTER_VOWEL_OR_VOICED),
    *_pairs("қа", "ке", _VOICELESS),
    *_pairs("ны", "ні", _VOWELS),
    *_pairs("ды", "ді", _VOICED),
    *_pairs("ты", "ті", _VOICELESS),
    ("н", _POSS3),
]
_CONSONANT = "consonant"
_POSSESSIVE_ENDINGS: list[tuple[str, object]] = [
    *_pairs("ымыз", "іміз", _CONSONANT),
    *_pairs("мыз", "міз", _VOWELS),
    *_pairs("ыңыз", "іңіз", _CONSONANT),
    *_pairs("сы", "сі", _VOWELS),
    *_pairs("ы", "і", _CONSONANT),
]
_POSS3_ENDINGS = frozenset({"сы", "сі", "ы", "і"})
# Endings that could also be read as a stem-final н or с + -ы/-і (see _ends_in_i_vowel).
_N_AND_S_ENDINGS = frozenset({"ны", "ні", "нын", "нін", "сы", "сі"})
_STEM_FINAL_I_VOWEL = tuple(c + v for c in "шғгқкж" for v in "ыі")
_PLURAL_ENDINGS: list[tuple[str, object]] = [
    *_pairs("лар", "лер", _LAR),
    *_pairs("дар", "дер", _DAR),
    *_pairs("тар", "тер", _VOICELESS),
]
# Readers typing plain ASCII write n, g, k for ñ, ğ, q ("sudyn" for судың, "suga" for
# суға), which to_cyrillic turns into н, г, к: accept those spellings of the endings too.
_ASCII_SPELLING = str.maketrans("ңғқ", "нгк")
for _table in (_CASE_ENDINGS, _POSSESSIVE_ENDINGS, _PLURAL_ENDINGS):
    _table.extend(
        (ending.translate(_ASCII_SPELLING), allowed)
        for ending, allowed in list(_table)
        if ending.translate(_ASCII_SPELLING) != ending
    )
    _table.sort(key=lambda item: -len(item[0]))

#: Words that are never stemmed: frequent words whose ending only looks like a suffix.
PROTECTED = frozenset(
    {
        "алматы",
        "арқылы",
        "басқа",
        "бен",
        "бірге",
        "бұлар",
        "бұрын",
        "деген",
        "дейін",
        "еді",
        "емес",
        "кейін",
        "маған",
        "мен",
        "менен",
        "мүмкін",
        "осы",
        "оған",
        "пен",
        "саған",
        "сен",
        "сияқты",
        "солар",
        "тағы",
        "туралы",
        "шейін",
        "қымыз",
        "үшін",
        "ұлы",
    }
)
_PROTECTED_KEYS = frozenset(fold(word) for word in PROTECTED)

# Words that drop their second vowel before a vowel-initial ending: the contracted stem
# (after г/ғ/б are written к/қ/п) -> the full one.
_FLEETING = {
    "халқ": "халық",
    "ерк": "ерік",
    "орн": "орын",
    "мұрн": "мұрын",
    "ауз": "ауыз",
    "ерн": "ерін",
    "қарн": "қарын",
    "көрк": "көрік",
    "бөрк": "бөрік",
    "ғұрп": "ғұрып",
    "әрп": "әріп",
    "қойн": "қойын",
    "мойн": "мойын",
    "даус": "дауыс",
    "құлқ": "құлық",
    "сұрқ": "сұрық",
}
_FLEETING_BY_KEY = {fold(short): full for short, full in _FLEETING.items()}
_FINAL_DEVOICING = {"г": "к", "ғ": "қ", "б": "п"}


def _stem_ok(rest: str, ending: str) -> bool:
    """Whether ``rest`` can be what is left after taking ``ending`` off."""
    if len(rest) < MIN_STEM or not any(ch in _HAS_VOWEL for ch in rest):
        return False
    last, before = rest[-1], rest[-2]
    # Kazakh stems do not end in two obstruents (loanwords only in -ст, -кт, -пт), so
    # Қазақстан is not Қазақс + -тан and тасқын is not тасқ + -ы + -н.
    if last in _OBSTRUENTS and before in _OBSTRUENTS and last != "т":
        return False
    # бірлігі = бірлік + і, but жылғы is not жылғ + ы: г/ғ only between vowels.
    return not (ending[0] in _I_VOWELS and last in "гғ" and before not in _VOWELS)


def _allowed(rest: str, allowed: object) -> bool:
    last = rest[-1]
    if allowed is _CONSONANT:
        return last not in _VOWELS and last.isalpha()
    if allowed is _POSS3:
        return _possessive3_ok(rest)
    if allowed is _NASAL_OR_POSS3:
        return last in _NASAL or _possessive3_ok(rest)
    return last in allowed  # type: ignore[operator]


def _possessive3_ok(word: str) -> bool:
    """Whether ``word`` ends in a 3rd-person possessive that could be taken off."""
    return any(
        ending in _POSS3_ENDINGS and _strip_one(word, ending, allowed) is not None
        for ending, allowed in _POSSESSIVE_ENDINGS
    )


def _strip_one(word: str, ending: str, allowed: object) -> str | None:
    if not word.endswith(ending) or len(word) <= len(ending):
        return None
    rest = word[: -len(ending)]
    if not _stem_ok(rest, ending) or not _allowed(rest, allowed):
        return None
    # тасқыны is тасқын + ы, not тасқы + ны; байланысы is байланыс + ы, not байланы + сы.
    if ending in _N_AND_S_ENDINGS and _ends_in_i_vowel(rest):
        return None
    return rest


def _ends_in_i_vowel(head: str) -> bool:
    """Whether ``head`` + н (or + с) is a stem that keeps its н (с) after a vowel.

    Such stems are жиын, түйін, байланыс, Мәжіліс.  -ны and -сы are never taken off such
    a ``head``, so both readings of жиыны (жиын + ы or жиы + ны) give the same stem.
    After any other vowel, :func:`_tidy` drops the final н or с instead, so өзені
    (өзен + і, or өзе + ні) gives өзе either way.  Nouns that end in ы/і themselves,
    mostly after ш ғ қ ж (басшы, Жарғы, жылқы, қаржы), count as "any other vowel":
    Жарғысы is Жарғы + сы, and тасқын, тасқыны both give тасқы.
    """
    return head[-1] in _I_VOWELS and not head.endswith(_STEM_FINAL_I_VOWEL)


def _strip_slot(word: str, endings: list[tuple[str, object]]) -> str:
    for ending, allowed in endings:
        rest = _strip_one(word, ending, allowed)
        if rest is not None:
            return rest
    return word


def _is_protected(word: str) -> bool:
    return fold(word) in _PROTECTED_KEYS


def _tidy(word: str) -> str:
    """Write the end of a stem one way: devoicing, dropped vowels, a final н or с."""
    last = word[-1]
    if last in _FINAL_DEVOICING and len(word) > MIN_STEM and word[-2] in _VOWELS:
        word = word[:-1] + _FINAL_DEVOICING[last]
    full = _FLEETING_BY_KEY.get(fold(word))
    if full is not None:
        return full
    head = word[:-1]
    if (
        word[-1] in "сн"
        and len(word) > MIN_STEM
        and head[-1] in _VOWELS
        and not _ends_in_i_vowel(head)
    ):
        word = word[:-1]
    return word


def _one_round(word: str) -> str:
    for endings in (_CASE_ENDINGS, _POSSESSIVE_ENDINGS, _PLURAL_ENDINGS):
        word = _strip_slot(word, endings)
        if _is_protected(word):
            return word
    return _tidy(word)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The stem of one Kazakh word (lowercase Cyrillic).

    >>> stem("Қазақстанның"), stem("бірлігі"), stem("резервуарлар"), stem("су")
    ('қазақста', 'бірлік', 'резервуар', 'су')
    """
    word = word.casefold().replace("ё", "е")
    if not word or _is_protected(word):
        return word
    seen = [word]
    while True:
        nxt = _one_round(word)
        if nxt == word or _is_protected(nxt):
            return nxt
        if nxt in seen:  # cannot happen with these rules, but never loop forever
            return min(seen[seen.index(nxt) :])
        seen.append(nxt)
        word = nxt


def stem_words(words: Iterable[str]) -> list[str]:
    """:func:`stem` of each word; a string is split on whitespace."""
    if isinstance(words, str):
        words = words.split()
    return [stem(word) for word in words]
