"""The page of hits a reader sees, made from the engine's ranked records: each record in the
language it matched in, with a highlighted title and snippet and a link straight to it (a
statement's permalink in its speech). This is the results page's side of search; the engine
(`search.engine`) knows nothing of it.

One query per kind of record on the page, whatever the number of hits, through the published
querysets once more, so a hit whose record is no longer public can never be shown, even for a
moment. Records are read as plain rows, only the fields a hit shows: building model instances
(with their translation bookkeeping) cost more than the search itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from django.db import connection
from django.db.models import F, QuerySet
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString

from search.models import SearchKind
from sessions_app.languages import LANGS, LANGUAGE_NAMES, Texts, in_language
from sessions_app.models import Session, Speaker, Speech, Statement, Topic

from .engine import Record, SearchResults
from .highlight import Matcher, highlight, snippet
from .indexing import plain
from .query import LanguageQuery


@dataclass
class Hit:
    kind: str
    object_id: int
    lang: str
    url: str
    title: SafeString
    snippet: SafeString
    key: str = ""  # a statement's permalink id
    label: SafeString | None = None  # a statement's topic, highlighted
    session: SessionRef | None = None
    speaker: str = ""
    date: dt.date | None = None

    @property
    def kind_label(self) -> str:
        return SearchKind(self.kind).label

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES.get(self.lang, self.lang)


def _t(row: dict, name: str, lang: str) -> str:
    """A text in the hit's own language (the one that matched), else in the languages that
    language falls back to (e.g. a statement's topic not yet translated)."""
    return in_language(Texts(row, name), lang)[0]


def _translated(*names: str, prefix: str = "", via: str = "") -> dict[str, F]:
    return {f"{prefix}{name}_{lang}": F(f"{via}{name}_{lang}") for name in names for lang in LANGS}


# Stand-ins for a URL's arguments, replaced by the real values in a reversed address.
_STAND_INS = {"number": "918273645", "slug": "zq-stand-in-qz"}


@lru_cache(maxsize=128)
def _url_parts(name: str, keys: tuple[str, ...], lang: str, prefix: str) -> list[str]:
    # `lang` and `prefix` key the cache: reverse() reads the active language and the script
    # prefix from the thread.
    url = reverse(name, kwargs={key: _STAND_INS[key] for key in keys})
    return re.split("(" + "|".join(_STAND_INS[key] for key in keys) + ")", url)


def _url(name: str, **kwargs) -> str:
    """reverse(name, kwargs=kwargs), in the active language, without resolving the pattern
    again for every hit: the address is reversed once with stand-ins, which are then replaced
    by the values, quoted as reverse() quotes them."""
    keys = tuple(sorted(kwargs))
    by_stand_in = {_STAND_INS[key]: str(kwargs[key]) for key in keys}
    parts = _url_parts(name, keys, translation.get_language(), get_script_prefix())
    return "".join(
        quote(by_stand_in[part], safe=RFC3986_SUBDELIMS + "/~:@") if part in by_stand_in else part
        for part in parts
    )


def _best_snippet(texts: Iterable[str], match: Matcher) -> SafeString:
    first = None
    for text in texts:
        if not text:
            continue
        html, matched = snippet(text, match)
        if matched:
            return html
        first = first if first is not None else html
    return first if first is not None else SafeString("")


def _speech_url(row: dict, slug: str) -> str:
    return _url("sessions_app:speech-detail", number=row["session_number"], slug=slug)


def _statement(row: dict, lang: str, match: Matcher, page: _Page) -> Hit:
    return Hit(
        kind=SearchKind.STATEMENT,
        object_id=row["pk"],
        lang=lang,
        # As Statement.get_absolute_url(): the speech's address and the statement's anchor.
        url=f"{_speech_url(row, row['speech_slug'])}#s-{row['key']}",
        title=page.highlight(_t(row, "speech_title", lang), match),
        label=page.highlight(_t(row, "topic_name", lang), match),
        snippet=_best_snippet([_t(row, "text", lang)], match),
        key=row["key"],
        session=page.session(row["session_number"], row["session_date"]),
        speaker=_t(row, "speaker_name", page.lang),
        date=row["delivered_on"],
    )


def _speech(row: dict, lang: str, match: Matcher, page: _Page) -> Hit:
    return Hit(
        kind=SearchKind.SPEECH,
        object_id=row["pk"],
        lang=lang,
        url=_speech_url(row, row["slug"]),
        title=highlight(_t(row, "title", lang), match),
        snippet=_best_snippet(
            (  # the speech's text is made plain only when its lead has no match
                text()
                for text in (
                    lambda: _t(row, "lead", lang),
                    lambda: plain(_t(row, "text", lang)),
                    lambda: _t(row, "speaker_name", lang),
                )
            ),
            match,
        ),
        session=page.session(row["session_number"], row["session_date"]),
        speaker=_t(row, "speaker_name", page.lang),
        date=row["delivered_on"],
    )


def _session_hit(row: dict, lang: str, match: Matcher, page: _Page) -> Hit:
    return Hit(
        kind=SearchKind.SESSION,
        object_id=row["pk"],
        lang=lang,
        url=_url("sessions_app:session-detail", number=row["number"]),
        title=highlight(_t(row, "title", lang), match),
        snippet=_best_snippet(
            [_t(row, "summary", lang), _t(row, "participants", lang), _t(row, "venue", lang)],
            match,
        ),
        session=page.session(row["number"], row["date"]),
        date=row["date"],
    )


def _named(kind: str, url_name: str, detail: str):
    def hit(row: dict, lang: str, match: Matcher, page: _Page) -> Hit:
        return Hit(
            kind=kind,
            object_id=row["pk"],
            lang=lang,
            url=_url(url_name, slug=row["slug"]),
            title=highlight(_t(row, "name", lang), match),
            snippet=_best_snippet([_t(row, detail, lang)], match),
        )

    return hit


@dataclass(frozen=True)
class SessionRef:
    """A hit's session: its number and date, named and addressed by Session's own methods."""

    number: int
    date: dt.date | None

    def __str__(self) -> str:
        return str(Session.__str__(self))

    def get_absolute_url(self) -> str:
        return Session.get_absolute_url(self)


class _Page:
    """What the hits of one page share: the reader's language and the sessions."""

    def __init__(self):
        self.lang = translation.get_language()
        self.sessions: dict[int, SessionRef] = {}
        # Statements of one speech share its title and often a topic: each is marked once.
        self._marked: dict[tuple[str, str], SafeString] = {}

    def session(self, number: int, date: dt.date | None) -> SessionRef:
        return self.sessions.setdefault(number, SessionRef(number, date))

    def highlight(self, text: str, match: Matcher) -> SafeString:
        key = (match.lang, text)
        if key not in self._marked:
            self._marked[key] = highlight(text, match)
        return self._marked[key]


class Loader:
    """A kind's public rows, with what a hit shows, for the ids of one page.

    The ORM builds and compiles this query once per process (2 ms of the 3 ms that loading a
    page of hits took: the fields of every language, through the translation layer); each page
    then runs the compiled SQL with its own ids."""

    def __init__(self, rows: Callable[[], QuerySet]):
        self.rows = rows
        self._compiled: dict[str, tuple[str, tuple]] = {}

    def _sql(self) -> tuple[str, tuple]:
        key = f"{connection.alias}:{connection.vendor}"
        if key not in self._compiled:
            sql, params = self.rows().order_by().query.sql_with_params()
            self._compiled[key] = (sql, tuple(params))
        return self._compiled[key]

    def __call__(self, ids: Collection[int]) -> list[dict]:
        if not ids:
            return []
        sql, params = self._sql()
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT * FROM ({sql}) AS page_rows WHERE page_rows."pk" IN ({marks})',
                [*params, *ids],
            )
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


