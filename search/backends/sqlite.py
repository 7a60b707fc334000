"""SQLite: one FTS5 table per language over the public SearchDocument rows (migration 0003, kept
in step by triggers), ranked with bm25().

Only public rows are in the FTS tables, so a draft cannot be matched at all, and a search reads
nothing but the posting lists of the words asked for."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from search.models import SearchDocument
from sessions_app.languages import LANGS

from .. import vocabulary
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
FACET_INDEX = f"{DOC}_facets"  # migration 0004
# Relevance: bm25 of the title column (titles, topics, names) counts TITLE_WEIGHT times bm25 of
# the text. Two bm25() calls rather than one with column weights: FTS5's bm25 adds weighted
# hits into one term frequency, which saturates, so a statement whose topic and text both name
# the word would rank no higher than one where only its topic does.
TITLE_WEIGHT = 2.5
# Frequent words keep their ranking ready (migration 0005): a word in at least
# RANKED_MIN_MATCHES public documents of a language has its best RANKED_DEPTH documents stored
# in order, with its count. A search for that word alone, by relevance and without filters,
# then reads its page from there (20 rows) instead of scoring every document with the word
# (24,000 for "government" in the benchmark: 35 ms). Exact, not an estimate: the stored order is
# bm25's own, and any change to a language's public index deletes that language's lists (the
# migration's triggers); the next search for such a word ranks it afresh and keeps the result.
RANKS = f"{DOC}_ranks"
RANKED = f"{DOC}_ranked"
# With each kept ranking, the word's filter counts (migration 0007), read only through its row
# in RANKED, so they are exactly as up to date as the ranking.
FACETS = f"{DOC}_ranked_facets"
RANKED_MIN_MATCHES = 1000
RANKED_DEPTH = 200

# How often (in virtual-machine steps) a search under a time limit looks at the clock.
PROGRESS_STEPS = 20_000


def fts_table(lang: str) -> str:
    return f"{DOC}_fts_{lang}"


def rank(lang: str) -> str:
    fts = fts_table(lang)
    return f"({TITLE_WEIGHT} * bm25({fts}, 1.0, 0.0) + bm25({fts}, 0.0, 1.0))"


def _quote(tokens: Sequence[str]) -> str:
    # Tokens are letters and digits only (terms.py); quoting makes each a plain string anyway.
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def _term(term: Term) -> str:
    phrase = _quote(term.tokens) + (" *" if term.prefix else "")
    if not term.expansions:
        return phrase
    return "(" + " OR ".join([phrase, *(_quote((e,)) for e in term.expansions)]) + ")"


def compile_match(query: LanguageQuery) -> str:
    """The FTS5 MATCH expression for one language's table."""
    expr = " AND ".join(
        "(" + " OR ".join(_term(t) for t in clause) + ")" for clause in query.clauses
    )
    if query.excluded:
        expr = f"({expr}) NOT (" + " OR ".join(_term(t) for t in query.excluded) + ")"
    return expr


def _restricted(
    query: LanguageQuery, restrict: QuerySet[SearchDocument] | None, *, date: bool = False
) -> tuple[str, list]:
    """SELECT id, score[, date] of one language's matches, within `restrict` if given."""
    fts = fts_table(query.lang)
    params: list = [compile_match(query)]
    columns = f"{fts}.rowid AS id, {rank(query.lang)} AS score"
    joins = ""
    if date:
        columns += ", d.date AS date"
        joins = f" JOIN {DOC} d ON d.id = {fts}.rowid"
    where = f"{fts} MATCH %s"
    if restrict is not None:
        sub, sub_params = _within(fts, restrict)
        where += sub
        params.extend(sub_params)
    return f"SELECT {columns} FROM {fts}{joins} WHERE {where}", params


