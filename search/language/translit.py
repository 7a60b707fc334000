"""Kazakh Cyrillic <-> Latin (2021 alphabet) and the folded search key.

The official Latin alphabet of 28 January 2021 (31 letters) and the Cyrillic it stands for:

    A a   а        J j   ж        Q q   қ        Ū ū   ұ
    Ä ä   ә        K k   к        R r   р        Ü ü   ү
    B b   б        L l   л        S s   с        V v   в
    D d   д        M m   м        Ş ş   ш, щ     Y y   ы
    E e   е, э     N n   н        T t   т        Z z   з
    F f   ф        Ñ ñ   ң        U u   у        Ç ç   ч
    G g   г        O o   о        İ i   и, й     H h   х, һ
    Ğ ğ   ғ        Ö ö   ө        I ı   і        P p   п

(ц -> ts, ю -> iu, я -> ia, ё -> io; ъ and ь are dropped.)  Note the 2021 pairs that surprise
readers: "Y y" is ы, "I ı" (dotless) is і, and "İ i" (dotted) is и/й, so «бір» is "bır".

Readers who type without these letters write plain ASCII, e.g. "Birlik", "su tasqyny",
"Qazaqstan", "Qazaqstannyng".  :func:`to_cyrillic` accepts both:

* ASCII ``i`` is read as і (what people mean in "Birlik"); after a vowel it is й
  ("Aigerim" -> Айгерім, "üiıne" -> үйіне) and before a vowel и ("jiyn" -> жиын,
  "kieli" -> киелі), since Kazakh has no two vowels in a row;
* ``y`` is ы ("tasqyny"), or й before a vowel and after a/e/o/ä/ö ("Aytys" -> Айтыс);
* the digraphs sh -> ш, ch -> ч, zh -> ж, gh -> ғ, kh -> х, and a word-final ng -> ң;
* w -> у, x -> кс, c -> к, and the 2018 acute letters á ó ú ý ǵ ń -> ә ө ү у ғ ң.

The search key (:func:`fold`) maps Cyrillic and Latin spellings of a word to one ASCII
string.  Searching must forgive a reader who lacks the special letters, so these
distinctions are folded on purpose:

    ы і и й ı i y   -> i     the i-vowels and й: ASCII has one i, readers mix y/i for ы/й,
                             and Kazakh vowel harmony keeps words apart anyway
    у ұ ү u ū ü w   -> u     three letters readers all type as u
    а ә ä           -> a     ә is typed as a
    о ө ö           -> o     ө is typed as o
    е э ё           -> e
    к қ k q         -> k     "Kazakstan" and "Qazaqstan" meet; back/front vowels still
                             separate most pairs
    г ғ g ğ gh      -> g
    ң ñ, final ng   -> n     ң is usually typed as n ("jana" for жаңа)
    ш щ ş sh        -> sh
    ч ç ch          -> ch
    ж j zh          -> zh
    х һ h kh        -> kh
    ц               -> ts
    я / ю           -> ia / iu
    ъ ь             -> dropped

The key is designed so that it is stable: the key of a key is the key itself (the
transliteration back to Cyrillic of a key folds to the same letters), which the search
normaliser relies on because index tokens are normalised again at query time.  And it
is built letter by letter, so the key of a prefix is a prefix of the key of the word
(multi-letter keys such as sh, zh, kh, ts begin with the key of their first Latin letter);
the one exception is a Latin prefix that ends in a bare "c" of a coming "ch".
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "KAZAKH_SPECIFIC_LETTERS",
    "fold",
    "has_cyrillic",
    "has_kazakh_letters",
    "has_latin",
    "is_latin",
    "to_cyrillic",
    "to_latin",
]

#: Letters of the Kazakh Cyrillic alphabet that Russian does not have.
KAZAKH_SPECIFIC_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")

# --------------------------------------------------------------------------------------------
# Cyrillic -> 2021 Latin
# --------------------------------------------------------------------------------------------

_TO_LATIN = {
    "а": "a",
    "ә": "ä",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "ğ",
    "д": "d",
    "е": "e",
    "ё": "io",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ñ",
    "о": "o",
    "ө": "ö",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "ū",
    "ү": "ü",
    "ф": "f",
    "х": "h",
    "һ": "h",
    "ц": "ts",
    "ч": "ç",
    "ш": "ş",
    "щ": "ş",
    "ъ": "",
    "ы": "y",
    "і": "ı",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
# Capitals: і/ı pairs with I, и/й with İ.
_TO_LATIN_UPPER = {"і": "I", "и": "İ", "й": "İ"}


def to_latin(text: str) -> str:
    """Cyrillic Kazakh -> the 2021 Latin alphabet; anything else is kept as it is.

    A capital Cyrillic letter gives a capital first Latin letter ("Я" -> "Ia"), or all
    capitals when the next letter is also a capital ("ЯНА" -> "IANA").
    """
    out = []
    n = len(text)
    for i, ch in enumerate(text):
        low = ch.lower()
        latin = _TO_LATIN.get(low)
        if latin is None:
            out.append(ch)
            continue
        if ch != low and latin:
            if low in _TO_LATIN_UPPER:
                latin = _TO_LATIN_UPPER[low]
            else:
                nxt = text[i + 1] if i + 1 < n else ""
                latin = latin.upper() if nxt.isupper() else latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Latin (2021, 2018 and plain ASCII) -> Cyrillic
# --------------------------------------------------------------------------------------------

_LATIN_SINGLE = {
    "a": "а",
    "ä": "ә",
    "á": "ә",
    "b": "б",
    "c": "к",
    "ç": "ч",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "ğ": "ғ",
    "ǵ": "ғ",
    "h": "х",
    "ı": "і",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "ñ": "ң",
    "ń": "ң",
    "o": "о",
    "ö": "ө",
    "ó": "ө",
    "p": "п",
    "q": "қ",
    "r": "р",
    "s": "с",
    "ş": "ш",
    "t": "т",
    "u": "у",
    "ū": "ұ",
    "ü": "ү",
    "ú": "ү",
    "ý": "у",
    "v": "в",
    "w": "у",
    "x": "кс",
    "z": "з",
}
_LATIN_DIGRAPHS = {"sh": "ш", "ch": "ч", "zh": "ж", "gh": "ғ", "kh": "х"}
# What counts as a vowel around i and y.
_VOWELS_NEXT = frozenset("aäáeoöóuūüúıyi")  # a following vowel turns i/y into й
_VOWELS_BEFORE_I = frozenset("aäáeoöóuūüúý")  # "ai", "üi" -> ай, үй
_VOWELS_BEFORE_Y = frozenset("aäáeoöó")  # "ay" -> ай, but "suy" stays суы


def _is_latin_letter(ch: str) -> bool:
    return len(ch) == 1 and _LATIN_RE.match(ch) is not None


def _base_latin(ch: str) -> str:
    """The letter without its accents ("é" -> "e"), for Latin letters not in the table."""
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _latin_char(low: str, prev: str, nxt: str) -> str | None:
    """Cyrillic for one lowercase Latin letter in context, or None when it is not Latin."""
    if len(low) != 1:
        return None
    if low == "i":
        if prev in _VOWELS_BEFORE_I:
            return "й"
        return "и" if nxt in _VOWELS_NEXT else "і"
    if low == "y":
        if nxt in _VOWELS_NEXT or (prev in _VOWELS_BEFORE_Y and nxt not in _VOWELS_NEXT):
            return "й"
        return "ы"
    cyr = _LATIN_SINGLE.get(low)
    if cyr is not None:
        return cyr
    if _is_latin_letter(low):
        base = _base_latin(low)
        if base != low and len(base) == 1:
            return _latin_char(base, prev, nxt)
    return None


def to_cyrillic(text: str) -> str:
    """Latin Kazakh (2021, 2018 or plain ASCII) -> Cyrillic, best effort.

    Characters that are not Latin letters (Cyrillic, digits, punctuation) are kept, so mixed
    text and text already in Cyrillic pass through.  Case is kept letter by letter.
    """
    if not text:
        return text
    text = unicodedata.normalize("NFC", text).replace("İ", "И").replace("i\u0307", "и")
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        low = ch.lower()
        pair = text[i : i + 2].lower()
        if pair in _LATIN_DIGRAPHS:
            cyr = _LATIN_DIGRAPHS[pair]
            out.append(cyr.upper() if ch.isupper() else cyr)
            i += 2
            continue
        if pair == "ng" and not (i + 2 < n and text[i + 2].isalpha()):
            out.append("Ң" if ch.isupper() else "ң")
            i += 2
            continue
        prev = text[i - 1].lower() if i > 0 else ""
        nxt = text[i + 1].lower() if i + 1 < n else ""
        cyr = _latin_char(low, prev, nxt)
        if cyr is None:
            out.append(ch)
        else:
            out.append(cyr.upper() if ch != low else cyr)
        i += 1
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Script tests
# --------------------------------------------------------------------------------------------


# Letter classes for the script tests (regular expressions are much faster than a Python
# loop over characters).  Latin: ASCII, Latin-1 letters, Extended-A/B, IPA, phonetic
# extensions, Extended Additional, -C, -D, -E and the full-width letters.
_LATIN_RE = re.compile(
    "[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1d00-\u1d7f"
    "\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uab30-\uab6f\uff21-\uff3a\uff41-\uff5a]"
)
_CYRILLIC_RE = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_KAZAKH_RE = re.compile(f"[{''.join(sorted(KAZAKH_SPECIFIC_LETTERS))}]")


def has_cyrillic(word: str) -> bool:
    """True if the word contains at least one Cyrillic letter."""
    return _CYRILLIC_RE.search(word) is not None


def has_latin(word: str) -> bool:
    """True if the word contains at least one Latin letter (ASCII or accented)."""
    return _LATIN_RE.search(word) is not None


def is_latin(word: str) -> bool:
    """True if the word is written in the Latin script: Latin letters and no Cyrillic ones.

    Digits and punctuation do not count either way ("COVID-19" is Latin, "2021" is not).
    """
    return has_latin(word) and not has_cyrillic(word)


def has_kazakh_letters(word: str) -> bool:
    """True if the word has a letter that only the Kazakh Cyrillic alphabet uses (ә, қ, і...)."""
    return _KAZAKH_RE.search(word) is not None


# --------------------------------------------------------------------------------------------
# Folded search key
# --------------------------------------------------------------------------------------------

_FOLD = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "э": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "і": "i",
    "ы": "i",
    "к": "k",
    "қ": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "u",
    "ф": "f",
    "х": "kh",
    "һ": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    # other Cyrillic alphabets' letters a Kazakh text may quote
    "ї": "i",
    "є": "e",
    "ґ": "g",
    "ў": "u",
}


def _ends_word(text: str, start: int) -> bool:
    """No letter that folds to something follows from `start` on in this word."""
    for ch in text[start:]:
        if not ch.isalpha():
            return True
        if _FOLD.get(ch, ch):
            return False
    return True


def fold(text: str) -> str:
    """The search key of Kazakh text: one lowercase ASCII spelling for Latin and Cyrillic.

    ``fold("Бірлік") == fold("Birlik") == fold("bırlık") == "birlik"`` and
    ``fold("Қазақстан") == fold("Qazaqstan") == fold("Kazakstan") == "kazakstan"``.
    Latin letters are first read as Kazakh (:func:`to_cyrillic`), then every letter is
    folded as the module docstring lists.  Characters of other scripts, digits and
    punctuation are kept (lowercased).  The fold works letter by letter, so the key of a
    prefix is a prefix of the key of the word, which prefix search needs, and the key of a
    key is itself.
    """
    if not text:
        return text
    text = text.casefold().replace("i\u0307", "i")
    if has_latin(text):
        text = to_cyrillic(text)
    out = []
    before = ""  # the last letter that folds to something (ъ and ь fold to nothing)
    for i, ch in enumerate(text):
        if ch in "гғ" and before in ("н", "ң") and _ends_word(text, i + 1):
            # word-final нг (also нъг): ASCII "ng" at the end of a word means ң, which folds
            # to n; so the key of a key is itself.
            before = ch
            continue
        folded = _FOLD.get(ch, ch)
        out.append(folded)
        if folded:
            before = ch
    return "".join(out)
