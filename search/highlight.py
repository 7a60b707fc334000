"""Snippets and highlighting, built from the text as it was written.

The engines index normalised words (lemmas, Kazakh stems, folded Latin), so their own snippet()
and ts_headline() would show those, not what was said. For the page of hits shown, each text is
split into words here, every word normalised the same way as for the index, and the words that
match the query are wrapped in <mark>; everything else is HTML-escaped. The same code serves
both databases.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from html import escape  # what django.utils.html.escape calls, without its lazy-text wrapper

from django.utils.safestring import SafeString

from . import terms as T
from .query import LanguageQuery

SNIPPET_CHARS = 240
# How much text comes before the first match in a snippet.
LEAD_CHARS = 60
# Long speeches: words are looked at up to this far (the snippet shows the beginning when the
# only match lies further on, e.g. in the title).
MAX_SCAN_CHARS = 30_000


class Matcher:
    """Which written words match one of the query's (positive) terms in this language?"""

    def __init__(self, query: LanguageQuery):
        self.lang = query.lang
        self.terms: set[str] = set()
        self.prefixes: list[str] = []
        for term in query.positive_terms():
            tokens = list(term.tokens)
            if term.prefix:
                self.prefixes.append(tokens.pop())
                self.terms.update(term.expansions)
            self.terms.update(tokens)
        # A page's texts repeat their words: each is looked up once per page. (Sharing a
        # matcher between searches saved a further 0.17 ms of a 1.7 ms page and needed a bound
        # and state shared between threads: not kept.)
        self._yes: set[str] = set()
        self._no: set[str] = set()

    def matching(self, words: Iterable[str]) -> set[str]:
        """Which of these written words match (set operations: a text's words are not looked
        at one by one once the page has seen them)."""
        distinct = set(words)
        new = distinct.difference(self._yes, self._no)
        for word in new:
            (self._yes if self._matches(word) else self._no).add(word)
        return distinct & self._yes

    def _matches(self, word: str) -> bool:
        if not self.terms.isdisjoint(T.terms(word, self.lang)):
            return True
        if self.prefixes:
            folded = T.form(word, self.lang)
            return any(folded.startswith(p) for p in self.prefixes)
        return False


def _spans(text: str) -> list[tuple[int, int]]:
    """Where each word of the text starts and ends (the language layer's own tokenizer)."""
    text = text[:MAX_SCAN_CHARS]
    spans = T.word_spans(text)
    if spans is not None:
        return spans
    spans, pos = [], 0
    for word in T.words(text):
        start = text.find(word, pos)
        if start < 0:  # changed by Unicode normalisation: not highlighted
            continue
        spans.append((start, start + len(word)))
        pos = start + len(word)
    return spans


def _last_end(spans: Sequence[tuple[int, int]], start: int, end: int) -> int:
    """The end of the last word that ends after `start` and by `end` (or `end`)."""
    i = bisect_right(spans, (end, end))  # the words that start by `end`
    while i > 0:
        _, b = spans[i - 1]
        if b <= end:
            return b if b > start else end
        i -= 1
    return end


def _render(text: str, spans: Iterable[tuple[int, int]], start: int, end: int) -> str:
    out, pos = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, match: Matcher) -> SafeString:
    """The whole text, escaped, with the matching words marked (for titles and names)."""
    text = text or ""
    spans = _spans(text)
    words = [text[a:b] for a, b in spans]
    hits = match.matching(words)
    marked = [s for s, w in zip(spans, words, strict=True) if w in hits] if hits else []
    return SafeString(_render(text, marked, 0, len(text)))


def snippet(text: str, match: Matcher, chars: int = SNIPPET_CHARS) -> tuple[SafeString, bool]:
    """A window of the text around its first matching word, escaped, with the matches marked;
    and whether anything matched. Without a match, the beginning of the text."""
    text = " ".join((text or "").split())
    spans = _spans(text)
    words = [text[a:b] for a, b in spans]
    hits = match.matching(words)
    first = (
        next((a for (a, _), w in zip(spans, words, strict=True) if w in hits), None)
        if hits
        else None
    )
    if first is not None:
        # Some text before the match; more when the match is near the end, to fill the window.
        start = max(0, min(first - LEAD_CHARS, len(text) - chars))
        if start > 0:  # begin at a word: the first one that starts at or after `start`
            start = next((a for a, _ in spans if a >= start), first)
    else:
        start = 0
    end = min(len(text), start + chars)
    if end < len(text):
        # End at a word: the last one that ends within the window.
        end = _last_end(spans, start, end)
    marked = (
        [
            (a, b)
            for (a, b), w in zip(spans, words, strict=True)
            if w in hits and start <= a and b <= end
        ]
        if first is not None
        else []
    )
    html = _render(text, marked, start, end)
    if start > 0:
        html = "… " + html
    if end < len(text):
        html += " …"
    return SafeString(html), first is not None
