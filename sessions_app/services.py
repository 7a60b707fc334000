"""Writes that span several models: importing and exporting the archive's interchange format.

The format ("apk-archive/1") is documented in the README. Every translated text is a map of
language code to text; a missing or empty language stays missing, it is never filled with another
language's text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models, transaction

from .models import Figure, Session, SessionFormat, Speaker, Speech, Statement, Status, Topic
from .signals import written

FORMAT_NAME = "apk-archive/1"
LANGS: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)


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


# --- validation -------------------------------------------------------------------------------


class _Validator:
    """Checks one document and collects every problem with its JSON path."""

    def __init__(self, source: str, known_speakers: set[str], known_topics: set[str]):
        self.source = source
        self.errors: list[str] = []
        self.speakers = set(known_speakers)
        self.topics = set(known_topics)

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{self.source}: {path}: {message}")

    def obj(self, value: Any, path: str) -> bool:
        if not isinstance(value, dict):
            self.error(path, f"expected an object, got {_kind(value)}")
            return False
        return True

    def lst(self, value: Any, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, f"expected a list, got {_kind(value)}")
            return []
        return value

    def text_map(self, value: Any, path: str, model: type[models.Model], name: str, required=False):
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.error(path, f"expected a map of language to text, got {_kind(value)}")
            return
        max_length = getattr(model._meta.get_field(name), "max_length", None)
        for code, text in value.items():
            if code not in LANGS:
                self.error(f"{path}.{code}", f"unknown language {code!r} (use {', '.join(LANGS)})")
            elif text is not None and not isinstance(text, str):
                self.error(f"{path}.{code}", f"expected text, got {_kind(text)}")
            elif max_length and text and len(text) > max_length:
                self.error(f"{path}.{code}", f"longer than {max_length} characters")
        if required and not any(isinstance(t, str) and t.strip() for t in value.values()):
            self.error(path, "needs text in at least one language")

    def slug(self, value: Any, path: str) -> bool:
        if not isinstance(value, str) or not value:
            self.error(path, f"expected a slug, got {_kind(value)}")
            return False
        try:
            validate_slug(value)
        except ValidationError:
            self.error(path, f"{value!r} is not a valid slug (letters, digits, - and _)")
            return False
        if len(value) > 100:
            self.error(path, "longer than 100 characters")
            return False
        return True

    def date(self, value: Any, path: str) -> None:
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.error(path, f"expected a date as YYYY-MM-DD, got {value!r}")

    def choice(self, value: Any, path: str, choices, required=True) -> None:
        if value is None and not required:
            return
        if value not in choices:
            self.error(path, f"{value!r} is not one of {', '.join(map(str, choices))}")

    def positive_int(self, value: Any, path: str, required=False) -> None:
        if value is None and not required:
            return
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(path, f"expected a whole number of at least 1, got {value!r}")

    def document(self, data: Any) -> None:
        if not self.obj(data, "$"):
            return
        if data.get("format") != FORMAT_NAME:
            self.error("format", f"expected {FORMAT_NAME!r}, got {data.get('format')!r}")
            return
        for i, sp in enumerate(self.lst(data.get("speakers"), "speakers")):
            path = f"speakers[{i}]"
            if self.obj(sp, path) and self.slug(sp.get("slug"), f"{path}.slug"):
                self.speakers.add(sp["slug"])
                self.text_map(sp.get("name"), f"{path}.name", Speaker, "name", required=True)
                self.text_map(sp.get("position"), f"{path}.position", Speaker, "position")
        for i, tp in enumerate(self.lst(data.get("topics"), "topics")):
            path = f"topics[{i}]"
            if self.obj(tp, path) and self.slug(tp.get("slug"), f"{path}.slug"):
                self.topics.add(tp["slug"])
                self.text_map(tp.get("name"), f"{path}.name", Topic, "name", required=True)
                self.text_map(tp.get("description"), f"{path}.description", Topic, "description")
        numbers: set[int] = set()
        for i, se in enumerate(self.lst(data.get("sessions"), "sessions")):
            self.session(se, f"sessions[{i}]", numbers)

    def session(self, se: Any, path: str, numbers: set[int]) -> None:
        if not self.obj(se, path):
            return
        self.positive_int(se.get("number"), f"{path}.number", required=True)
        if se.get("number") in numbers:
            self.error(f"{path}.number", f"session {se['number']} appears twice")
        numbers.add(se.get("number"))
        self.date(se.get("date"), f"{path}.date")
        self.choice(se.get("status", "draft"), f"{path}.status", Status.values)
        self.choice(se.get("format", "in_person"), f"{path}.format", SessionFormat.values)
        self.text_map(se.get("title"), f"{path}.title", Session, "title", required=True)
        for name in ("venue", "summary", "participants"):
            self.text_map(se.get(name), f"{path}.{name}", Session, name)
        chair = se.get("chair")
        if chair not in (None, "") and chair not in self.speakers:
            self.error(f"{path}.chair", f"unknown speaker {chair!r}")
        slugs: set[str] = set()
        for j, sp in enumerate(self.lst(se.get("speeches"), f"{path}.speeches")):
            self.speech(sp, f"{path}.speeches[{j}]", slugs)

    def speech(self, sp: Any, path: str, slugs: set[str]) -> None:
        if not self.obj(sp, path):
            return
        if self.slug(sp.get("slug"), f"{path}.slug"):
            if sp["slug"] in slugs:
                self.error(f"{path}.slug", f"speech {sp['slug']!r} appears twice in this session")
            slugs.add(sp["slug"])
        if sp.get("speaker") not in self.speakers:
            self.error(f"{path}.speaker", f"unknown speaker {sp.get('speaker')!r}")
        self.date(sp.get("delivered_on"), f"{path}.delivered_on")
        self.choice(sp.get("status", "draft"), f"{path}.status", Status.values)
        self.positive_int(sp.get("order"), f"{path}.order")
        self.choice(sp.get("original_language") or None, f"{path}.original_language", LANGS, False)
        self.text_map(sp.get("title"), f"{path}.title", Speech, "title", required=True)
        self.text_map(sp.get("lead"), f"{path}.lead", Speech, "lead")
        self.text_map(sp.get("text"), f"{path}.text", Speech, "text")
        keys: set[str] = set()
        for k, section in enumerate(self.lst(sp.get("sections"), f"{path}.sections")):
            spath = f"{path}.sections[{k}]"
            if not self.obj(section, spath):
                continue
            if section.get("topic") not in self.topics:
                self.error(f"{spath}.topic", f"unknown topic {section.get('topic')!r}")
            for m, st in enumerate(self.lst(section.get("statements"), f"{spath}.statements")):
                self.statement(st, f"{spath}.statements[{m}]", keys)

    def statement(self, st: Any, path: str, keys: set[str]) -> None:
        if not self.obj(st, path):
            return
        key = st.get("id")
        if key is not None and self.slug(key, f"{path}.id"):
            if key in keys:
                self.error(f"{path}.id", f"statement id {key!r} appears twice in this speech")
            keys.add(key)
        self.text_map(st.get("text"), f"{path}.text", Statement, "text", required=True)
        for n, fig in enumerate(self.lst(st.get("figures"), f"{path}.figures")):
            fpath = f"{path}.figures[{n}]"
            if not self.obj(fig, fpath):
                continue
            if _decimal(fig.get("value")) is None:
                self.error(f"{fpath}.value", f"expected a number, got {fig.get('value')!r}")
            self.text_map(fig.get("unit"), f"{fpath}.unit", Figure, "unit")
            self.text_map(fig.get("label"), f"{fpath}.label", Figure, "label")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "nothing" if value is None else "a number"
    )


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        number = Decimal(str(value).replace(" ", ""))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    # The column holds 20 digits before the point and 4 after.
    if abs(number) >= Decimal(10) ** 20 or number != number.quantize(Decimal("0.0001")):
        return None
    return number


# --- import -----------------------------------------------------------------------------------


def validate_archive(*, data: Any, source: str = "input") -> list[str]:
    """Every problem in one document, each naming the source and the JSON path."""
    validator = _Validator(
        source,
        set(Speaker.objects.values_list("slug", flat=True)),
        set(Topic.objects.values_list("slug", flat=True)),
    )
    validator.document(data)
    return validator.errors


def import_archive(*, documents: list[tuple[str, Any]], dry_run: bool = False) -> ImportReport:
    """Import one or more documents (source name, parsed JSON) in a single transaction.

    Keys: sessions by number, speeches by slug within their session, speakers and topics by slug,
    statements by id within their speech (by position when a statement has no id). Importing the
    same data twice changes nothing. A speech in the input replaces that speech's statements and
    figures; speeches that the input does not mention are left as they are.
    """
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        speakers_seen: set[str] = set()
        topics_seen: set[str] = set()
        for source, data in documents:
            validator = _Validator(
                source,
                set(Speaker.objects.values_list("slug", flat=True)) | speakers_seen,
                set(Topic.objects.values_list("slug", flat=True)) | topics_seen,
            )
            validator.document(data)
            if validator.errors:
                raise ImportFailed(validator.errors)
            _import_document(data, report)
            speakers_seen |= validator.speakers
            topics_seen |= validator.topics
        if dry_run:
            transaction.set_rollback(True)
        else:
            # The imported records are searchable in the same commit that writes them.
            written()
    return report


def _set_texts(obj: models.Model, name: str, value: dict | None) -> None:
    value = value or {}
    for code in LANGS:
        text = value.get(code)
        setattr(obj, f"{name}_{code}", text if text else None)


def _upsert(report: ImportReport, kind: str, model, lookup: dict, apply) -> models.Model:
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    before = None if created else _snapshot(obj)
    apply(obj)
    if created:
        obj.save()
        report.created[kind] += 1
    elif _snapshot(obj) != before:
        obj.save()
        report.updated[kind] += 1
    else:
        report.unchanged[kind] += 1
    return obj


def _snapshot(obj: models.Model) -> tuple:
    skip = {"translations_edited", "version", "updated_at"}
    return tuple(
        getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in skip and not f.primary_key
    )


def _import_document(data: dict, report: ImportReport) -> None:
    speakers = {}
    for sp in data.get("speakers") or []:

        def apply(obj, sp=sp):
            _set_texts(obj, "name", sp.get("name"))
            _set_texts(obj, "position", sp.get("position"))

        speakers[sp["slug"]] = _upsert(report, "speaker", Speaker, {"slug": sp["slug"]}, apply)
    for tp in data.get("topics") or []:

        def apply(obj, tp=tp):
            _set_texts(obj, "name", tp.get("name"))
            _set_texts(obj, "description", tp.get("description"))

        _upsert(report, "topic", Topic, {"slug": tp["slug"]}, apply)

    all_speakers = {s.slug: s for s in Speaker.objects.all()}
    all_topics = {t.slug: t for t in Topic.objects.all()}

    for se in data.get("sessions") or []:

        def apply(obj, se=se):
            obj.date = dt.date.fromisoformat(se["date"])
            obj.status = se.get("status", Status.DRAFT)
            obj.format = se.get("format", SessionFormat.IN_PERSON)
            obj.chair = all_speakers.get(se.get("chair") or "")
            for name in ("title", "venue", "summary", "participants"):
                _set_texts(obj, name, se.get(name))

        session = _upsert(report, "session", Session, {"number": se["number"]}, apply)
        for position, sp in enumerate(se.get("speeches") or [], start=1):

            def apply(obj, sp=sp, position=position):
                obj.speaker = all_speakers[sp["speaker"]]
                obj.delivered_on = dt.date.fromisoformat(sp["delivered_on"])
                obj.status = sp.get("status", Status.DRAFT)
                obj.order = sp.get("order") or position
                obj.original_language = sp.get("original_language") or ""
                for name in ("title", "lead", "text"):
                    _set_texts(obj, name, sp.get(name))

            speech = _upsert(
                report, "speech", Speech, {"session": session, "slug": sp["slug"]}, apply
            )
            _import_statements(speech, sp.get("sections") or [], all_topics, report)


def _import_statements(speech: Speech, sections: list, topics: dict, report: ImportReport) -> None:
    existing = {st.key: st for st in speech.statements.all()}
    wanted: list[tuple[str, dict, Topic]] = []
    position = 0
    for section in sections:
        for st in section.get("statements") or []:
            position += 1
            wanted.append((st.get("id") or str(position), st, topics[section["topic"]]))
    wanted_keys = {key for key, _, _ in wanted}
    stale = [st.pk for key, st in existing.items() if key not in wanted_keys]
    if stale:
        report.deleted["statement"] += len(stale)
        Statement.objects.filter(pk__in=stale).delete()
    for position, (key, st, topic) in enumerate(wanted, start=1):

        def apply(obj, st=st, topic=topic, position=position):
            obj.topic = topic
            obj.order = position
            _set_texts(obj, "text", st.get("text"))

        statement = _upsert(report, "statement", Statement, {"speech": speech, "key": key}, apply)
        _import_figures(statement, st.get("figures") or [], report)


def _import_figures(statement: Statement, figures: list, report: ImportReport) -> None:
    existing = list(statement.figures.all())
    for position, fig in enumerate(figures, start=1):
        obj = existing[position - 1] if position <= len(existing) else Figure(statement=statement)
        before = None if obj.pk is None else _snapshot(obj)
        obj.order = position
        obj.value = _decimal(fig.get("value"))
        _set_texts(obj, "unit", fig.get("unit"))
        _set_texts(obj, "label", fig.get("label"))
        if before is None:
            obj.save()
            report.created["figure"] += 1
        elif _snapshot(obj) != before:
            obj.save()
            report.updated["figure"] += 1
        else:
            report.unchanged["figure"] += 1
    surplus = existing[len(figures) :]
    if surplus:
        Figure.objects.filter(pk__in=[f.pk for f in surplus]).delete()
        report.deleted["figure"] += len(surplus)


# --- export -----------------------------------------------------------------------------------


def texts_of(obj: models.Model, name: str) -> dict[str, str]:
    return {code: text for code in LANGS if (text := getattr(obj, f"{name}_{code}", None))}


def number_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def export_archive(*, include_drafts: bool = True, numbers: list[int] | None = None) -> dict:
    """The archive (or the sessions with the given numbers) in the interchange format.

    Editors' exports carry drafts; a public export (include_drafts=False) carries only what the
    public can see, and only the speakers and topics that public content refers to."""
    sessions = Session.objects.order_by("number").select_related("chair")
    speeches = Speech.objects.select_related("speaker").order_by("order", "slug")
    statements = (
        Statement.objects.select_related("topic")
        .prefetch_related("figures")
        .order_by("order", "pk")
    )
    speakers = Speaker.objects.order_by("slug")
    topics = Topic.objects.order_by("slug")
    if numbers is not None:
        sessions = sessions.filter(number__in=numbers)
    if not include_drafts:
        sessions = sessions.published()
        speeches = speeches.published()
        public_statements = Statement.objects.published()
        if numbers is not None:
            speeches = speeches.filter(session__number__in=numbers)
            public_statements = public_statements.filter(speech__session__number__in=numbers)
        speakers = speakers.filter(
            models.Q(pk__in=speeches.values("speaker")) | models.Q(pk__in=sessions.values("chair"))
        )
        topics = topics.filter(pk__in=public_statements.values("topic"))
    sessions = sessions.prefetch_related(
        models.Prefetch(
            "speeches",
            queryset=speeches.prefetch_related(models.Prefetch("statements", queryset=statements)),
        )
    )
    return {
        "format": FORMAT_NAME,
        "speakers": [
            {"slug": s.slug, "name": texts_of(s, "name"), "position": texts_of(s, "position")}
            for s in speakers
        ],
        "topics": [
            {"slug": t.slug, "name": texts_of(t, "name"), "description": texts_of(t, "description")}
            for t in topics
        ],
        "sessions": [_export_session(se) for se in sessions],
    }


def _export_session(se: Session) -> dict:
    return {
        "number": se.number,
        "date": se.date.isoformat(),
        "status": se.status,
        "format": se.format,
        "title": texts_of(se, "title"),
        "venue": texts_of(se, "venue"),
        "summary": texts_of(se, "summary"),
        "participants": texts_of(se, "participants"),
        "chair": se.chair.slug if se.chair else None,
        "speeches": [_export_speech(sp) for sp in se.speeches.all()],
    }


def _export_speech(sp: Speech) -> dict:
    sections: list[dict] = []
    for st in sp.statements.all():
        if not sections or sections[-1]["topic"] != st.topic.slug:
            sections.append({"topic": st.topic.slug, "statements": []})
        sections[-1]["statements"].append(
            {
                "id": st.key,
                "text": texts_of(st, "text"),
                "figures": [
                    {
                        "value": number_text(f.value),
                        "unit": texts_of(f, "unit"),
                        "label": texts_of(f, "label"),
                    }
                    for f in st.figures.all()
                ],
            }
        )
    data = {
        "slug": sp.slug,
        "speaker": sp.speaker.slug,
        "delivered_on": sp.delivered_on.isoformat(),
        "status": sp.status,
        "order": sp.order,
        "title": texts_of(sp, "title"),
        "lead": texts_of(sp, "lead"),
        "text": texts_of(sp, "text"),
        "sections": sections,
    }
    if sp.original_language:
        data["original_language"] = sp.original_language
    return data
