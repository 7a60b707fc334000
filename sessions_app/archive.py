"""The `apk-archive/1` interchange format: records to JSON and back, one place for both.

Each kind of record has a pair: `<kind>_data(obj)` gives its JSON (used by the export, the
import's round trip and the open-data API) and `<kind>_values(data)` the model field values a
JSON record stands for (used by the import). Every translated text is a map of language code to
text; a missing or empty language stays missing, it is never filled with another language's
text. The format is defined by its JSON Schema (`archive_schema.py`,
`docs/apk-archive-1.schema.json`); `validate_archive()` checks a document against it and then
what a schema cannot say (references and uniqueness).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models

from .archive_schema import FORMAT_NAME, LANGS, schema_errors
from .domain import sections_of
from .models import (
    Figure,
    Session,
    SessionFormat,
    Speaker,
    Speech,
    Statement,
    Status,
    Topic,
    sanitise_rich_text,
)

# --- texts and numbers -------------------------------------------------------------------------


def texts_of(obj: models.Model, name: str) -> dict[str, str]:
    """A translated field as a map of language to text, untranslated languages left out."""
    return {code: text for code in LANGS if (text := getattr(obj, f"{name}_{code}", None))}


def texts_values(name: str, value: dict | None) -> dict[str, str | None]:
    """The columns of a translated field for a map of language to text (empty → None)."""
    value = value or {}
    return {f"{name}_{code}": value.get(code) or None for code in LANGS}


def number_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def number_value(value: str | int | float) -> Decimal:
    """A figure's value as stored (4 decimal places); the schema has checked its form."""
    return Decimal(str(value)).quantize(Decimal("0.0001"))


# --- to JSON -----------------------------------------------------------------------------------


def speaker_data(sp: Speaker) -> dict:
    return {"slug": sp.slug, "name": texts_of(sp, "name"), "position": texts_of(sp, "position")}


def topic_data(tp: Topic) -> dict:
    return {
        "slug": tp.slug,
        "name": texts_of(tp, "name"),
        "description": texts_of(tp, "description"),
    }


def figure_data(f: Figure) -> dict:
    return {
        "value": number_text(f.value),
        "unit": texts_of(f, "unit"),
        "label": texts_of(f, "label"),
    }


def statement_data(st: Statement) -> dict:
    """A statement with its figures (prefetch `figures`)."""
    return {
        "id": st.key,
        "text": texts_of(st, "text"),
        "figures": [figure_data(f) for f in st.figures.all()],
    }


def speech_data(sp: Speech) -> dict:
    """A speech with its sections (prefetch `statements` with their topic and figures)."""
    sections = [
        {
            "topic": section.topic.slug,
            "statements": [statement_data(st) for st in section.statements],
        }
        for section in sections_of(sp.statements.all())
    ]
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


def session_data(se: Session) -> dict:
    """A session with its speeches (prefetch them as `speech_data` needs)."""
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
        "speeches": [speech_data(sp) for sp in se.speeches.all()],
    }


