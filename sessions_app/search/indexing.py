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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils.html import strip_tags

from sessions_app.models import (
    SearchDocument,
    SearchKind,
    SearchTerm,
    Session,
    Speaker,
    Speech,
    Statement,
    Topic,
)

from . import terms as T
from . import vocabulary
from .backends import get_backend

LANGS: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)


def _text(obj: Model, name: str, lang: str) -> str:
    return getattr(obj, f"{name}_{lang}", None) or ""


def plain(value: str) -> str:
    """A speech's full text may be simple HTML: index and show the words, not the tags."""
    if "<" in value or "&" in value:
        value = html.unescape(strip_tags(value.replace("<", " <")))
    return value


def figures_text(statement: Statement, lang: str) -> str:
    return " ".join(
        f"{f.value.normalize():f} {_text(f, 'unit', lang)} {_text(f, 'label', lang)}"
        for f in statement.figures.all()
    )


# For each kind: the records to index (with what the texts need) and their (title, body) texts.
def _statement_fields(st: Statement, lang: str) -> tuple[list[str], list[str]]:
    return [_text(st.topic, "name", lang)], [_text(st, "text", lang), figures_text(st, lang)]


def _speech_fields(sp: Speech, lang: str) -> tuple[list[str], list[str]]:
    return [_text(sp, "title", lang)], [
        _text(sp, "lead", lang),
        plain(_text(sp, "text", lang)),
        _text(sp.speaker, "name", lang),
    ]


def _session_fields(se: Session, lang: str) -> tuple[list[str], list[str]]:
    title = _text(se, "title", lang)
    return [title, str(se.number)] if title else [], [
        _text(se, "summary", lang),
        _text(se, "participants", lang),
        _text(se, "venue", lang),
    ]


def _topic_fields(tp: Topic, lang: str) -> tuple[list[str], list[str]]:
    return [_text(tp, "name", lang)], [_text(tp, "description", lang)]


def _speaker_fields(sp: Speaker, lang: str) -> tuple[list[str], list[str]]:
    return [_text(sp, "name", lang)], [_text(sp, "position", lang)]


@dataclass(frozen=True)
class KindSpec:
    kind: str
    records: Callable[[], QuerySet]
    public: Callable[[], QuerySet]  # the published records of this kind
    fields: Callable[[Model, str], tuple[list[str], list[str]]]
    place: Callable[[Model], dict]  # session, speech, topic, speaker, date


def public_topics() -> QuerySet[Topic]:
    # A topic is shown once a public statement is filed under it (as on the topic list).
    return Topic.objects.filter(Exists(Statement.objects.published().filter(topic=OuterRef("pk"))))


def public_speakers() -> QuerySet[Speaker]:
    return Speaker.objects.filter(Exists(Speech.objects.published().filter(speaker=OuterRef("pk"))))


SPECS: dict[str, KindSpec] = {
    SearchKind.STATEMENT: KindSpec(
        SearchKind.STATEMENT,
        lambda: Statement.objects.select_related("topic", "speech").prefetch_related("figures"),
        lambda: Statement.objects.published(),
        _statement_fields,
        lambda st: {
            "session_id": st.speech.session_id,
            "speech_id": st.speech_id,
            "topic_id": st.topic_id,
            "speaker_id": st.speech.speaker_id,
            "date": st.speech.delivered_on,
        },
    ),
    SearchKind.SPEECH: KindSpec(
        SearchKind.SPEECH,
        lambda: Speech.objects.select_related("speaker"),
        lambda: Speech.objects.published(),
        _speech_fields,
        lambda sp: {
            "session_id": sp.session_id,
            "speech_id": sp.pk,
            "speaker_id": sp.speaker_id,
            "date": sp.delivered_on,
        },
    ),
    SearchKind.SESSION: KindSpec(
        SearchKind.SESSION,
        lambda: Session.objects.all(),
        lambda: Session.objects.published(),
        _session_fields,
        lambda se: {"session_id": se.pk, "date": se.date},
    ),
    SearchKind.TOPIC: KindSpec(
        SearchKind.TOPIC,
        lambda: Topic.objects.all(),
        public_topics,
        _topic_fields,
        lambda tp: {"topic_id": tp.pk},
    ),
    SearchKind.SPEAKER: KindSpec(
        SearchKind.SPEAKER,
        lambda: Speaker.objects.all(),
        public_speakers,
        _speaker_fields,
        lambda sp: {"speaker_id": sp.pk},
    ),
}


