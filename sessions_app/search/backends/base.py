from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from sessions_app.models import SearchDocument

from ..query import LanguageQuery

RELEVANCE = "relevance"
DATE = "date"


@dataclass(frozen=True)
class RankedPage:
    rows: list[tuple[int, str, int, str]]  # (id, kind, object_id, lang), best or newest first
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
    them. Each ranking is (entries, count); an entry is its sort key followed by (id, kind,
    object_id, lang), so entries of all languages sort together."""
    best = sorted(entry for ranking, _ in rankings for entry in ranking)
    total = sum(count for _, count in rankings)
    rows = [entry[-4:] for entry in best[offset : offset + limit]]
    return RankedPage(rows=rows, total=total if rows or offset else 0)


class SearchBackend(ABC):
    """Matches and ranks SearchDocument rows. Every method sees only public rows in the
    languages of `queries` (one LanguageQuery per language searched, none of them empty)."""

    vendor: str

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
