"""The one place where search meets the language layer (text.py): every word that is indexed,
queried or highlighted goes through these functions, so the three always agree.

Terms are cut down to letters and digits: whatever the normaliser returns, an engine only ever
sees plain tokens that its own tokenizer (FTS5 unicode61, PostgreSQL's 'simple' parser) keeps
whole, so a normalised word can never turn into query syntax.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .language import text

# Letters and digits, without the underscore that \w also allows.
_TOKEN_RE = re.compile(r"[^\W_]+")
# The longest token kept: longer "words" are noise (and PostgreSQL refuses tokens over 2047 bytes).
MAX_TOKEN_LENGTH = 60


def words(value: str) -> list[str]:
    """The words of a text, as written."""
    return text.tokenize(value)


def word_spans(value: str) -> list[tuple[int, int]] | None:
    """Where each of the text's words starts and ends, in one pass (None when tokenising would
    change the text, so that offsets into it cannot be given this way)."""
    return text.word_spans(value)


def _plain(value: str) -> tuple[str, ...]:
    return tuple(t[:MAX_TOKEN_LENGTH] for t in _TOKEN_RE.findall(value))


@lru_cache(maxsize=200_000)
def terms(word: str, lang: str) -> tuple[str, ...]:
    """The normalised index terms for one written word (usually one; none for a word that is all
    punctuation)."""
    return _plain(text.normalize_word(word, lang))


@lru_cache(maxsize=200_000)
def form(word: str, lang: str) -> str:
    """The folded word without stemming (case, ё, Latin Kazakh): what `word*` is matched on."""
    return "".join(_plain(text.prefix_key(word, lang)))


def text_terms(value: str, lang: str) -> list[str]:
    out: list[str] = []
    for word in words(value):
        out.extend(terms(word, lang))
    return out