def _within(fts: str, restrict: QuerySet[SearchDocument]) -> tuple[str, list]:
    """` AND <the FTS row is one of the filtered documents>`, as a test made on each match by
    its primary key. Given `rowid IN (the filtered documents)` as a constraint, FTS5 ran the
    whole MATCH once for every filtered document (a year's 20,000 documents: a minute on
    200,000 statements); building the filtered set once and looking the matches up in it still
    read a year's documents on every search. Checking each match costs a lookup per match."""
    sub, params = (
        restrict.order_by().filter(pk=RawSQL(f"{fts}.rowid", [])).values("id")
    ).query.sql_with_params()
    return f" AND EXISTS ({sub})", list(params)


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    @contextmanager
    def time_limit(self, milliseconds: int) -> Iterator[None]:
        # SQLite calls the handler every PROGRESS_STEPS virtual-machine steps (well under a
        # millisecond); a true answer interrupts the statement running.
        connection.ensure_connection()
        raw = connection.connection
        deadline = time.monotonic() + milliseconds / 1000
        stopped = []

        def past_deadline() -> bool:
            if time.monotonic() > deadline:
                stopped.append(True)
                return True
            return False

        raw.set_progress_handler(past_deadline, PROGRESS_STEPS)
        try:
            yield
        except OperationalError as error:
            # Usually "interrupted"; "vtable constructor failed" when it fell on FTS5's setup.
            if stopped:
                raise SearchTimeout from error
            raise
        finally:
            raw.set_progress_handler(None, 0)

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
                return merged(
                    [
                        self._kept(q.lang, w, depth) or self._ranked_now(q.lang, w, depth)
                        for q, w in zip(queries, words, strict=True)
                    ],
                    offset,
                    limit,
                )
        by_date = order == DATE
        parts = [_restricted(q, restrict, date=by_date) for q in queries]
        union = " UNION ALL ".join(sql for sql, _ in parts)
        params = [p for _, part_params in parts for p in part_params]
        sort = ["score", "id"]
        if by_date:
            sort.insert(0, "date DESC NULLS LAST")
        # The page is cut first; only its rows are joined to their documents. With filters,
        # the matches are counted in the same pass (each match is checked against the filters
        # once, not again by a second count); without, the count reads the index alone.
        counted = restrict is not None
        matches = f"SELECT *, count(*) OVER () AS total FROM ({union})" if counted else union
        sql = (
            f"SELECT d.id, d.kind, d.object_id, d.lang, -r.score"
            f"{', r.total' if counted else ''} FROM "
            f"(SELECT * FROM ({matches}) ORDER BY {', '.join(sort)} LIMIT %s OFFSET %s) r "
            f"JOIN {DOC} d ON d.id = r.id ORDER BY {', '.join('r.' + c for c in sort)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            rows = cursor.fetchall()
        if counted:
            total = rows[0][5] if rows else (self.count(queries, restrict) if offset else 0)
            return RankedPage(rows=[row[:5] for row in rows], total=total)
        total = self.count(queries, restrict) if rows or offset else 0
        return RankedPage(rows=rows, total=total)

    def _kept(self, lang: str, word: str, depth: int) -> tuple[list[tuple], int] | None:
        """The word's kept ranking: its best `depth` documents, (score, id, kind, object_id,
        lang) best first, and its count, in one query; None when none is up to date."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT k.total, r.score, d.id, d.kind, d.object_id, d.lang FROM {RANKED} k "
                f"LEFT JOIN {RANKS} r ON r.lang = k.lang AND r.term = k.term AND r.position < %s "
                f"LEFT JOIN {DOC} d ON d.id = r.doc_id "
                "WHERE k.lang = %s AND k.term = %s ORDER BY r.position",
                [depth, lang, word],
            )
            rows = cursor.fetchall()
        if not rows:
            return None
        return [row[1:] for row in rows if row[2] is not None], rows[0][0]

    def _ranked_now(self, lang: str, word: str, depth: int) -> tuple[list[tuple], int]:
        """A word without a kept ranking: its best `depth` documents and its count, as _kept()
        gives them; a frequent word's ranking is made and kept (never waiting for a writer)."""
        total = self._count_word(lang, word)
        if total >= RANKED_MIN_MATCHES:
            return self.keep_ranking(lang, word, wait=False)
        return self._rank_word(lang, word, depth), total

    def keep_ranking(self, lang: str, word: str, *, wait: bool = True) -> tuple[list[tuple], int]:
        """Rank a word afresh, its best RANKED_DEPTH documents and its count, and keep them if
        the word is frequent. Ranked and kept in one transaction: a change committed meanwhile
        makes the write fail (SQLite's snapshot rule) rather than keep a stale ranking. With
        wait=False (a reader's search) it never waits for a writer: busy or read-only, the
        ranking is returned but not kept."""
        ranking = None
        try:
            with transaction.atomic():
                ranking = self._rank_word(lang, word, RANKED_DEPTH), self._count_word(lang, word)
                if ranking[1] >= RANKED_MIN_MATCHES:
                    facets = self.word_facet_counts(lang, word)
                    self._keep(lang, word, *ranking, facets=facets, wait=wait)
        except DatabaseError:
            if ranking is None or wait:
                raise
        return ranking

    def _rank_word(self, lang: str, word: str, limit: int) -> list[tuple]:
        """(score, id, kind, object_id, lang) of the word's best `limit` documents."""
        fts = fts_table(lang)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.score, r.id, d.kind, d.object_id, d.lang FROM "
                f"(SELECT * FROM (SELECT {rank(lang)} AS score, rowid AS id FROM {fts} "
                f"WHERE {fts} MATCH %s) ORDER BY score, id LIMIT %s) r "
                f"JOIN {DOC} d ON d.id = r.id ORDER BY r.score, r.id",
                [_quote((word,)), limit],
            )
            return cursor.fetchall()

    def _count_word(self, lang: str, word: str) -> int:
        fts = fts_table(lang)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH %s", [_quote((word,))])
            return cursor.fetchone()[0]

    def _keep(
        self,
        lang: str,
        word: str,
        ranking: list[tuple],
        total: int,
        *,
        facets: list[Counter],
        wait: bool,
    ) -> None:
        with connection.cursor() as cursor:
            if not wait:  # a reader's page never waits for a writer
                cursor.execute("PRAGMA busy_timeout")
                timeout = cursor.fetchone()[0]
                cursor.execute("PRAGMA busy_timeout = 0")
            try:
                cursor.execute(f"DELETE FROM {RANKS} WHERE lang = %s AND term = %s", [lang, word])
                cursor.executemany(
                    f"INSERT INTO {RANKS} (lang, term, position, doc_id, score) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [(lang, word, i, row[1], row[0]) for i, row in enumerate(ranking)],
                )
                self._write_facets(cursor, FACETS, lang, word, facets)
                cursor.execute(
                    f"INSERT OR REPLACE INTO {RANKED} (lang, term, total) VALUES (%s, %s, %s)",
                    [lang, word, total],
                )
            finally:
                if not wait:
                    cursor.execute(f"PRAGMA busy_timeout = {int(timeout)}")

    def min_kept_matches(self) -> int:
        return RANKED_MIN_MATCHES

    def _kept_facets_sql(self, lang: str, word: str) -> tuple[str, list]:
        return (
            f"SELECT f.facet, f.key, f.n FROM {RANKED} k JOIN {FACETS} f "
            "ON f.lang = k.lang AND f.term = k.term WHERE k.lang = %s AND k.term = %s",
            [lang, word],
        )

    def rank_frequent_words(self) -> int:
        """Rank every word of at least RANKED_MIN_MATCHES public documents, in every language,
        and keep the rankings (after a rebuild: the first searches need not make them).
        Returns how many words were ranked."""
        ranked = 0
        for lang in LANGS:
            vocab = f"temp.{fts_table(lang)}_vocab"
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab} "
                    f"USING fts5vocab(main, {fts_table(lang)}, row)"
                )
                cursor.execute(f"SELECT term FROM {vocab} WHERE doc >= %s", [RANKED_MIN_MATCHES])
                words = [row[0] for row in cursor.fetchall()]
                cursor.execute(f"DROP TABLE {vocab}")
                for word in words:
                    ranked += self.keep_ranking(lang, word)[1] >= RANKED_MIN_MATCHES
        return ranked

    def count(
        self,
        queries: Sequence[LanguageQuery],
        restrict: QuerySet[SearchDocument] | None = None,
    ) -> int:
        parts, params = [], []
        for q in queries:
            fts = fts_table(q.lang)
            sql = f"SELECT count(*) FROM {fts} WHERE {fts} MATCH %s"
            params.append(compile_match(q))
            if restrict is not None:
                sub, sub_params = _within(fts, restrict)
                sql += sub
                params.extend(sub_params)
            parts.append(f"({sql})")
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + " + ".join(parts), params)
            return cursor.fetchone()[0]

    def matching(self, queries: Sequence[LanguageQuery]) -> Q:
        sql = " UNION ALL ".join(
            f"SELECT rowid FROM {fts_table(q.lang)} WHERE {fts_table(q.lang)} MATCH %s"
            for q in queries
        )
        return Q(id__in=RawSQL(sql, [compile_match(q) for q in queries]))

    def similar_forms(self, lang: str, form: str, limit: int):
        return vocabulary.similar_forms_python(lang, form, limit)

    def facet_source(self, sql: str) -> str:
        # From the covering index of migration 0004, not from the rows with their whole text:
        # SQLite's planner picks the rowid lookup on its own, which reads twice as many pages.
        table = f'FROM "{DOC}"'
        return sql.replace(table, f'{table} INDEXED BY "{FACET_INDEX}"', 1)

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Without the triggers that index row by row (the rows are written much faster), then
        each language's FTS table rebuilt from its view in one pass, and the triggers put back
        as they were. All inside the caller's transaction: on an error, nothing changes."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [DOC],
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            # What the triggers would have done: every word's ranking is out of date.
            cursor.execute(f"DELETE FROM {RANKED}")
            cursor.execute(f"DELETE FROM {RANKS}")
            cursor.execute(f"DELETE FROM {FACETS}")
        yield
        with connection.cursor() as cursor:
            for lang in LANGS:
                fts = fts_table(lang)
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            for _, sql in triggers:
                cursor.execute(sql)

    def optimise(self) -> None:
        """Merge each FTS table's segments into one (after a rebuild): faster queries. Then
        rank the frequent words."""
        with connection.cursor() as cursor:
            for lang in LANGS:
                cursor.execute(
                    f"INSERT INTO {fts_table(lang)}({fts_table(lang)}) VALUES ('optimize')"
                )
        self.rank_frequent_words()

    def raw_sql(self, queries: Sequence[LanguageQuery], limit: int) -> tuple[str, list]:
        q = queries[0]
        fts = fts_table(q.lang)
        return (
            f"SELECT rowid, {rank(q.lang)} FROM {fts} WHERE {fts} MATCH %s ORDER BY 2 LIMIT %s",
            [compile_match(q), limit],
        )

    def raw_page_sql(self, queries: Sequence[LanguageQuery], limit: int) -> list[tuple[str, list]]:
        q = queries[0]
        fts, match = fts_table(q.lang), compile_match(q)
        return [
            (
                f"SELECT rowid, highlight({fts}, 0, '<mark>', '</mark>'), "
                f"snippet({fts}, 1, '<mark>', '</mark>', '…', 40) FROM {fts} "
                f"WHERE {fts} MATCH %s ORDER BY {rank(q.lang)} LIMIT %s",
                [match, limit],
            ),
            (f"SELECT count(*) FROM {fts} WHERE {fts} MATCH %s", [match]),
        ]
