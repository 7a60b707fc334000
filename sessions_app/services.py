"""Writes that span several models: importing archives in the interchange format.

The format (`apk-archive/1`) and its records' JSON are in `archive.py`; this module writes a
whole archive in one transaction, in bulk: one query per kind to read what exists, then
bulk_create / bulk_update / delete in batches, and one announcement of everything written so
that the search index is brought up to date in the same transaction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction

from . import archive
from .models import Figure, Session, Speaker, Speech, Statement, Topic
from .signals import written

BATCH = 500  # rows a query writes, or ids it reads (well under SQLite's 32,766 parameters)


class ImportFailed(Exception):
    """The input is not a valid archive; `errors` name the file and JSON path of each problem."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    dry_run: bool = False

    def lines(self) -> list[str]:
        kinds = {
            "speaker": "speakers",
            "topic": "topics",
            "session": "sessions",
            "speech": "speeches",
            "statement": "statements",
            "figure": "figures",
        }
        out = []
        for kind, plural in kinds.items():
            parts = []
            for label, counter in (
                ("created", self.created),
                ("updated", self.updated),
                ("deleted", self.deleted),
                ("unchanged", self.unchanged),
            ):
                if counter[kind]:
                    parts.append(f"{counter[kind]} {label}")
            if parts:
                out.append(f"{plural}: " + ", ".join(parts))
        return out or ["nothing to import"]

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated or +self.deleted)


# Told what the import is doing: ("statements", n) after each batch of n statements written,
# ("search index", 0) when it starts indexing what it wrote.
Progress = Callable[[str, int], None]


def import_archive(
    *,
    documents: list[tuple[str, Any]],
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one or more documents (source name, parsed JSON) in a single transaction.

    Keys: sessions by number, speeches by slug within their session, speakers and topics by slug,
    statements by id within their speech (by position when a statement has no id). Importing the
    same data twice changes nothing. A speech in the input replaces that speech's statements and
    figures; speeches that the input does not mention are left as they are. `progress` is told
    how far it is (see Progress).
    """
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        speakers = set(Speaker.objects.values_list("slug", flat=True))
        topics = set(Topic.objects.values_list("slug", flat=True))
        changes = _Changes()
        for source, data in documents:
            errors = archive.validate_archive(
                data=data, source=source, speakers=speakers, topics=topics
            )
            if errors:
                raise ImportFailed(errors)
            speakers |= {sp["slug"] for sp in data.get("speakers") or []}
            topics |= {tp["slug"] for tp in data.get("topics") or []}
            _Import(report, changes, progress).document(data)
        if dry_run:
            transaction.set_rollback(True)
        else:
            if sum(report.created.values()) >= ANALYZE_AFTER:
                _refresh_statistics()
            if progress:
                progress("search index", 0)
            # The imported records are searchable in the same commit that writes them.
            written(changed=changes.by_model)
    return report


# --- writing in bulk ---------------------------------------------------------------------------

# Records created past which the database's statistics are refreshed before the search index is
# built (see _refresh_statistics).
ANALYZE_AFTER = 5000


def _refresh_statistics() -> None:
    """A bulk load leaves PostgreSQL's planner with the statistics of the tables before it (a
    new database has none), and the search index's queries that follow in this transaction
    were planned as for empty tables: a nested loop per speech, 20 s for 20,000 statements
    instead of a fraction of one. ANALYZE counts this transaction's own new rows."""
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in (Speaker, Topic, Session, Speech, Statement, Figure)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(tables))


class _Changes:
    """What was written without save() (so without post_save), by model: {pk: changed fields}."""

    def __init__(self):
        self.by_model: dict[type[models.Model], dict[int, set[str]]] = defaultdict(dict)

    def add(self, obj: models.Model, names: Iterable[str]) -> None:
        self.by_model[type(obj)].setdefault(obj.pk, set()).update(names)


def _chunks(values: list, size: int = BATCH) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _existing(model: type[models.Model], name: str, values: Iterable) -> list[models.Model]:
    """The records whose `name` is one of `values`, a batch of values a query."""
    found: list[models.Model] = []
    for chunk in _chunks(sorted(set(values))):
        found.extend(model.objects.filter(**{f"{name}__in": chunk}))
    return found


