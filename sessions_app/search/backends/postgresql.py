"""PostgreSQL: a generated tsvector column over SearchDocument with a GIN index (migration 0002),
ranked with ts_rank; pg_trgm finds similar words for "did you mean"."""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL, Window

from sessions_app.models import SearchDocument, SearchTerm

from ..query import LanguageQuery, Term
from .base import DATE, RELEVANCE, RankedPage, SearchBackend

DOC = SearchDocument._meta.db_table
VECTOR = f'"{DOC}"."search_vector"'  # title (weight A) and text (B): what is matched
TITLE_VECTOR = f'"{DOC}"."title_vector"'
BODY_VECTOR = f'"{DOC}"."body_vector"'
# Relevance: ts_rank of the title (titles, topics, names) counts TITLE_WEIGHT times ts_rank of
# the text, each ranked by any of the query's words. One ts_rank over the weighted whole made a
# topic that names the word twice outrank statements that also name it themselves (it counts
# repeats less and less, 1, 1/4, 1/9…, and takes the best weight first); as on SQLite, the two
# parts are ranked apart and added.
TITLE_WEIGHT = 2.5


def _lexeme(token: str) -> str:
    # Tokens are letters and digits only (terms.py); quoting keeps them plain lexemes anyway.
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _term(term: Term) -> str:
    parts = [_lexeme(t) for t in term.tokens]
    if term.prefix:
        parts[-1] += ":*"
    phrase = " <-> ".join(parts)
    if len(parts) > 1:
        phrase = f"({phrase})"
    if not term.expansions:
        return phrase
    return "(" + " | ".join([phrase, *(_lexeme(e) for e in term.expansions)]) + ")"


def compile_tsquery(query: LanguageQuery) -> str:
    expr = " & ".join("(" + " | ".join(_term(t) for t in clause) + ")" for clause in query.clauses)
    if query.excluded:
        expr = f"({expr}) & !(" + " | ".join(_term(t) for t in query.excluded) + ")"
    return expr


def rank_tsquery(query: LanguageQuery) -> str:
    """Any of the wanted words: each part of a record is ranked by the words it has."""
    return " | ".join(_term(t) for t in query.positive_terms())


def _matches(tsquery: str) -> RawSQL:
    return RawSQL(
        f"{VECTOR} @@ to_tsquery('simple'::regconfig, %s)", [tsquery], output_field=BooleanField()
    )


def _vector(column: str) -> RawSQL:
    return RawSQL(column, [], output_field=SearchVectorField())


class PostgreSQLBackend(SearchBackend):
    vendor = "postgresql"

    def matching(self, queries: Sequence[LanguageQuery]) -> Q:
        per_language = [Q(lang=q.lang) & Q(_matches(compile_tsquery(q))) for q in queries]
        return Q(is_public=True) & reduce(or_, per_language)

    def _rank(self, queries: Sequence[LanguageQuery]):
        def rank(q: LanguageQuery):
            words = SearchQuery(rank_tsquery(q), search_type="raw", config="simple")
            return TITLE_WEIGHT * SearchRank(_vector(TITLE_VECTOR), words) + SearchRank(
                _vector(BODY_VECTOR), words
            )

        if len(queries) == 1:
            return rank(queries[0])
        return Case(
            *(When(lang=q.lang, then=rank(q)) for q in queries),
            default=Value(0.0),
            output_field=FloatField(),
        )

    def ranked(
        self,
        queries: Sequence[LanguageQuery],
        *,
        restrict: QuerySet[SearchDocument] | None = None,
        order: str = RELEVANCE,
        offset: int = 0,
        limit: int = 20,
    ) -> RankedPage:
        base = restrict if restrict is not None else SearchDocument.objects.all()
        qs = base.filter(self.matching(queries)).annotate(
            score=self._rank(queries), total=Window(Count("id"))
        )
        # Equal ranks (ts_rank does not look at length): the shorter text, where the words
        # weigh more, first.
        shorter = RawSQL(f"length({BODY_VECTOR})", [])
        if order == DATE:
            qs = qs.order_by(F("date").desc(nulls_last=True), "-score", shorter, "id")
        else:
            qs = qs.order_by("-score", shorter, "id")
        rows = list(
            qs.values_list("id", "kind", "object_id", "lang", "total")[offset : offset + limit]
        )
        return RankedPage(rows=[r[:4] for r in rows], total=rows[0][4] if rows else 0)

    def similar_forms(self, lang: str, form: str, limit: int):
        if not form:
            return []
        table = SearchTerm._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT form, term, surface, similarity(form, %s) AS s FROM {table} "
                "WHERE lang = %s AND form %% %s AND form <> %s ORDER BY s DESC, form LIMIT %s",
                [form, lang, form, form, limit],
            )
            return [(f, t, s, float(sim)) for f, t, s, sim in cursor.fetchall()]

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DOC}")

    @staticmethod
    def _raw_match(queries: Sequence[LanguageQuery]) -> tuple[str, list]:
        """The public documents that match, as a raw WHERE clause (for the benchmark)."""
        conditions, params = [], []
        for q in queries:
            conditions.append(f"(lang = %s AND {VECTOR} @@ to_tsquery('simple'::regconfig, %s))")
            params += [q.lang, compile_tsquery(q)]
        return f"is_public AND ({' OR '.join(conditions)})", params

    def raw_sql(self, queries: Sequence[LanguageQuery], limit: int) -> tuple[str, list]:
        where, params = self._raw_match(queries)
        # The benchmark runs one language at a time: rank by that language's words.
        rank = (
            f"{TITLE_WEIGHT} * ts_rank({TITLE_VECTOR}, to_tsquery('simple', %s)) "
            f"+ ts_rank({BODY_VECTOR}, to_tsquery('simple', %s))"
        )
        words = rank_tsquery(queries[0])
        sql = (
            f"SELECT id, {rank} FROM {DOC} WHERE {where} "
            f"ORDER BY 2 DESC, length({BODY_VECTOR}) LIMIT %s"
        )
        return sql, [words, words, *params, limit]

    def raw_page_sql(self, queries: Sequence[LanguageQuery], limit: int) -> list[tuple[str, list]]:
        ranked, ranked_params = self.raw_sql(queries, limit)
        words = rank_tsquery(queries[0])
        where, params = self._raw_match(queries)
        return [
            (
                f"SELECT d.id, ts_headline('simple', d.title, to_tsquery('simple', %s)), "
                f"ts_headline('simple', d.body, to_tsquery('simple', %s)) "
                f"FROM ({ranked}) r JOIN {DOC} d ON d.id = r.id",
                [words, words, *ranked_params],
            ),
            (f"SELECT count(*) FROM {DOC} WHERE {where}", params),
        ]