def export_archive(
    *,
    include_drafts: bool = True,
    numbers: list[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """The archive (or the sessions with the given numbers) in the interchange format.

    Editors' exports carry drafts; a public export (include_drafts=False) carries only what the
    public can see, and only the speakers and topics that public content refers to. `progress`
    is told of each session done."""
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
        "speakers": [speaker_data(s) for s in speakers],
        "topics": [topic_data(t) for t in topics],
        "sessions": [_counted(session_data(se), progress) for se in sessions],
    }


def _counted(data: dict, progress: Callable[[int], None] | None) -> dict:
    if progress:
        progress(1)
    return data


# --- from JSON ---------------------------------------------------------------------------------
# Field values by attribute name (`chair_id`, `title_kk`), for records the import creates or
# compares with what the database holds. Foreign keys come as ids, from maps of slug to id.


def speaker_values(data: dict) -> dict[str, Any]:
    return {
        **texts_values("name", data.get("name")),
        **texts_values("position", data.get("position")),
    }


def topic_values(data: dict) -> dict[str, Any]:
    return {
        **texts_values("name", data.get("name")),
        **texts_values("description", data.get("description")),
    }


def session_values(data: dict, speaker_ids: dict[str, int]) -> dict[str, Any]:
    values = {
        "date": dt.date.fromisoformat(data["date"]),
        "status": data.get("status", Status.DRAFT),
        "format": data.get("format", SessionFormat.IN_PERSON),
        "chair_id": speaker_ids.get(data.get("chair") or ""),
    }
    for name in Session.translated_field_names():
        values.update(texts_values(name, data.get(name)))
    return values


def speech_values(data: dict, position: int, speaker_ids: dict[str, int]) -> dict[str, Any]:
    values = {
        "speaker_id": speaker_ids[data["speaker"]],
        "delivered_on": dt.date.fromisoformat(data["delivered_on"]),
        "status": data.get("status", Status.DRAFT),
        "order": data.get("order") or position,
        "original_language": data.get("original_language") or "",
    }
    for name in Speech.translated_field_names():
        values.update(texts_values(name, data.get(name)))
    # What saving a speech would store: its full text's markup is sanitised.
    for code in LANGS:
        values[f"text_{code}"] = sanitise_rich_text(values[f"text_{code}"])
    return values


def statement_key(data: dict, position: int) -> str:
    """A statement's key: its id, or its position in the speech when it has none."""
    return data.get("id") or str(position)


def statement_values(data: dict, position: int, topic_id: int) -> dict[str, Any]:
    return {"topic_id": topic_id, "order": position, **texts_values("text", data.get("text"))}


def figure_values(data: dict, position: int) -> dict[str, Any]:
    return {
        "order": position,
        "value": number_value(data["value"]),
        **texts_values("unit", data.get("unit")),
        **texts_values("label", data.get("label")),
    }


def statements_of(speech: dict) -> list[tuple[dict, str]]:
    """A speech's statements in order, each with its topic's slug."""
    return [
        (st, section["topic"])
        for section in speech.get("sections") or []
        for st in section.get("statements") or []
    ]


# --- checking ----------------------------------------------------------------------------------


def validate_archive(
    *, data: Any, source: str = "input", speakers: set[str] = frozenset(), topics: set[str] = ()
) -> list[str]:
    """Every problem in one document, each naming the source and the JSON path.

    First the schema (structure, values, lengths); then, on a document that passes it, what a
    schema cannot check: references to speakers and topics (known from `speakers` and `topics`,
    e.g. the database's, or listed in the document), and ids unique where they are keys."""
    errors = schema_errors(data)
    if not errors:
        errors = _reference_errors(data, set(speakers), set(topics))
    return [f"{source}: {path}: {message}" for path, message in errors]


def _reference_errors(data: dict, speakers: set[str], topics: set[str]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    for kind, known in (("speaker", speakers), ("topic", topics)):
        seen: set[str] = set()
        for i, record in enumerate(data.get(f"{kind}s") or []):
            if record["slug"] in seen:
                errors.append((f"{kind}s[{i}].slug", f"{kind} {record['slug']!r} appears twice"))
            seen.add(record["slug"])
        known |= seen
    numbers: set[int] = set()
    for i, se in enumerate(data.get("sessions") or []):
        path = f"sessions[{i}]"
        if se["number"] in numbers:
            errors.append((f"{path}.number", f"session {se['number']} appears twice"))
        numbers.add(se["number"])
        chair = se.get("chair")
        if chair and chair not in speakers:
            errors.append((f"{path}.chair", f"unknown speaker {chair!r}"))
        slugs: set[str] = set()
        for j, sp in enumerate(se.get("speeches") or []):
            spath = f"{path}.speeches[{j}]"
            if sp["slug"] in slugs:
                errors.append(
                    (f"{spath}.slug", f"speech {sp['slug']!r} appears twice in this session")
                )
            slugs.add(sp["slug"])
            if sp["speaker"] not in speakers:
                errors.append((f"{spath}.speaker", f"unknown speaker {sp['speaker']!r}"))
            errors += _statement_errors(sp, spath, topics)
    return errors


def _statement_errors(speech: dict, path: str, topics: set[str]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    ids = {st["id"] for st, _ in statements_of(speech) if st.get("id")}
    keys: set[str] = set()
    position = 0
    for k, section in enumerate(speech.get("sections") or []):
        spath = f"{path}.sections[{k}]"
        if section["topic"] not in topics:
            errors.append((f"{spath}.topic", f"unknown topic {section['topic']!r}"))
        for m, st in enumerate(section.get("statements") or []):
            position += 1
            key = statement_key(st, position)
            if st.get("id") and key in keys:
                errors.append(
                    (
                        f"{spath}.statements[{m}].id",
                        f"statement id {key!r} appears twice in this speech",
                    )
                )
            elif not st.get("id") and key in ids:
                # Matched by position, it would take the id another statement has.
                errors.append(
                    (
                        f"{spath}.statements[{m}]",
                        f"has no id, and its position ({key}) is another statement's id",
                    )
                )
            keys.add(key)
            for n, fig in enumerate(st.get("figures") or []):
                value = fig["value"]
                if not isinstance(value, str) and Decimal(str(value)) != number_value(value):
                    errors.append(
                        (
                            f"{spath}.statements[{m}].figures[{n}].value",
                            f"expected a number with at most 4 decimal places, got {value!r}",
                        )
                    )
    return errors
