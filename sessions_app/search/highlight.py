"""Snippets and highlighting, built from the text as it was written.

The engines index normalised words (lemmas, Kazakh stems, folded Latin), so their own snippet()
and ts_headline() would show those, not what was said. For the page of hits shown, each text is
split into words here, every word normalised the same way as for the index, and the words that
match the query are wrapped in <mark>; everything else is HTML-escaped. The same code serves
both databases.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import terms as T
from .query import LanguageQuery

SNIPPET_CHARS = 240
# How much text comes before the first match in a snippet.
LEAD_CHARS = 60
# Long speeches: words are looked at up to this far (the snippet shows the beginning when the
# only match lies further on, e.g. in the title).
MAX_SCAN_CHARS = 30_000


class Matcher:
    """Does a written word match one of the query's (positive) terms in this language?"""

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
        # A page's texts repeat their words: each is looked up once.
        self._seen: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        seen = self._seen.get(word)
        if seen is None:
            seen = self._seen[word] = self._matches(word)
        return seen

    def _matches(self, word: str) -> bool:
        if any(t in self.terms for t in T.terms(word, self.lang)):
            return True
        if self.prefixes:
            folded = T.form(word, self.lang)
            return any(folded.startswith(p) for p in self.prefixes)
        return False


def _spans(text: str) -> list[tuple[int, int]]:
    """Where each word of the text starts and ends (the language layer's own tokenizer)."""
    spans, pos = [], 0
    for word in T.words(text[:MAX_SCAN_CHARS]):
        start = text.find(word, pos)
        if start < 0:  # changed by Unicode normalisation: not highlighted
            continue
        spans.append((start, start + len(word)))
        pos = start + len(word)
    return spans


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
    marked = [s for s in _spans(text) if match(text[s[0] : s[1]])]
    return mark_safe(_render(text, marked, 0, len(text)))


def snippet(text: str, match: Matcher, chars: int = SNIPPET_CHARS) -> tuple[SafeString, bool]:
    """A window of the text around its first matching word, escaped, with the matches marked;
    and whether anything matched. Without a match, the beginning of the text."""
    text = " ".join((text or "").split())
    spans = _spans(text)
    first = next((a for a, b in spans if match(text[a:b])), None)
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
        end = max((b for a, b in spans if start < b <= end), default=end)
    # Only the words in the window are looked at once more.
    marked = [(a, b) for a, b in spans if start <= a and b <= end and match(text[a:b])]
    html = _render(text, marked, start, end)
    if start > 0:
        html = "… " + html
    if end < len(text):
        html += " …"
    return mark_safe(html), first is not None
