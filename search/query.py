"""The query language readers type, web-search style, and what it means in one language.

    flood relief      every word must match (in any of its forms)
    "su tasqyny"      the words next to each other, in this order
    -drought          leave out what has this word (also -"a phrase")
    flood OR паводок  either of the two neighbouring items
    reserv*           any word that begins so (at least two letters)

Everything else is ordinary text: brackets, colons, carets, NEAR(, SQL and control characters
are split into words or dropped. Only normalised words, letters and digits, ever reach an
engine, quoted by the backend, so no input can be a syntax error there.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from . import terms as T

MAX_QUERY_LENGTH = 200
MIN_PREFIX_LENGTH = 2
# A prefix stands for at most this many known terms besides its own prefix match.
MAX_PREFIX_EXPANSIONS = 30
OR_WORD = "OR"


@dataclass(frozen=True)
class Item:
    """A word or a quoted phrase as typed: its words in order, and whether the last one is a
    prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    def __str__(self) -> str:
        text = " ".join(self.words) + ("*" if self.prefix else "")
        return f'"{text}"' if len(self.words) > 1 else text


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the query as searched: cleaned and cut to MAX_QUERY_LENGTH
    truncated: bool
    clauses: tuple[tuple[Item, ...], ...]  # all must match; any item of a clause will do
    excluded: tuple[Item, ...]

    @property
    def is_empty(self) -> bool:
        return not self.clauses


@dataclass(frozen=True)
class Term:
    """An item in one language: normalised tokens that must stand next to each other."""

    tokens: tuple[str, ...]
    prefix: bool = False
    # For a prefix: whole terms of the vocabulary whose written forms begin with it.
    expansions: tuple[str, ...] = ()


@dataclass(frozen=True)
class LanguageQuery:
    lang: str
    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def positive_terms(self) -> list[Term]:
        return [term for clause in self.clauses for term in clause]


def clean(text: str) -> tuple[str, bool]:
    """Control and format characters become spaces; the result is cut to MAX_QUERY_LENGTH
    characters (at a space when there is one near the end). Returns (text, was_cut)."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} else ch
        for ch in text
    )
    text = " ".join(text.split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    cut = text[:MAX_QUERY_LENGTH]
    space = cut.rfind(" ")
    if text[MAX_QUERY_LENGTH] != " " and space > MAX_QUERY_LENGTH // 2:
        cut = cut[:space]
    return cut.strip(), True


def parse(text: str) -> ParsedQuery:
    cleaned, truncated = clean(text)
    sequence: list[tuple[bool, Item] | None] = []  # None marks an OR
    i, n = 0, len(cleaned)
    while i < n:
        ch = cleaned[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < n and not cleaned[i + 1].isspace():
            negated = True
            i += 1
            ch = cleaned[i]
        if ch == '"':
            end = cleaned.find('"', i + 1)
            end = n if end == -1 else end  # an unclosed quote runs to the end
            chunk, quoted, i = cleaned[i + 1 : end], True, end + 1
        else:
            end = i
            while end < n and not cleaned[end].isspace() and cleaned[end] != '"':
                end += 1
            chunk, quoted, i = cleaned[i:end], False, end
        if chunk == OR_WORD and not quoted and not negated:
            sequence.append(None)
            continue
        words = tuple(T.words(chunk))
        if words:
            prefix = chunk.rstrip().endswith("*")
            sequence.append((negated, Item(words, prefix)))

    clauses: list[list[Item]] = []
    excluded: list[Item] = []
    pending_or = False
    for entry in sequence:
        if entry is None:
            pending_or = bool(clauses)
            continue
        negated, item = entry
        if negated:
            excluded.append(item)
        elif pending_or:
            clauses[-1].append(item)
        else:
            clauses.append([item])
        pending_or = False
    return ParsedQuery(
        text=cleaned,
        truncated=truncated,
        clauses=tuple(tuple(dict.fromkeys(c)) for c in clauses),
        excluded=tuple(dict.fromkeys(excluded)),
    )


def in_language(query: ParsedQuery, lang: str, *, expand=None) -> LanguageQuery:
    """The query's items normalised for `lang`. `expand(lang, form)` returns the known terms
    whose written forms begin with `form` (see vocabulary.expand_prefix)."""

    def term(item: Item) -> Term | None:
        tokens: list[str] = []
        for word in item.words[:-1]:
            tokens.extend(T.terms(word, lang))
        last = item.words[-1]
        prefix = ""
        if item.prefix:
            prefix = T.form(last, lang)
            if len(prefix) < MIN_PREFIX_LENGTH:
                prefix = ""
        if prefix:
            tokens.append(prefix)
        else:
            tokens.extend(T.terms(last, lang))
        if not tokens:
            return None
        expansions: tuple[str, ...] = ()
        if prefix and len(tokens) == 1 and expand is not None:
            expansions = tuple(t for t in expand(lang, prefix) if t != prefix)
        return Term(tuple(tokens), bool(prefix), expansions)

    clauses = []
    for clause in query.clauses:
        normalised = tuple(dict.fromkeys(t for t in map(term, clause) if t is not None))
        if normalised:
            clauses.append(normalised)
    excluded = tuple(dict.fromkeys(t for t in map(term, query.excluded) if t is not None))
    return LanguageQuery(lang, tuple(clauses), excluded)