@dataclass
class Built:
    documents: list[SearchDocument] = field(default_factory=list)
    forms: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


def _normalise(texts: Iterable[str], lang: str, forms: dict) -> str:
    out: list[str] = []
    for value in texts:
        for word in T.words(value):
            terms = T.terms(word, lang)
            out.extend(terms)
            if len(terms) == 1:
                key = (lang, T.form(word, lang))
                if key[1] and key not in forms and len(key[1]) <= 100 and len(terms[0]) <= 100:
                    forms[key] = (terms[0], word.lower()[:100])
    return " ".join(out)


def build(kind: str, records: Iterable[Model], public_ids: set[int], into: Built) -> Built:
    spec = SPECS[kind]
    for obj in records:
        place = spec.place(obj)
        for lang in LANGS:
            titles, bodies = spec.fields(obj, lang)
            if not any(t.strip() for t in titles + bodies):
                continue
            into.documents.append(
                SearchDocument(
                    kind=kind,
                    object_id=obj.pk,
                    lang=lang,
                    title=_normalise(titles, lang, into.forms),
                    body=_normalise(bodies, lang, into.forms),
                    is_public=obj.pk in public_ids,
                    **place,
                )
            )
    return into


def index(kind: str, ids: Iterable[int]) -> None:
    """(Re)build the documents of these records; records that no longer exist lose theirs."""
    ids = sorted(set(ids))
    spec = SPECS[kind]
    for chunk in (ids[i : i + 1000] for i in range(0, len(ids), 1000)):
        records = list(spec.records().filter(pk__in=chunk))
        public_ids = set(spec.public().filter(pk__in=chunk).values_list("pk", flat=True))
        built = build(kind, records, public_ids, Built())
        SearchDocument.objects.filter(kind=kind, object_id__in=chunk).delete()
        SearchDocument.objects.bulk_create(built.documents)
        vocabulary.record(built.forms)


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
    _sync_flag(SearchDocument.objects.filter(kind=SearchKind.TOPIC), public_topics())
    _sync_flag(SearchDocument.objects.filter(kind=SearchKind.SPEAKER), public_speakers())


def follow_speeches(speech_ids: Iterable[int]) -> None:
    """Statements belong where their speech is: its session, speaker and date."""
    for speech in Speech.objects.filter(pk__in=list(speech_ids)).values(
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
        for kind in ORDER:
            if records.get(kind):
                index(kind, records[kind])
        follow_speeches(todo.speeches_moved)
        sync_visibility(session_ids=todo.sessions, speech_ids=todo.speeches)


def discard_pending() -> None:
    _local.pending = Pending()


@dataclass
class RebuildReport:
    documents: int = 0
    forms: int = 0
    seconds: float = 0.0
    per_kind: dict[str, int] = field(default_factory=dict)


def _batches(qs: QuerySet, size: int) -> Iterator[list[Model]]:
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def rebuild(
    *, batch_size: int = 2000, progress: Callable[[str], None] | None = None
) -> RebuildReport:
    """Throw the index away and build it again from every record, in batches."""
    started = time.perf_counter()
    report = RebuildReport()
    discard_pending()
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        for kind, spec in SPECS.items():
            count = 0
            for batch in _batches(spec.records(), batch_size):
                ids = [obj.pk for obj in batch]
                public_ids = set(spec.public().filter(pk__in=ids).values_list("pk", flat=True))
                built = build(kind, batch, public_ids, Built())
                SearchDocument.objects.bulk_create(built.documents, batch_size=batch_size)
                vocabulary.record(built.forms)
                count += len(built.documents)
                if progress:
                    progress(f"{kind}: {count} documents")
            report.per_kind[kind] = count
            report.documents += count
        report.forms = SearchTerm.objects.count()
        get_backend().optimise()
    report.seconds = time.perf_counter() - started
    return report
