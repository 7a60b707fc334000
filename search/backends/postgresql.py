"""PostgreSQL: a generated tsvector column over SearchDocument with a GIN index (migration 0002),
ranked with ts_rank; pg_trgm finds similar words for "did you mean". Frequent words keep their
ranking ready (migration 0006), as on SQLite."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import BooleanField, Case, Count, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL, Window

from search.models import SearchDocument, SearchTerm

from ..query import LanguageQuery, Term
from .base import (
    DATE,
    RELEVANCE,
    RankedPage,
    SearchBackend,
    SearchTimeout,
    merged,
    single_word,
)

DOC = SearchDocument._meta.db_table
TITLE_VECTOR = f'"{DOC}"."title_vector"'
BODY_VECTOR = f'"{DOC}"."body_vector"'
# What is matched: the title's words, then the text's, under a GIN index on this very
# expression (migration 0002), so that each text is made a vector once.
VECTOR = f"({TITLE_VECTOR} || {BODY_VECTOR})"
# Relevance: ts_rank of the title (titles, topics, names) counts TITLE_WEIGHT times ts_rank of
# the text, each ranked by any of the query's words. One ts_rank over the weighted whole made a
# topic that names the word twice outrank statements that also name it themselves (it counts
# repeats less and less, 1, 1/4, 1/9…, and takes the best weight first); as on SQLite, the two
# parts are ranked apart and added.
TITLE_WEIGHT = 2.5
# Frequent words keep their ranking ready (migration 0006): a word in at least
# RANKED_MIN_MATCHES public documents of a language has its best RANKED_DEPTH documents stored in
# order, with its count and the index's generation. A search for that word alone, by relevance
# and without filters, reads its page from there instead of ranking every document that has the
# word (ts_rank reads each one's vectors: about 250 ms for "government" in the benchmark). Any
# statement that writes to the index moves the generation on; a ranking of another generation
# is never read, and the next search ranks the word afresh and keeps it. Unlike SQLite's, these
# rankings are made by the first search for the word, not by a rebuild (ranking the 2,000
# frequent words of the benchmark would take 10 minutes here).
RANKS = f"{DOC}_pg_ranks"
RANKED = f"{DOC}_pg_ranked"
GENERATION = f"{DOC}_generation"
# With each kept ranking, the word's filter counts (migration 0007), of the same generation.
FACETS = f"{DOC}_pg_ranked_facets"
RANKED_MIN_MATCHES = 1000
RANKED_DEPTH = 200
# How long a reader's search waits for another's lock before it gives up keeping its ranking.
KEEP_LOCK_TIMEOUT = "100ms"


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

    @contextmanager
    def time_limit(self, milliseconds: int) -> Iterator[None]:
        # statement_timeout for this transaction only (SET LOCAL), each statement inside
        # stopped by the server once it runs longer.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [str(milliseconds)]
                )
            try:
                yield
            except OperationalError as error:
                if getattr(error.__cause__, "sqlstate", None) == "57014":  # query_canceled
                    raise SearchTimeout from error
                raise
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout TO DEFAULT")

    def ranked(
        self,
        queries: Sequence[LanguageQuery],
        *,
        restrict: QuerySet[SearchDocument] | None = None,
        order: str = RELEVANCE,
        offset: int = 0,
        limit: int = 20,
    ) -> RankedPage:
        if restrict is None and order == RELEVANCE and offset + limit <= RANKED_DEPTH:
            words = [single_word(q) for q in queries]
            if all(words):
                depth = offset + limit
                rankings = []
                for q, w in zip(queries, words, strict=True):
                    generation, kept = self._kept(q.lang, w, depth)
                    rankings.append(kept or self._ranked_now(q, w, depth, generation))
                return merged(rankings, offset, limit)
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
            qs.values_list("id", "kind", "object_id", "lang", "score", "total")[
                offset : offset + limit
            ]
        )
        return RankedPage(rows=[r[:5] for r in rows], total=rows[0][5] if rows else 0)

    def _kept(self, lang: str, word: str, depth: int) -> tuple[int, tuple[list[tuple], int] | None]:
        """The index's present generation, and the word's kept ranking if it is of that
        generation: its best `depth` documents as (-score, length, id, kind, object_id, lang),
        best first (the order of ranked()), and its count; in one query."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT g.generation, k.total, r.score, r.length, d.id, d.kind, d.object_id, "
                f"d.lang FROM {GENERATION} g LEFT JOIN {RANKED} k "
                "ON k.lang = %s AND k.term = %s AND k.generation = g.generation "
                f"LEFT JOIN {RANKS} r ON r.lang = k.lang AND r.term = k.term AND r.position < %s "
                f"LEFT JOIN {DOC} d ON d.id = r.doc_id WHERE g.id = 1 ORDER BY r.position",
                [lang, word, depth],
            )
            rows = cursor.fetchall()
        if not rows or rows[0][1] is None:
            return (rows[0][0] if rows else None), None
        entries = [(-row[2], row[3], *row[4:]) for row in rows if row[4] is not None]
        return rows[0][0], (entries, rows[0][1])

    def min_kept_matches(self) -> int:
        return RANKED_MIN_MATCHES

    def _kept_facets_sql(self, lang: str, word: str) -> tuple[str, list]:
        return (
            f"SELECT f.facet, f.key, f.n FROM {RANKED} k "
            f"JOIN {GENERATION} g ON g.id = 1 AND g.generation = k.generation "
            f"JOIN {FACETS} f ON f.lang = k.lang AND f.term = k.term "
            "WHERE k.lang = %s AND k.term = %s",
            [lang, word],
        )

    def _word_ranking(self, query: LanguageQuery, limit: int) -> tuple[list[tuple], int]:
        """A one-word query's best `limit` documents as _kept() gives them, and its count, ranked
        now by the same expression and order as ranked()."""
        length = RawSQL(f"length({BODY_VECTOR})", [], output_field=FloatField())
        rows = list(
            SearchDocument.objects.filter(self.matching([query]))
            .annotate(score=self._rank([query]), total=Window(Count("id")), length=length)
            .order_by("-score", "length", "id")
            .values_list("score", "length", "id", "kind", "object_id", "lang", "total")[:limit]
        )
        return [(-row[0], int(row[1]), *row[2:6]) for row in rows], (rows[0][6] if rows else 0)

    def _ranked_now(
        self, query: LanguageQuery, word: str, depth: int, generation: int | None
    ) -> tuple[list[tuple], int]:
        """A word without a ranking of the present generation: ranked afresh, and kept if it is
        frequent, under `generation`, read before the ranking was made: so a change committed
        meanwhile leaves the kept ranking behind. A reader never waits long for another's lock:
        then the ranking is shown but not kept."""
        entries, total = self._word_ranking(query, max(depth, RANKED_DEPTH))
        if generation is not None and total >= RANKED_MIN_MATCHES:
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    facets = self.word_facet_counts(query.lang, word)
                    self._keep(
                        cursor,
                        query.lang,
                        word,
                        entries,
                        total,
                        facets=facets,
                        generation=generation,
                    )
            except DatabaseError:
                pass  # another reader is keeping it, or the database is read-only
        return entries[:depth], total

    def _keep(
        self,
        cursor,
        lang: str,
        word: str,
        entries: list[tuple],
        total: int,
        *,
        facets: list[Counter],
        generation: int,
    ) -> None:
        cursor.execute("SELECT current_setting('lock_timeout')")
        timeout = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [KEEP_LOCK_TIMEOUT])
        cursor.execute(f"DELETE FROM {RANKS} WHERE lang = %s AND term = %s", [lang, word])
        cursor.executemany(
            f"INSERT INTO {RANKS} (lang, term, position, doc_id, score, length) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [(lang, word, i, e[2], -e[0], e[1]) for i, e in enumerate(entries)],
        )
        self._write_facets(cursor, FACETS, lang, word, facets)
        cursor.execute(
            f"INSERT INTO {RANKED} (lang, term, total, generation) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (lang, term) DO UPDATE "
            "SET total = excluded.total, generation = excluded.generation",
            [lang, word, total, generation],
        )
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [timeout])

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