_TRACKING = ["translations_edited", "version", "updated_at"]


def _constructor(model: type[models.Model]) -> Callable[[dict, dict], models.Model]:
    """Makes new records from values by attribute name, every field given in order, as Django
    makes records read from the database: model(**values) would have modeltranslation rewrite
    each keyword and compute the default of each translated field, most of a record's cost."""
    fields = model._meta.concrete_fields
    defaults = [(f.attname, f.get_default()) for f in fields]

    def new(key_fields: dict, values: dict) -> models.Model:
        given = {**key_fields, **values}
        return model(*[given.get(name, default) for name, default in defaults])

    return new


class _Import:
    def __init__(self, report: ImportReport, changes: _Changes, progress: Progress | None):
        self.report = report
        self.changes = changes
        self.progress = progress

    def upsert(
        self,
        kind: str,
        model: type[models.Model],
        wanted: list[tuple[Hashable, dict, dict]],
        existing: dict[Hashable, models.Model],
        *,
        note: bool = True,
    ) -> tuple[dict[Hashable, models.Model], list[tuple[models.Model, list[str]]]]:
        """Create or update records in bulk: `wanted` is (key, key fields, values) in order;
        `existing` the records of those keys the database has. What save() would note
        (translations edited, version) is noted here, and only a record whose values differ
        is written. Returns the records by key and those written with their changed fields
        (noted for search unless `note` is false)."""
        new = _constructor(model)
        out: dict[Hashable, models.Model] = {}
        create: list[models.Model] = []
        update: list[models.Model] = []
        update_fields: set[str] = set()
        changed_names: list[tuple[models.Model, list[str]]] = []
        for key, key_fields, values in wanted:
            obj = existing.get(key)
            if obj is None:
                obj = new(key_fields, values)
                obj.track_changes()
                create.append(obj)
                changed_names.append((obj, ["*"]))
            else:
                names = [name for name, value in values.items() if getattr(obj, name) != value]
                if names:
                    for name in names:
                        setattr(obj, name, values[name])
                    obj.track_changes()
                    update.append(obj)
                    update_fields.update(names)
                    changed_names.append((obj, names))
                else:
                    self.report.unchanged[kind] += 1
            out[key] = obj
        for chunk in _chunks(create):
            model.objects.bulk_create(chunk)
        if update:
            model.objects.bulk_update(
                update, [*sorted(update_fields), *_TRACKING], batch_size=BATCH
            )
        if note:
            for obj, names in changed_names:
                self.changes.add(obj, names)
        self.report.created[kind] += len(create)
        self.report.updated[kind] += len(update)
        return out, changed_names

    def delete(self, kind: str, model: type[models.Model], pks: list[int]) -> None:
        # Through the ORM, record by record: their deletion is seen by search (post_delete).
        for chunk in _chunks(pks):
            model.objects.filter(pk__in=chunk).delete()
        self.report.deleted[kind] += len(pks)

    def document(self, data: dict) -> None:
        speakers_in = data.get("speakers") or []
        topics_in = data.get("topics") or []
        sessions_in = data.get("sessions") or []
        speakers, _ = self.upsert(
            "speaker",
            Speaker,
            [(sp["slug"], {"slug": sp["slug"]}, archive.speaker_values(sp)) for sp in speakers_in],
            {s.slug: s for s in _existing(Speaker, "slug", [sp["slug"] for sp in speakers_in])},
        )
        topics, _ = self.upsert(
            "topic",
            Topic,
            [(tp["slug"], {"slug": tp["slug"]}, archive.topic_values(tp)) for tp in topics_in],
            {t.slug: t for t in _existing(Topic, "slug", [tp["slug"] for tp in topics_in])},
        )
        # References may also be to records of earlier files or of the database.
        speaker_ids = {s: obj.pk for s, obj in speakers.items()}
        speaker_ids |= dict(Speaker.objects.exclude(slug__in=speakers).values_list("slug", "pk"))
        topic_ids = {t: obj.pk for t, obj in topics.items()}
        topic_ids |= dict(Topic.objects.exclude(slug__in=topics).values_list("slug", "pk"))

        sessions, _ = self.upsert(
            "session",
            Session,
            [
                (se["number"], {"number": se["number"]}, archive.session_values(se, speaker_ids))
                for se in sessions_in
            ],
            {
                s.number: s
                for s in _existing(Session, "number", [se["number"] for se in sessions_in])
            },
        )
        session_ids = [s.pk for s in sessions.values()]
        speeches, _ = self.upsert(
            "speech",
            Speech,
            [
                (
                    (sessions[se["number"]].pk, sp["slug"]),
                    {"session_id": sessions[se["number"]].pk, "slug": sp["slug"]},
                    archive.speech_values(sp, position, speaker_ids),
                )
                for se in sessions_in
                for position, sp in enumerate(se.get("speeches") or [], start=1)
            ],
            {(s.session_id, s.slug): s for s in _existing(Speech, "session_id", session_ids)},
        )
        self.statements(sessions_in, sessions, speeches, topic_ids)

    def statements(
        self,
        sessions_in: list[dict],
        sessions: dict[int, Session],
        speeches: dict[tuple[int, str], Speech],
        topic_ids: dict[str, int],
    ) -> None:
        """Each speech of the input gets exactly its statements (matched by key) and figures
        (matched by position), a batch of speeches at a time."""
        work = [
            (speeches[(sessions[se["number"]].pk, sp["slug"])], sp)
            for se in sessions_in
            for sp in se.get("speeches") or []
        ]
        batch: list[tuple[Speech, dict]] = []
        size = 0
        for speech, sp in work:
            batch.append((speech, sp))
            size += sum(len(s.get("statements") or []) for s in sp.get("sections") or [])
            if size >= 2000:
                self.statement_batch(batch, topic_ids)
                batch, size = [], 0
        if batch:
            self.statement_batch(batch, topic_ids)

    def statement_batch(self, batch: list[tuple[Speech, dict]], topic_ids: dict[str, int]) -> None:
        speech_ids = [speech.pk for speech, _ in batch]
        existing: dict[tuple[int, str], Statement] = {
            (st.speech_id, st.key): st for st in _existing(Statement, "speech_id", speech_ids)
        }
        wanted = []
        figures_in: dict[tuple[int, str], list[dict]] = {}
        for speech, sp in batch:
            for position, (st, topic) in enumerate(archive.statements_of(sp), start=1):
                key = (speech.pk, archive.statement_key(st, position))
                wanted.append(
                    (
                        key,
                        {"speech_id": speech.pk, "key": key[1]},
                        archive.statement_values(st, position, topic_ids[topic]),
                    )
                )
                figures_in[key] = st.get("figures") or []
        stale = [st.pk for key, st in existing.items() if key not in figures_in]
        if stale:
            self.delete("statement", Statement, stale)
        statements, _ = self.upsert("statement", Statement, wanted, existing)
        self.figures(statements, figures_in)
        if self.progress:
            self.progress("statements", len(wanted))

    def figures(
        self,
        statements: dict[tuple[int, str], Statement],
        figures_in: dict[tuple[int, str], list[dict]],
    ) -> None:
        by_statement: dict[int, list[Figure]] = defaultdict(list)
        for figure in _existing(Figure, "statement_id", [st.pk for st in statements.values()]):
            by_statement[figure.statement_id].append(figure)
        wanted = []
        existing: dict[tuple[int, int], Figure] = {}
        surplus: list[int] = []
        for key, statement in statements.items():
            have = sorted(by_statement.get(statement.pk, []), key=lambda f: (f.order, f.pk))
            want = figures_in[key]
            for position, fig in enumerate(want, start=1):
                wanted.append(
                    (
                        (statement.pk, position),
                        {"statement_id": statement.pk},
                        archive.figure_values(fig, position),
                    )
                )
            existing.update(((statement.pk, i), f) for i, f in enumerate(have, start=1))
            surplus += [f.pk for f in have[len(want) :]]
        if surplus:
            self.delete("figure", Figure, surplus)
        _, written_figures = self.upsert("figure", Figure, wanted, existing, note=False)
        # A statement's figures are part of it: its search index follows them.
        owners = {figure.statement_id for figure, _ in written_figures}
        for statement in statements.values():
            if statement.pk in owners:
                self.changes.add(statement, ["figures"])
