"""What is indexed for each kind of record, and keeping SearchDocument in step with the content.

One SearchDocument per record and language that has text in that language. Titles (a speech's
title, a statement's topic, a topic's or speaker's name) go to the weighted `title` column, the
rest to `body`. Visibility (`is_public`) comes from the published querysets, so "published"
means here exactly what it means on every page.
"""

from __future__ import annotations

import html
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.html import strip_tags

from search.models import SearchDocument, SearchKind, SearchTerm
from sessions_app.languages import LANGS
from sessions_app.models import Figure, Session, Speaker, Speech, Statement, Topic

from . import terms as T
from . import vocabulary
from .backends import get_backend


def _t(row: dict, name: str, lang: str) -> str:
    return row.get(f"{name}_{lang}") or ""


def _translated(*names: str) -> list[str]:
    return [f"{name}_{lang}" for name in names for lang in LANGS]


def plain(value: str) -> str:
    """A speech's full text may be simple HTML: index and show the words, not the tags."""
    if "<" in value or "&" in value:
        value = html.unescape(strip_tags(value.replace("<", " <")))
    return value


# Records are read as plain rows (values()), not model instances: a rebuild reads the whole
# archive, and only these fields matter. For each kind: the rows, their (title, body) texts in a
# language, and where they belong (session, speech, topic, speaker, date).


def _statement_rows() -> QuerySet:
    return Statement.objects.values(
        "pk",
        "speech_id",
        "topic_id",
        *_translated("text"),
        session_id=F("speech__session_id"),
        speaker_id=F("speech__speaker_id"),
        date=F("speech__delivered_on"),
        **{f"topic_name_{lang}": F(f"topic__name_{lang}") for lang in LANGS},
    )


def _with_figures(rows: list[dict]) -> list[dict]:
    """A statement's figures are part of its text."""
    figures: dict[int, list[dict]] = defaultdict(list)
    for figure in (
        Figure.objects.filter(statement_id__in=[row["pk"] for row in rows])
        .order_by("statement_id", "order", "pk")
        .values("statement_id", "value", *_translated("unit", "label"))
    ):
        figures[figure["statement_id"]].append(figure)
    for row in rows:
        row["figures"] = figures.get(row["pk"], [])
    return rows


def _statement_fields(row: dict, lang: str) -> tuple[list[str], list[str]]:
    figures = [
        f"{f['value'].normalize():f} {_t(f, 'unit', lang)} {_t(f, 'label', lang)}"
        for f in row["figures"]
    ]
    return [_t(row, "topic_name", lang)], [_t(row, "text", lang), *figures]


def _speech_fields(row: dict, lang: str) -> tuple[list[str], list[str]]:
    return [_t(row, "title", lang)], [
        _t(row, "lead", lang),
        plain(_t(row, "text", lang)),
        _t(row, "speaker_name", lang),
    ]


def _session_fields(row: dict, lang: str) -> tuple[list[str], list[str]]:
    title = _t(row, "title", lang)
    return [title, str(row["number"])] if title else [], [
        _t(row, "summary", lang),
        _t(row, "participants", lang),
        _t(row, "venue", lang),
    ]


def _topic_fields(row: dict, lang: str) -> tuple[list[str], list[str]]:
    return [_t(row, "name", lang)], [_t(row, "description", lang)]


def _speaker_fields(row: dict, lang: str) -> tuple[list[str], list[str]]:
    return [_t(row, "name", lang)], [_t(row, "position", lang)]


@dataclass(frozen=True)
class KindSpec:
    kind: str
    rows: Callable[[], QuerySet]  # values() of the records
    public: Callable[[], QuerySet]  # the published records of this kind
    fields: Callable[[dict, str], tuple[list[str], list[str]]]
    place: Callable[[dict], dict]  # session, speech, topic, speaker, date
    complete: Callable[[list[dict]], list[dict]] = lambda rows: rows


