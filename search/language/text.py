"""Text -> search tokens: the one normaliser the search backends call.

The same :func:`normalize` runs when a statement is indexed and when a query is parsed,
so a query matches every form of a word:

* **ru** -- lemmas from pymorphy3 (паводки, паводков, паводками -> паводок; Ассамблеи ->
  ассамблея).  When the best parses tie, a noun wins (паводков is a noun here, not the
  short adjective паводковый).
* **en** -- lemmas from simplemma (floods, flooded -> flood), then a light Snowball-style
  suffix fold (Porter step 1: -s, -ed, -ing) for what the lemma dictionary keeps apart
  (flooding -> flood, meetings -> meet).
* **kk** -- a word in Latin letters is transliterated to Cyrillic
  (:func:`~search.language.translit.to_cyrillic`), stemmed by
  :func:`~search.language.kazakh.stem`, then folded to the ASCII key of
  :func:`~search.language.translit.fold`.  So "su tasqynynan", «су тасқыны» and
  «СУ ТАСҚЫНДАРЫ» all give the tokens ``su``, ``taski``, and a Cyrillic query finds
  Latin-written text and back: no query expansion is needed.  (Kazakh tokens are keys,
  not words: see the modules ``kazakh`` and ``translit`` for what is folded.)

Why these two libraries: both ship their data inside the wheel and download nothing at run
time (no NLTK data, no model files); pymorphy3 has a full dictionary of Russian and knows the
fleeting vowel of паводок/паводки, which a Snowball stemmer misses (паводок -> паводок,
паводки -> паводк); simplemma is small and covers English well enough for an archive's
titles and statements.

Rules for all languages, in order: invisible format characters (soft hyphens, zero-width
joiners) are removed; Unicode is NFKC-normalised (full-width letters, ligatures,
superscript digits); case is folded; combining accents left over on Latin/Cyrillic/Greek
letters (stress marks: паво́док) are removed, while the precomposed letters that Kazakh and
Russian need (ә, й, ё before the next step) stay; ё is written е; apostrophes inside a
word are dropped (English "'s" at the end of a word is removed first).  A word that mixes
Latin and Cyrillic letters which look alike ("Aссамблея" with a Latin A) has those letters
read as Cyrillic.

Words in another script keep a sensible rule and never fail: in a Russian text a word with
Kazakh letters (ә, қ, ң, і...) gets the Kazakh rule, a Latin word is lowercased only; in an
English text a Cyrillic word is lowercased only; tokens with digits ("2021", "covid19")
are lowercased only (in Kazakh also folded); words longer than 64 characters are not
lemmatised.  Other scripts pass through lowercased.

Every token :func:`normalize` returns is non-empty, has no whitespace, and is a fixed
point: normalising it again gives it back (the index stores tokens and the query side
normalises them again).  Each language rule is applied until its result stops changing to
guarantee this.

Indexing 200,000 statements must stay fast, so results are cached with
:func:`functools.lru_cache` (100,000 entries each): per word as written, per cleaned word,
and per word in each lemmatiser; the pymorphy3 analyser is created once, lazily, on first
use.  Tokenising splits on whitespace and only runs a regular expression on the pieces
that are not plain letters and digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from . import kazakh, translit

__all__ = ["LANGUAGES", "normalize", "normalize_word", "prefix_key", "tokenize", "word_spans"]

#: The content languages of the archive.
LANGUAGES = ("kk", "ru", "en")

_CACHE_SIZE = 100_000
_MAX_WORD = 64


# --------------------------------------------------------------------------------------------
# Tokenising
# --------------------------------------------------------------------------------------------


def _char_classes() -> tuple[str, str]:
    """Combining marks and format characters, as regex class bodies."""
    ranges: dict[str, list[tuple[int, int]]] = {"M": [], "Cf": []}
    open_at: dict[str, int | None] = {"M": None, "Cf": None}
    # The Basic Multilingual Plane holds all the scripts of the archive; a rarer mark
    # outside it just ends a word.
    for code in range(0x10001):
        category = unicodedata.category(chr(code)) if code < 0x10000 else ""
        for kind, inside in (("M", category[:1] == "M"), ("Cf", category == "Cf")):
            if inside and open_at[kind] is None:
                open_at[kind] = code
            elif not inside and open_at[kind] is not None:
                ranges[kind].append((open_at[kind], code - 1))
                open_at[kind] = None

    def body(pairs: list[tuple[int, int]]) -> str:
        return "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
            for a, b in pairs
        )

    return body(ranges["M"]), body(ranges["Cf"]) + "\U000e0000-\U000e007f"  # + tags


_MARKS, _FORMAT = _char_classes()
_FORMAT_RE = re.compile(f"[{_FORMAT}]")
_APOSTROPHES = "'’ʼʻ`"
# A word: letters and digits (\w, the underscore aside) and the marks that belong to them,
# with apostrophes allowed between letters (people's, O'zbek).  Hyphens, dots and
# underscores split words.
_WORD_RE = re.compile(rf"\w[\w{_MARKS}]*(?:[{_APOSTROPHES}][\w{_MARKS}]+)*")
_ACCENTS_RE = re.compile("[\u0300-\u036f\u0483-\u0489]")
_APOSTROPHE_RE = re.compile(f"[{_APOSTROPHES}]")
_POSSESSIVE_S_RE = re.compile(f"[{_APOSTROPHES}]s$")

# Latin letters that look like Cyrillic ones, for words that mix the two scripts.
_HOMOGLYPHS = str.maketrans("AaBCcEeHiKkMOoPpTXxYy", "АаВСсЕеНіКкМОоРрТХхУу")


def tokenize(text: str) -> list[str]:
    """Split text into word tokens (original case; NFKC; format characters removed).

    Letters and digits form words ("2021", "covid19"); a hyphen splits
    ("Нұр-Сұлтан" -> "Нұр", "Сұлтан"; "COVID-19" -> "COVID", "19"); an apostrophe
    between letters stays inside the word ("people's", "O'zbek") and is dropped later by
    :func:`normalize`; invisible format characters (soft hyphen, zero-width joiner) are
    removed, so they do not split a word.
    """
    if not text:
        return []
    tokens: list[str] = []
    for piece in unicodedata.normalize("NFKC", text).split():
        if piece.isalnum():  # the common case, without a regular expression
            tokens.append(piece)
            continue
        if _FORMAT_RE.search(piece):
            piece = unicodedata.normalize("NFKC", _FORMAT_RE.sub("", piece))
        tokens.extend(_WORD_RE.findall(piece.replace("_", " ")))
    return tokens


def word_spans(text: str) -> list[tuple[int, int]] | None:
    """Where each word of :func:`tokenize` starts and ends in ``text``, found in one pass;
    None when the text would change under tokenising (not NFKC, or with format characters),
    so that offsets into it cannot be given this way."""
    if not text.isascii() and (
        not unicodedata.is_normalized("NFKC", text) or _FORMAT_RE.search(text)
    ):
        return None
    # tokenize() splits at whitespace, takes a piece of letters and digits whole, and reads
    # the other pieces with _WORD_RE, an underscore counting as a space: the same words.
    return [m.span() for m in _WORD_RE.finditer(text.replace("_", " "))]


def _is_token(text: str) -> bool:
    """Whether ``text`` is exactly one token as :func:`tokenize` gives it."""
    return tokenize(text) == [text]


# --------------------------------------------------------------------------------------------
# Per-language rules
# --------------------------------------------------------------------------------------------


def _clean(token: str, lang: str) -> str:
    """Case, Unicode and apostrophe normalisation of one token (no language rules)."""
    if token.isascii():
        text = token.lower()
    else:
        text = unicodedata.normalize("NFKC", _FORMAT_RE.sub("", token))
        if translit.has_cyrillic(text) and translit.has_latin(text):
            text = text.translate(_HOMOGLYPHS)
        text = unicodedata.normalize("NFKC", text.casefold())
        text = _ACCENTS_RE.sub("", text).replace("ё", "е")
    if lang == "en":
        text = _POSSESSIVE_S_RE.sub("", text)
    return _APOSTROPHE_RE.sub("", text)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _kazakh(word: str) -> str:
    if len(word) > _MAX_WORD or _has_digit(word):
        return translit.fold(word)
    return translit.fold(kazakh.stem(translit.to_cyrillic(word)))


@lru_cache(maxsize=1)
def _morph():  # created once, on first use: loading the dictionary takes a moment
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=_CACHE_SIZE)
def _russian_lemma(word: str) -> str:
    parses = _morph().parse(word)
    if not parses:
        return word
    best = parses[0]
    for parse in parses[1:]:
        if abs(parse.score - best.score) > 1e-9:
            break
        if parse.tag.POS == "NOUN" and best.tag.POS != "NOUN":
            best = parse
            break
    return best.normal_form.replace("ё", "е")


def _russian(word: str) -> str:
    if translit.has_kazakh_letters(word):
        return _kazakh(word)
    if len(word) > _MAX_WORD or _has_digit(word) or not translit.has_cyrillic(word):
        return word
    return _russian_lemma(word)


_EN_VOWELS = frozenset("aeiouy")
_EN_DOUBLES = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")
_EN_KEEP_S = frozenset({"news", "atlas", "cosmos", "bias", "andes", "this", "thus", "is", "was"})
_EN_KEEP_ING = frozenset({"inning", "outing", "canning", "herring", "earring", "proceed"})


def _en_region1(word: str) -> int:
    """Start of the Snowball region R1: after the first non-vowel that follows a vowel."""
    for prefix in ("gener", "commun", "arsen"):
        if word.startswith(prefix):
            return len(prefix)
    for i in range(1, len(word)):
        if word[i] not in _EN_VOWELS and word[i - 1] in _EN_VOWELS:
            return i + 1
    return len(word)


def _en_short_syllable_end(word: str) -> bool:
    if len(word) == 2:
        return word[0] in _EN_VOWELS and word[1] not in _EN_VOWELS
    return (
        len(word) >= 3
        and word[-1] not in _EN_VOWELS
        and word[-1] not in "wxy"
        and word[-2] in _EN_VOWELS
        and word[-3] not in _EN_VOWELS
    )


def _english_suffixes(word: str) -> str:
    """Snowball English step 1a and 1b: plural -s, -ed, -ing (flooding -> flood)."""
    if len(word) <= 3 or word in _EN_KEEP_S or word in _EN_KEEP_ING:
        return word
    # step 1a
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith(("ied", "ies")):
        word = word[:-2] if len(word) > 4 else word[:-1]
    elif (
        word.endswith("s")
        and not word.endswith(("us", "ss"))
        and any(ch in _EN_VOWELS for ch in word[:-2])
    ):
        word = word[:-1]
    # step 1b
    for suffix in ("eedly", "eed"):
        if word.endswith(suffix):
            if len(word) - len(suffix) >= _en_region1(word):
                word = word[: -len(suffix)] + "ee"
            return word
    for suffix in ("ingly", "edly", "ing", "ed"):
        if word.endswith(suffix):
            head = word[: -len(suffix)]
            if not any(ch in _EN_VOWELS for ch in head):
                return word
            if head.endswith(("at", "bl", "iz")):
                return head + "e"
            if head.endswith(_EN_DOUBLES):
                return head[:-1]
            if _en_region1(head) >= len(head) and _en_short_syllable_end(head):
                return head + "e"
            return head
    return word


@lru_cache(maxsize=_CACHE_SIZE)
def _english_lemma(word: str) -> str:
    import simplemma

    lemma = simplemma.lemmatize(word, lang="en").casefold()
    if not _is_token(lemma):
        lemma = word
    return _english_suffixes(lemma)


def _english(word: str) -> str:
    if len(word) > _MAX_WORD or _has_digit(word) or not translit.is_latin(word):
        return word
    return _english_lemma(word)


_RULES: dict[str, Callable[[str], str]] = {"kk": _kazakh, "ru": _russian, "en": _english}


def _language(lang: str) -> str:
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    if code not in _RULES:
        raise ValueError(f"unknown search language {lang!r}; expected one of {LANGUAGES}")
    return code


def _apply(rule: Callable[[str], str], word: str, lang: str) -> str:
    """One application of a language rule, kept only if it yields one clean token."""
    result = _clean(rule(word), lang)
    if result and _is_token(result):
        return result
    return word


@lru_cache(maxsize=_CACHE_SIZE)
def _normalize_token(token: str, lang: str) -> str:
    """The normal form of a token as written (cached: "Паводки" and "паводки" apart)."""
    return _normalize_clean(_clean(token, lang), lang)


@lru_cache(maxsize=_CACHE_SIZE)
def _normalize_clean(word: str, lang: str) -> str:
    """The normal form of a cleaned word (cached: the lemmatisers run once per word)."""
    if not word or not _is_token(word):
        return ""
    rule = _RULES[lang]
    # Apply the rule until the result stops changing, so a token is its own normal form.
    seen = [word]
    while True:
        nxt = _apply(rule, word, lang)
        if nxt == word:
            return word
        if nxt in seen:  # a cycle (not seen in practice): any fixed choice is stable
            return min(seen[seen.index(nxt) :])
        seen.append(nxt)
        word = nxt


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def normalize(text: str, lang: str) -> list[str]:
    """The search tokens of ``text`` in language ``lang`` ("kk", "ru" or "en").

    Used both to index a text and to parse a query.  Tokens are in text order, duplicates
    kept (positions matter for phrases); each is non-empty and has no whitespace.  Never
    raises on any text; raises ``ValueError`` for an unknown language (a region suffix as
    in "ru-RU" or "kk_KZ" is accepted).
    """
    code = _language(lang)
    normal = _normalize_token
    return [token for token in (normal(word, code) for word in tokenize(text)) if token]


def normalize_word(word: str, lang: str) -> str:
    """The search token of one word, or "" if it has none (punctuation only).

    ``word`` should be one token as :func:`tokenize` gives it; if it holds several
    ("Нұр-Сұлтан"), only the first counts.
    """
    code = _language(lang)
    tokens = tokenize(word)
    return _normalize_token(tokens[0], code) if tokens else ""


def prefix_key(word: str, lang: str) -> str:
    """The key of a prefix query (``word*``): case-folded and folded, never stemmed.

    Stemming a prefix is wrong ("тасқын*" must not become "тасқ*", and a cut-off word has
    no ending to strip), so this applies only the folding of :func:`normalize`: case, ё ->
    е, accents, and for Kazakh the Latin/Cyrillic key.  Because the Kazakh fold works
    letter by letter, the key of a prefix is a prefix of the key of the full word.

    Match the key against tokens that were not stemmed either (a backend that supports
    prefixes should also index this key of each word), or against the normalised tokens
    when a prefix at most as long as the stem is enough: "паводк*" is not a prefix of the
    lemma паводок, while "ассамбле*" is a prefix of ассамблея.  As with
    :func:`normalize_word`, only the first token of ``word`` counts.
    """
    code = _language(lang)
    tokens = tokenize(word)
    if not tokens:
        return ""
    key = _clean(tokens[0], code)
    if code == "kk" or (code == "ru" and translit.has_kazakh_letters(key)):
        key = translit.fold(key)
    return key