# Each kind: its public rows with what a hit shows, and how a hit is made of a row.
LOADERS: dict[str, Loader] = {
    SearchKind.STATEMENT: Loader(
        lambda: Statement.objects.published().values(
            "pk",
            "key",
            *(f"text_{lang}" for lang in LANGS),
            speech_slug=F("speech__slug"),
            delivered_on=F("speech__delivered_on"),
            session_number=F("speech__session__number"),
            session_date=F("speech__session__date"),
            **_translated("title", prefix="speech_", via="speech__"),
            **_translated("name", prefix="speaker_", via="speech__speaker__"),
            **_translated("name", prefix="topic_", via="topic__"),
        )
    ),
    SearchKind.SPEECH: Loader(
        lambda: Speech.objects.published().values(
            "pk",
            "slug",
            "delivered_on",
            *(f"{name}_{lang}" for name in ("title", "lead", "text") for lang in LANGS),
            session_number=F("session__number"),
            session_date=F("session__date"),
            **_translated("name", prefix="speaker_", via="speaker__"),
        )
    ),
    SearchKind.SESSION: Loader(
        lambda: Session.objects.published().values(
            "pk",
            "number",
            "date",
            *(
                f"{name}_{lang}"
                for name in ("title", "summary", "participants", "venue")
                for lang in LANGS
            ),
        )
    ),
    SearchKind.TOPIC: Loader(
        lambda: Topic.objects.published().values(
            "pk", "slug", *(f"{n}_{lang}" for n in ("name", "description") for lang in LANGS)
        )
    ),
    SearchKind.SPEAKER: Loader(
        lambda: Speaker.objects.published().values(
            "pk", "slug", *(f"{n}_{lang}" for n in ("name", "position") for lang in LANGS)
        )
    ),
}

BUILDERS: dict[str, Callable[[dict, str, Matcher, _Page], Hit]] = {
    SearchKind.STATEMENT: _statement,
    SearchKind.SPEECH: _speech,
    SearchKind.SESSION: _session_hit,
    SearchKind.TOPIC: _named(SearchKind.TOPIC, "sessions_app:topic-detail", "description"),
    SearchKind.SPEAKER: _named(SearchKind.SPEAKER, "sessions_app:speaker-detail", "position"),
}


def build_hits(records: Sequence[Record], queries: Sequence[LanguageQuery]) -> list[Hit]:
    """Hits for the engine's ranked records, in their order."""
    wanted: dict[str, set[int]] = {}
    for record in records:
        wanted.setdefault(record.kind, set()).add(record.object_id)
    rows = {
        kind: {row["pk"]: row for row in LOADERS[kind](object_ids)}
        for kind, object_ids in wanted.items()
    }
    matchers = {q.lang: Matcher(q) for q in queries}
    page = _Page()
    hits: dict[int, Hit] = {}
    # Each hit links to the page in its own language: addresses are reversed in that language.
    for lang in {record.lang for record in records}:
        if lang not in matchers:
            continue
        with translation.override(lang):
            for position, record in enumerate(records):
                row = rows.get(record.kind, {}).get(record.object_id)
                if record.lang == lang and row is not None:
                    hits[position] = BUILDERS[record.kind](row, lang, matchers[lang], page)
    return [hits[position] for position in sorted(hits)]


def hits_for(results: SearchResults) -> list[Hit]:
    """The page of hits for a search's results."""
    return build_hits(results.records, results.queries)