SPECS: dict[str, KindSpec] = {
    SearchKind.STATEMENT: KindSpec(
        SearchKind.STATEMENT,
        _statement_rows,
        lambda: Statement.objects.published(),
        _statement_fields,
        lambda row: {
            key: row[key] for key in ("session_id", "speech_id", "topic_id", "speaker_id", "date")
        },
        _with_figures,
    ),
    SearchKind.SPEECH: KindSpec(
        SearchKind.SPEECH,
        lambda: Speech.objects.values(
            "pk",
            "session_id",
            "speaker_id",
            "delivered_on",
            *_translated("title", "lead", "text"),
            **{f"speaker_name_{lang}": F(f"speaker__name_{lang}") for lang in LANGS},
        ),
        lambda: Speech.objects.published(),
        _speech_fields,
        lambda row: {
            "session_id": row["session_id"],
            "speech_id": row["pk"],
            "speaker_id": row["speaker_id"],
            "date": row["delivered_on"],
        },
    ),
    SearchKind.SESSION: KindSpec(
        SearchKind.SESSION,
        lambda: Session.objects.values(
            "pk", "number", "date", *_translated("title", "summary", "participants", "venue")
        ),
        lambda: Session.objects.published(),
        _session_fields,
        lambda row: {"session_id": row["pk"], "date": row["date"]},
    ),
    SearchKind.TOPIC: KindSpec(
        SearchKind.TOPIC,
        lambda: Topic.objects.values("pk", *_translated("name", "description")),
        lambda: Topic.objects.published(),
        _topic_fields,
        lambda row: {"topic_id": row["pk"]},
    ),
    SearchKind.SPEAKER: KindSpec(
        SearchKind.SPEAKER,
        lambda: Speaker.objects.values("pk", *_translated("name", "position")),
        lambda: Speaker.objects.published(),
        _speaker_fields,
        lambda row: {"speaker_id": row["pk"]},
    ),
}


@dataclass
class Built:
    documents: list[SearchDocument] = field(default_factory=list)
    forms: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # Each written word's terms, per language: most words recur, and a dict is the quickest
    # way to look them up again.
    words: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)


def _normalise(texts: Iterable[str], lang: str, into: Built) -> str:
    seen = into.words.setdefault(lang, {})
    out: list[str] = []
    for value in texts:
        if not value:
            continue
        for word in T.words(value):
            terms = seen.get(word)
            if terms is None:
                terms = seen[word] = T.terms(word, lang)
                form = T.form(word, lang) if len(terms) == 1 else ""
                if form and len(form) <= 100 and len(terms[0]) <= 100:
                    into.forms.setdefault((lang, form), (terms[0], word.lower()[:100]))
            out.extend(terms)
    return " ".join(out)


def build(kind: str, rows: Iterable[dict], public_ids: set[int], into: Built) -> Built:
    spec = SPECS[kind]
    for row in rows:
        place = spec.place(row)
        for lang in LANGS:
            titles, bodies = spec.fields(row, lang)
            if not any(t.strip() for t in titles + bodies):
                continue
            into.documents.append(
                SearchDocument(
                    kind=kind,
                    object_id=row["pk"],
                    lang=lang,
                    title=_normalise(titles, lang, into),
                    body=_normalise(bodies, lang, into),
                    is_public=row["pk"] in public_ids,
                    **place,
                )
            )
    return into


def index(kind: str, ids: Iterable[int], *, words: dict | None = None) -> None:
    """(Re)build the documents of these records; records that no longer exist lose theirs.
    `words`: the terms of words already normalised (Built.words), shared by the calls of one
    flush, so that an import normalises each distinct word once, not once a chunk."""
    ids = sorted(set(ids))
    spec = SPECS[kind]
    words = {} if words is None else words
    forms: dict[tuple[str, str], tuple[str, str]] = {}
    for chunk in (ids[i : i + 1000] for i in range(0, len(ids), 1000)):
        rows = spec.complete(list(spec.rows().filter(pk__in=chunk)))
        public_ids = set(spec.public().filter(pk__in=chunk).values_list("pk", flat=True))
        built = build(kind, rows, public_ids, Built(words=words))
        SearchDocument.objects.filter(kind=kind, object_id__in=chunk).delete()
        SearchDocument.objects.bulk_create(built.documents, batch_size=1000)
        for key, value in built.forms.items():
            forms.setdefault(key, value)
    vocabulary.record(forms)


