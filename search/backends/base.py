from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from django.db import connection
from django.db.models import Func, IntegerField, Q, QuerySet

from search.models import SearchDocument

from ..query import LanguageQuery, Term

RELEVANCE = "relevance"
DATE = "date"


class SearchTimeout(Exception):
    """A search ran past its time limit and was stopped (settings.APK_SEARCH_TIME_LIMIT_MS)."""


@dataclass(frozen=True)
class RankedPage:
    # (id, kind, object_id, lang, score), best or newest first; the score is the engine's
    # relevance, higher is better (bm25 negated on SQLite, ts_rank on PostgreSQL).
    rows: list[tuple[int, str, int, str, float]]
    total: int  # all public matches; 0 when the page is past the end


def single_word(query: LanguageQuery) -> str | None:
    """The one normalised word a query is made of, if that is all it asks (what a kept ranking
    can answer)."""
    if query.excluded or len(query.clauses) != 1 or len(query.clauses[0]) != 1:
        return None
    term = query.clauses[0][0]
    if term.prefix or term.expansions or len(term.tokens) != 1:
        return None
    return term.tokens[0]


def merged(rankings: list[tuple[list[tuple], int]], offset: int, limit: int) -> RankedPage:
    """A page of words' rankings (one per language searched), merged as the ranked query orders
    them. Each ranking is (entries, count); an entry is its sort key, whose first item is the
    score negated, followed by (id, kind, object_id, lang), so entries of all languages sort
    together."""
    best = sorted(entry for ranking, _ in rankings for entry in ranking)
    total = sum(count for _, count in rankings)
    rows = [(*entry[-4:], -entry[0]) for entry in best[offset : offset + limit]]
    return RankedPage(rows=rows, total=total if rows or offset else 0)


