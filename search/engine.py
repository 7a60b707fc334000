"""The search interface. The results page, the API, the benchmark and the tests all call
`search()` and `facets()`; the database backend behind them (FTS5 or PostgreSQL full-text
search) is chosen from the database in use.

The engine knows no page: it answers with ranked records (kind, id, language, score and the
query's terms in that language), never addresses or HTML. The results page
(`search.hits`, `search.views`) turns them into links and highlighted snippets; the API into
its own JSON.

    results = search("паводок", languages=["ru"])
    results.records[0]  # Record(kind='statement', object_id=12, lang='ru', score=4.1, ...)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

from search.models import SearchDocument, SearchTerm
from sessions_app.languages import LANGS
from sessions_app.models import Session, Speaker, Topic

from . import indexing, vocabulary
from . import terms as T
from .backends import get_backend
from .backends.base import DATE, RELEVANCE, SearchTimeout
from .query import MAX_QUERY_LENGTH, LanguageQuery, ParsedQuery, in_language, parse

SORTS = (RELEVANCE, DATE)
PAGE_SIZE = 20
# "Did you mean" looks for replacements of this many unknown words of a query at most.
MAX_SUGGESTED_WORDS = 5
# Facet lists longer than this show their biggest values only.
MAX_FACET_VALUES = 15

__all__ = [
    "DATE",
    "LANGS",
    "MAX_QUERY_LENGTH",
    "RELEVANCE",
    "Facets",
    "Record",
    "SearchResults",
    "SearchTimeout",
    "facets",
    "search",
]


@dataclass(frozen=True)
class Suggestion:
    text: str  # the query with the unknown words replaced
    total: int  # what it finds


@dataclass(frozen=True)
class Record:
    """One public record that matched, in the language it matched in."""

    kind: str  # a SearchKind value: session, speech, statement, topic, speaker
    object_id: int
    lang: str
    score: float  # the engine's relevance: higher is better, comparable within one search
    terms: tuple[str, ...]  # the query's normalised terms in this language (what was matched)


def _records(rows, queries: Sequence[LanguageQuery]) -> list[Record]:
    terms = {
        q.lang: tuple(
            dict.fromkeys(
                token for term in q.positive_terms() for token in (*term.tokens, *term.expansions)
            )
        )
        for q in queries
    }
    return [
        Record(kind=kind, object_id=object_id, lang=lang, score=score, terms=terms.get(lang, ()))
        for _, kind, object_id, lang, score in rows
    ]


@dataclass
class SearchResults:
    query: ParsedQuery
    languages: tuple[str, ...]
    sort: str = RELEVANCE
    page: int = 1
    page_size: int = PAGE_SIZE
    records: list[Record] = field(default_factory=list)
    total: int = 0
    queries: list[LanguageQuery] = field(default_factory=list)
    suggestion: Suggestion | None = None
    # When nothing matched: how many hits the other languages have (if only some were searched).
    other_languages_total: int = 0
    # The search ran past its time limit and was stopped: no results, and the page says so.
    timed_out: bool = False

    @property
    def searched(self) -> bool:
        """Was there anything to look for? (Not for an empty query, punctuation alone, or only
        -excluded words.)"""
        return bool(self.queries)

    @property
    def only_excluded(self) -> bool:
        return self.query.is_empty and bool(self.query.excluded)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def language_queries(query: ParsedQuery, languages: Sequence[str]) -> list[LanguageQuery]:
    if query.is_empty:
        return []
    queries = [in_language(query, lang, expand=vocabulary.expand_prefix) for lang in languages]
    return [q for q in queries if not q.is_empty]


def search(
    text: str,
    *,
    languages: Sequence[str],
    restrict: QuerySet[SearchDocument] | None = None,
    sort: str = RELEVANCE,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    suggest: bool = True,
) -> SearchResults:
    """Public records matching `text` in `languages`, best first (or newest first), one page of
    them. `restrict` narrows the search to a filtered SearchDocument
    queryset (SearchFilter.qs). A page past the end gives the last page."""
    indexing.flush()  # changes this thread made and has not committed yet
    languages = tuple(lang for lang in LANGS if lang in set(languages)) or LANGS[:1]
    query = parse(text)
    sort = sort if sort in SORTS else RELEVANCE
    results = SearchResults(
        query=query, languages=languages, sort=sort, page=max(1, page), page_size=page_size
    )
    results.queries = language_queries(query, languages)
    if not results.queries:
        return results
    backend = get_backend()
    try:
        with backend.time_limit(time_limit_ms()):
            _run(results, backend, restrict=restrict, suggest=suggest)
    except SearchTimeout:
        results.timed_out, results.records, results.total = True, [], 0
        results.suggestion, results.other_languages_total = None, 0
    return results


def time_limit_ms() -> int:
    return int(settings.APK_SEARCH_TIME_LIMIT_MS)


def _run(
    results: SearchResults,
    backend,
    *,
    restrict: QuerySet[SearchDocument] | None,
    suggest: bool,
) -> None:
    sort, page_size = results.sort, results.page_size
    ranked = backend.ranked(
        results.queries,
        restrict=restrict,
        order=sort,
        offset=(results.page - 1) * page_size,
        limit=page_size,
    )
    if not ranked.rows and results.page > 1:
        total = backend.count(results.queries, restrict)
        if total:
            results.page = -(-total // page_size)
            ranked = backend.ranked(
                results.queries,
                restrict=restrict,
                order=sort,
                offset=(results.page - 1) * page_size,
                limit=page_size,
            )
    results.total = ranked.total
    results.records = _records(ranked.rows, results.queries)
    if not results.total and suggest and restrict is None:
        others = [lang for lang in LANGS if lang not in results.languages]
        if others:
            other_queries = language_queries(results.query, others)
            if other_queries:
                results.other_languages_total = backend.count(other_queries)
        results.suggestion = suggest_correction(results.query, results.languages)


def suggest_correction(query: ParsedQuery, languages: Sequence[str]) -> Suggestion | None:
    """Did you mean: the query with each word the archive does not know replaced by the most
    similar word it does know (trigram similarity), if that finds something public."""
    backend = get_backend()
    words = list(
        dict.fromkeys(
            item.words[0]
            for clause in query.clauses
            for item in clause
            if len(item.words) == 1 and not item.prefix
        )
    )
    if not words:
        return None
    forms = {(lang, T.form(w, lang)): w for w in words for lang in languages}
    known = set(
        SearchTerm.objects.filter(lang__in=languages, form__in=[f for _, f in forms]).values_list(
            "lang", "form"
        )
    )
    candidates: dict[str, list[tuple[float, str]]] = {}
    unknown = [
        (lang, form, word)
        for (lang, form), word in forms.items()
        if not any((lang_, T.form(word, lang_)) in known for lang_ in languages)
    ]
    for lang, form, word in unknown[:MAX_SUGGESTED_WORDS]:
        for _, _, surface, score in backend.similar_forms(lang, form, 3):
            # The vocabulary holds every word ever indexed, drafts' too: a word is offered only
            # if it finds something public on its own (checking the whole suggested query is
            # not enough: "zepelins OR reservoire" would offer a draft's "zeppelins").
            alone = language_queries(parse(surface), [lang])
            if alone and backend.count(alone):
                candidates.setdefault(word, []).append((score, surface))
    if not candidates:
        return None
    for options in candidates.values():
        options.sort(key=lambda o: (-o[0], o[1]))
    attempts = [{w: options[0][1] for w, options in candidates.items()}]
    for word, options in candidates.items():
        for _, surface in options[1:3]:
            attempts.append({**attempts[0], word: surface})
    for replacements in attempts[:5]:
        text = query.text
        for word, surface in replacements.items():
            text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", surface, text, count=1)
        queries = language_queries(parse(text), languages)
        if queries and text != query.text:
            total = backend.count(queries)
            if total:
                return Suggestion(text=text, total=total)
    return None


@dataclass(frozen=True)
class FacetValue:
    value: str  # the filter's parameter value
    label: str
    count: int


@dataclass
class Facets:
    sessions: list[FacetValue] = field(default_factory=list)
    years: list[FacetValue] = field(default_factory=list)
    topics: list[FacetValue] = field(default_factory=list)
    speakers: list[FacetValue] = field(default_factory=list)
    timed_out: bool = False  # the counts ran past the time limit and were left out

    def __bool__(self) -> bool:
        return bool(self.sessions or self.years or self.topics or self.speakers)


FACETS = ("session", "topic", "speaker", "year")  # in the order of base.FACET_COLUMNS


def facets(
    results: SearchResults,
    restrict: QuerySet[SearchDocument] | None = None,
    *,
    within: Mapping[str, QuerySet[SearchDocument] | None] | None = None,
) -> Facets:
    """How many of the hits fall in each session, year, topic and speaker (one pass over the
    matching set), and one query for each list's names. The biggest MAX_FACET_VALUES values of
    each are shown. `within` gives a facet its own restriction (the search filters but its own,
    SearchFilter.restriction_without); each different restriction costs one more pass."""
    if not results.queries or not results.total:
        return Facets()
    backend = get_backend()
    matching = backend.matching(results.queries)
    passes: dict[int, list[Counter]] = {}
    counts: list[Counter] = []
    try:
        # The counts share the search's time limit: past it, the page shows its hits without
        # the filters' counts rather than hang.
        with backend.time_limit(time_limit_ms()):
            for i, name in enumerate(FACETS):
                narrowed = (within or {}).get(name, restrict)
                if id(narrowed) not in passes:
                    # Without filters, a frequent word's counts are kept with its ranking.
                    counted = None
                    if narrowed is None:
                        # The search's own count is the count without filters only when it
                        # had none.
                        unfiltered = results.total if restrict is None else None
                        counted = backend.kept_facets(results.queries, unfiltered)
                    if counted is None:
                        base = narrowed if narrowed is not None else SearchDocument.objects.all()
                        counted = backend.facet_counts(base.filter(matching))
                    passes[id(narrowed)] = counted
                counts.append(passes[id(narrowed)][i])
    except SearchTimeout:
        return Facets(timed_out=True)
    sessions, topics, speakers, years = counts

    def biggest(counter: Counter) -> dict:
        return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_FACET_VALUES])

    sessions, topics, speakers = biggest(sessions), biggest(topics), biggest(speakers)
    out = Facets()
    out.sessions = [
        FacetValue(str(s.number), str(s), sessions[s.pk])
        for s in Session.objects.filter(pk__in=sessions).order_by("-number")
    ]
    out.years = [
        FacetValue(str(y), str(y), n) for y, n in sorted(biggest(years).items(), reverse=True)
    ]
    topic_rows = {t.pk: t for t in Topic.objects.filter(pk__in=topics)}
    out.topics = [
        FacetValue(topic_rows[pk].slug, str(topic_rows[pk]), n)
        for pk, n in topics.items()
        if pk in topic_rows
    ]
    speaker_rows = {s.pk: s for s in Speaker.objects.filter(pk__in=speakers)}
    out.speakers = [
        FacetValue(speaker_rows[pk].slug, str(speaker_rows[pk]), n)
        for pk, n in speakers.items()
        if pk in speaker_rows
    ]
    return out