def _sync_flag(docs: QuerySet[SearchDocument], public: QuerySet) -> None:
    """Set is_public from `public` (a queryset of the records), touching only the rows whose
    flag changes (on SQLite every row touched is indexed again by the FTS trigger)."""
    public_ids = public.values("pk")
    docs.filter(is_public=False, object_id__in=public_ids).update(is_public=True)
    docs.filter(is_public=True).exclude(object_id__in=public_ids).update(is_public=False)


def sync_visibility(*, session_ids: Iterable[int] = (), speech_ids: Iterable[int] = ()) -> None:
    """After a status change: the public flag of the speeches and statements of these sessions
    and speeches, and of every topic and speaker (shown only while something public uses
    them)."""
    for scope, ids in (("session_id__in", list(session_ids)), ("speech_id__in", list(speech_ids))):
        if ids:
            docs = SearchDocument.objects.filter(**{scope: ids})
            _sync_flag(docs.filter(kind=SearchKind.SPEECH), Speech.objects.published())
            _sync_flag(docs.filter(kind=SearchKind.STATEMENT), Statement.objects.published())
    _sync_flag(SearchDocument.objects.filter(kind=SearchKind.TOPIC), Topic.objects.published())
    _sync_flag(SearchDocument.objects.filter(kind=SearchKind.SPEAKER), Speaker.objects.published())


def follow_speeches(speech_ids: Iterable[int]) -> None:
    """Statements belong where their speech is: its session, speaker and date."""
    ids = sorted(set(speech_ids))
    # Only the speeches whose statements are elsewhere (found in one query a thousand): an
    # import of new speeches has just indexed their statements in place, and rewriting rows
    # costs PostgreSQL their vectors again.
    moved: list[int] = []
    for chunk in (ids[i : i + 1000] for i in range(0, len(ids), 1000)):
        moved += (
            SearchDocument.objects.filter(kind=SearchKind.STATEMENT, speech_id__in=chunk)
            .exclude(
                session_id=F("speech__session_id"),
                speaker_id=F("speech__speaker_id"),
                date=F("speech__delivered_on"),
            )
            .values_list("speech_id", flat=True)
            .distinct()
        )
    for speech in Speech.objects.filter(pk__in=moved).values(
        "pk", "session_id", "speaker_id", "delivered_on"
    ):
        SearchDocument.objects.filter(kind=SearchKind.STATEMENT, speech_id=speech["pk"]).update(
            session_id=speech["session_id"],
            speaker_id=speech["speaker_id"],
            date=speech["delivered_on"],
        )


# --- changes waiting to be indexed -------------------------------------------------------------
# The signal receivers (signals.py) only note what changed; `flush()` brings the index up to
# date once per transaction, right after it commits, and before any search in the same thread
# (so a change is visible to the next search even inside a transaction that has not committed,
# e.g. in tests). An import of a whole session is then indexed in a few bulk queries instead of
# several per statement and figure.


@dataclass
class Pending:
    records: dict[str, set[int]] = field(default_factory=dict)
    speeches_moved: set[int] = field(default_factory=set)
    sessions: set[int] = field(default_factory=set)  # status may have changed
    speeches: set[int] = field(default_factory=set)
    topics_renamed: set[int] = field(default_factory=set)
    speakers_renamed: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(
            any(self.records.values())
            or self.speeches_moved
            or self.sessions
            or self.speeches
            or self.topics_renamed
            or self.speakers_renamed
        )


class _Local(threading.local):
    def __init__(self):
        self.pending = Pending()


_local = _Local()

# Records are indexed in this order: a statement's title needs its topic, a speech's text its
# speaker's name.
ORDER = (
    SearchKind.SPEAKER,
    SearchKind.TOPIC,
    SearchKind.SESSION,
    SearchKind.SPEECH,
    SearchKind.STATEMENT,
)


