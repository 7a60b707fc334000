"""SQLite: an FTS5 table over SearchDocument (migration 0002), ranked with bm25().

The table's `tags` column holds the row's language and "public", so the language and the
visibility are part of the MATCH itself and an unfiltered search never leaves the FTS index
until it has its page of ids."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from sessions_app.models import SearchDocument

from .. import vocabulary
from ..query import LanguageQuery, Term
from .base import DATE, RELEVANCE, RankedPage, SearchBackend

FTS = "sessions_app_searchdocument_fts"
DOC = SearchDocument._meta.db_table
# Relevance: bm25 of the title column (titles, topics, names) counts TITLE_WEIGHT times bm25 of
# the text. Two bm25() calls rather than one with column weights: FTS5's bm25 adds weighted
# hits into one term frequency, which saturates, so a statement whose topic and text both name
# the word would rank no higher than one where only its topic does.
TITLE_WEIGHT = 2.5
RANK = f"({TITLE_WEIGHT} * bm25({FTS}, 1.0, 0.0, 0.0) + bm25({FTS}, 0.0, 1.0, 0.0))"
TEXT = "{title body}"


def _quote(tokens: Sequence[str]) -> str:
    # Tokens are letters and digits only (terms.py); quoting makes each a plain string anyway.
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def _term(term: Term) -> str:
    phrase = _quote(term.tokens) + (" *" if term.prefix else "")
    if not term.expansions:
        return phrase
    return "(" + " OR ".join([phrase, *(_quote((e,)) for e in term.expansions)]) + ")"


def _language(query: LanguageQuery) -> str:
    clauses = " AND ".join(
        "(" + " OR ".join(_term(t) for t in clause) + ")" for clause in query.clauses
    )
    expr = f"(tags : {_quote((query.lang,))} AND {TEXT} : ({clauses}))"
    if query.excluded:
        excluded = " OR ".join(_term(t) for t in query.excluded)
        expr = f"({expr} NOT {TEXT} : ({excluded}))"
    return expr


def compile_match(queries: Sequence[LanguageQuery]) -> str:
    """The FTS5 MATCH expression: public rows that match in any of the languages."""
    return 'tags : "public" AND (' + " OR ".join(_language(q) for q in queries) + ")"


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
        params: list = [compile_match(queries)]
        where = f"{FTS} MATCH %s"
        if restrict is not None:
            sub, sub_params = restrict.values("id").query.sql_with_params()
            where += f" AND {FTS}.rowid IN ({sub})"
            params.extend(sub_params)
        # bm25() may not be used next to a window function: rank in the inner query, count
        # all matches in the outer one, in the same pass.
        if order == DATE:
            inner = (
                f"SELECT {FTS}.rowid AS id, {RANK} AS score, d.date AS date FROM {FTS} "
                f"JOIN {DOC} d ON d.id = {FTS}.rowid WHERE {where}"
            )
            sort = "date DESC NULLS LAST, score, id"
        else:
            inner = f"SELECT rowid AS id, {RANK} AS score FROM {FTS} WHERE {where}"
            sort = "score, id"
        sql = f"SELECT id, count(*) OVER () FROM ({inner}) ORDER BY {sort} LIMIT %s OFFSET %s"
        params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return RankedPage(ids=[r[0] for r in rows], total=rows[0][1] if rows else 0)

    def matching(self, queries: Sequence[LanguageQuery]) -> Q:
        return Q(
            id__in=RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [compile_match(queries)])
        )

    def similar_forms(self, lang: str, form: str, limit: int):
        return vocabulary.similar_forms_python(lang, form, limit)

    def raw_sql(self, queries: Sequence[LanguageQuery], limit: int) -> tuple[str, list]:
        return (
            f"SELECT rowid, {RANK} FROM {FTS} WHERE {FTS} MATCH %s ORDER BY 2 LIMIT %s",
            [compile_match(queries), limit],
        )
