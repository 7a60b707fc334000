"""SQLite: one FTS5 table per language over the public SearchDocument rows (migration 0003, kept
in step by triggers), ranked with bm25().

Only public rows are in the FTS tables, so a draft cannot be matched at all, and a search reads
nothing but the posting lists of the words asked for."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from sessions_app.models import SearchDocument

from .. import vocabulary
from ..query import LanguageQuery, Term
from .base import DATE, RELEVANCE, RankedPage, SearchBackend

DOC = SearchDocument._meta.db_table
FACET_INDEX = f"{DOC}_facets"  # migration 0004
# Relevance: bm25 of the title column (titles, topics, names) counts TITLE_WEIGHT times bm25 of
# the text. Two bm25() calls rather than one with column weights: FTS5's bm25 adds weighted
# hits into one term frequency, which saturates, so a statement whose topic and text both name
# the word would rank no higher than one where only its topic does.
TITLE_WEIGHT = 2.5


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
        sub, sub_params = restrict.values("id").query.sql_with_params()
        where += f" AND {fts}.rowid IN ({sub})"
        params.extend(sub_params)
    return f"SELECT {columns} FROM {fts}{joins} WHERE {where}", params


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def ranked(
        self,
        queries: Sequence[LanguageQuery],
        *,
        restrict: QuerySet[SearchDocument] | None = None,
        order: str = RELEVANCE,
        offset: int = 0,
        limit: int = 20,
    ) -> RankedPage:
        by_date = order == DATE
        parts = [_restricted(q, restrict, date=by_date) for q in queries]
        union = " UNION ALL ".join(sql for sql, _ in parts)
        params = [p for _, part_params in parts for p in part_params]
        sort = ["score", "id"]
        if by_date:
            sort.insert(0, "date DESC NULLS LAST")
        # The page is cut first; only its rows are joined to their documents.
        sql = (
            f"SELECT d.id, d.kind, d.object_id, d.lang FROM "
            f"(SELECT * FROM ({union}) ORDER BY {', '.join(sort)} LIMIT %s OFFSET %s) r "
            f"JOIN {DOC} d ON d.id = r.id ORDER BY {', '.join('r.' + c for c in sort)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            rows = cursor.fetchall()
        total = self.count(queries, restrict) if rows or offset else 0
        return RankedPage(rows=rows, total=total)

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
                sub, sub_params = restrict.values("id").query.sql_with_params()
                sql += f" AND {fts}.rowid IN ({sub})"
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
        yield
        with connection.cursor() as cursor:
            for lang in settings.MODELTRANSLATION_LANGUAGES:
                fts = fts_table(lang)
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            for _, sql in triggers:
                cursor.execute(sql)

    def optimise(self) -> None:
        """Merge each FTS table's segments into one (after a rebuild): faster queries."""
        with connection.cursor() as cursor:
            for lang in settings.MODELTRANSLATION_LANGUAGES:
                cursor.execute(
                    f"INSERT INTO {fts_table(lang)}({fts_table(lang)}) VALUES ('optimize')"
                )

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