def pending() -> Pending:
    """Note a change here, then call `schedule()`."""
    return _local.pending


def mark(kind: str, *ids: int) -> None:
    _local.pending.records.setdefault(kind, set()).update(i for i in ids if i is not None)


def schedule() -> None:
    # Runs at once outside a transaction; after the commit inside one; dropped on rollback
    # (what was noted then stays pending and is indexed, from the database as it is, later).
    transaction.on_commit(flush)


# Records indexed at once past which a flush may let the engine index in one pass (bulk_load).
BULK_LOAD_MIN = 1000


def flush() -> None:
    """Index every change noted so far in this thread."""
    todo = _local.pending
    if not todo:
        return
    _local.pending = Pending()
    with transaction.atomic():
        records = {kind: set(ids) for kind, ids in todo.records.items()}
        if todo.topics_renamed:
            records.setdefault(SearchKind.STATEMENT, set()).update(
                Statement.objects.filter(topic__in=todo.topics_renamed).values_list("pk", flat=True)
            )
        if todo.speakers_renamed:
            records.setdefault(SearchKind.SPEECH, set()).update(
                Speech.objects.filter(speaker__in=todo.speakers_renamed).values_list(
                    "pk", flat=True
                )
            )
        # Many records at once (a restore, a large import): the engine may index them in one
        # pass at the end rather than row by row (SQLite: FTS5 rebuilt instead of triggers).
        # (An editor's save is never many: the index is not even counted then.)
        touched = sum(map(len, records.values()))
        many = touched >= BULK_LOAD_MIN and touched * len(LANGS) >= SearchDocument.objects.count()
        words: dict = {}
        with get_backend().bulk_load() if many else nullcontext():
            for kind in ORDER:
                if records.get(kind):
                    index(kind, records[kind], words=words)
            follow_speeches(todo.speeches_moved)
            sync_visibility(session_ids=todo.sessions, speech_ids=todo.speeches)


@contextmanager
def in_step() -> Iterator[None]:
    """A transaction that brings the search index up to date before it commits: content and
    index are written together or not at all, with no moment after the commit in which a crash
    would leave search behind (as indexing from on_commit alone would). The editors' admin and
    the import use it; other writers are still indexed when they commit."""
    with transaction.atomic():
        yield
        flush()


def discard_pending() -> None:
    _local.pending = Pending()


@dataclass
class RebuildReport:
    documents: int = 0
    forms: int = 0
    seconds: float = 0.0
    per_kind: dict[str, int] = field(default_factory=dict)


def _batches(spec: KindSpec, size: int) -> Iterator[list[dict]]:
    last = 0
    while True:
        rows = list(spec.rows().filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield spec.complete(rows)
        last = rows[-1]["pk"]


def rebuild(
    *, batch_size: int = 2000, progress: Callable[[str, int], None] | None = None
) -> RebuildReport:
    """Throw the index away and build it again from every record, in batches, in one
    transaction (searches see the old index until it is done). `progress(kind, n)` is told of
    each batch of n records indexed, then ("ranking", 0) when the engine tidies its index."""
    started = time.perf_counter()
    report = RebuildReport()
    discard_pending()
    backend = get_backend()
    with transaction.atomic(), backend.bulk_load():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        built = Built()
        for kind, spec in SPECS.items():
            count = 0
            for rows in _batches(spec, batch_size):
                ids = [row["pk"] for row in rows]
                public_ids = set(spec.public().filter(pk__in=ids).values_list("pk", flat=True))
                # The word cache is kept from batch to batch; documents and forms are not.
                built = build(kind, rows, public_ids, Built(words=built.words))
                SearchDocument.objects.bulk_create(built.documents, batch_size=batch_size)
                vocabulary.record(built.forms)
                count += len(built.documents)
                if progress:
                    progress(kind, len(rows))
            report.per_kind[kind] = count
            report.documents += count
    if progress:
        progress("ranking", 0)
    backend.optimise()
    report.forms = SearchTerm.objects.count()
    report.seconds = time.perf_counter() - started
    return report