class _Year(Func):
    """The year of a date, in the engine's own SQL (Django's ExtractYear calls a Python function
    for every row on SQLite: most of the time of a facet count over a common word)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(substr({sql}, 1, 4) AS INTEGER)", params

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(EXTRACT(YEAR FROM {sql}) AS INTEGER)", params


# What the filter counts count hits by; a facet's number is its place here.
FACET_COLUMNS = ("session_id", "topic_id", "speaker_id", "year")


class SearchBackend(ABC):
    """Matches and ranks SearchDocument rows. Every method sees only public rows in the
    languages of `queries` (one LanguageQuery per language searched, none of them empty)."""

    vendor: str

    def time_limit(self, milliseconds: int) -> AbstractContextManager[None]:
        """Stop the queries run inside once they have taken `milliseconds` in all, raising
        SearchTimeout: no search can hold a worker for long."""
        return nullcontext()

    @abstractmethod
    def ranked(
        self,
        queries: Sequence[LanguageQuery],
        *,
        restrict: QuerySet[SearchDocument] | None = None,
        order: str = RELEVANCE,
        offset: int = 0,
        limit: int = 20,
    ) -> RankedPage:
        """One page of matches and the total count. `restrict` is a filtered SearchDocument
        queryset (the search filters); None means no filter."""

    @abstractmethod
    def matching(self, queries: Sequence[LanguageQuery]) -> Q:
        """The public documents that match, as a condition for the ORM (counts per filter)."""

    def count(
        self,
        queries: Sequence[LanguageQuery],
        restrict: QuerySet[SearchDocument] | None = None,
    ) -> int:
        base = restrict if restrict is not None else SearchDocument.objects.all()
        return base.filter(self.matching(queries)).count()

    @abstractmethod
    def similar_forms(self, lang: str, form: str, limit: int) -> list[tuple[str, str, str, float]]:
        """(form, term, surface, similarity) of the known word forms closest to `form`."""

    def facet_counts(self, base: QuerySet[SearchDocument]) -> list[Counter]:
        """Hits per session, topic, speaker and year (FACET_COLUMNS), in one statement: the
        matching rows are read once into a materialised CTE, then grouped four ways (a GROUP BY
        over all four columns at once has about as many groups as hits, and reading those back
        cost more than the count)."""
        rows = base.values("session_id", "topic_id", "speaker_id", year=_Year("date")).order_by()
        sql, params = rows.query.sql_with_params()
        sql = self.facet_source(sql)
        groups = " UNION ALL ".join(
            f"SELECT {i}, {column}, count(*) FROM m WHERE {column} IS NOT NULL GROUP BY {column}"
            for i, column in enumerate(FACET_COLUMNS)
        )
        counters: list[Counter] = [Counter() for _ in FACET_COLUMNS]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH m ({', '.join(FACET_COLUMNS)}) AS MATERIALIZED ({sql}) {groups}", params
            )
            for i, key, n in cursor.fetchall():
                counters[i][key] = n
        return counters

    def kept_facets(
        self, queries: Sequence[LanguageQuery], total: int | None
    ) -> list[Counter] | None:
        """The filter counts kept with the rankings of the one word each query asks (summed over
        the languages searched); None unless every language has them up to date. `total` is the
        search's count without filters: below the count that makes a word frequent, nothing is
        looked up (None: not known, as when the search itself was filtered)."""
        words = [single_word(q) for q in queries]
        if not all(words) or (total is not None and total < self.min_kept_matches()):
            return None
        counters: list[Counter] = [Counter() for _ in FACET_COLUMNS]
        with connection.cursor() as cursor:
            for q, word in zip(queries, words, strict=True):
                sql, params = self._kept_facets_sql(q.lang, word)
                cursor.execute(sql, params)
                rows = cursor.fetchall()
                if not rows:
                    return None
                for facet, key, n in rows:
                    counters[facet][key] += n
        return counters

    @abstractmethod
    def min_kept_matches(self) -> int:
        """How many public documents of a language make a word frequent (its ranking kept)."""

    @abstractmethod
    def _kept_facets_sql(self, lang: str, word: str) -> tuple[str, list]:
        """(facet, key, count) rows of the word's kept filter counts, none unless up to date."""

    @staticmethod
    def _write_facets(cursor, table: str, lang: str, word: str, counters: list[Counter]) -> None:
        """Replace the word's kept filter counts in `table` (inside the caller's transaction,
        with its ranking)."""
        cursor.execute(f"DELETE FROM {table} WHERE lang = %s AND term = %s", [lang, word])
        cursor.executemany(
            f"INSERT INTO {table} (lang, term, facet, key, n) VALUES (%s, %s, %s, %s, %s)",
            [
                (lang, word, facet, key, n)
                for facet, counter in enumerate(counters)
                for key, n in counter.items()
            ],
        )

    def word_facet_counts(self, lang: str, word: str) -> list[Counter]:
        """Counted now, for keeping with the word's ranking."""
        query = LanguageQuery(lang, ((Term((word,)),),), ())
        return self.facet_counts(SearchDocument.objects.filter(self.matching([query])))

    def facet_source(self, sql: str) -> str:
        """The SELECT of the matching documents' session, topic, speaker and year that the
        filter counts read, as the engine reads it best."""
        return sql

    def bulk_load(self) -> AbstractContextManager:
        """Around a rebuild: the engine may index everything at once at the end rather than row
        by row. Used inside a transaction."""
        return nullcontext()

    def optimise(self) -> None:  # noqa: B027 (most engines need nothing)
        """Tidy the engine's index after a rebuild."""

    @abstractmethod
    def raw_sql(self, queries: Sequence[LanguageQuery], limit: int) -> tuple[str, list]:
        """The engine's own ranked query and nothing else (for the benchmark)."""

    @abstractmethod
    def raw_page_sql(self, queries: Sequence[LanguageQuery], limit: int) -> list[tuple[str, list]]:
        """The engine's own answer to what search() gives (for the benchmark): the ranked page
        with the engine's snippets (snippet(), ts_headline()), and the count of matches."""
