"""The `apk-archive/1` interchange format, defined as a JSON Schema (draft 2020-12).

The schema is built from the models, so that the format and the database cannot disagree: every
length limit is the `max_length` of the model field the value is stored in (a statement id, a
speech slug, a title), and every text (a TextField) is limited to `settings.APK_MAX_TEXT_CHARS`
characters, the limit the admin applies too. `docs/apk-archive-1.schema.json` is this schema as
published (`python manage.py archive_schema --output docs/apk-archive-1.schema.json`; a test
keeps the two equal).

`schema_errors()` checks a document against it and words each problem for a person, with the
JSON path of the value (`sessions[0].speeches[2].slug: 'Bad Slug!' is not a valid slug`). What
a schema cannot say (references to speakers and topics, ids unique within their scope) is
checked in code afterwards (`archive.validate_archive`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from .models import Figure, Session, SessionFormat, Speaker, Speech, Statement, Status, Topic

FORMAT_NAME = "apk-archive/1"
LANGS: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
# What Django's SlugField accepts (validate_slug).
SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"


def max_text_chars() -> int:
    return settings.APK_MAX_TEXT_CHARS


def _max_length(model: type[models.Model], name: str) -> int:
    """The model's own limit: a CharField's max_length, or the text limit for a TextField."""
    field = model._meta.get_field(name)
    if isinstance(field, models.TextField):
        return max_text_chars()
    return field.max_length


def _slug(model: type[models.Model], name: str, description: str) -> dict:
    return {
        "description": description,
        "type": "string",
        "minLength": 1,
        "maxLength": _max_length(model, name),
        "pattern": SLUG_PATTERN,
    }


def _texts(model: type[models.Model], name: str, *, required: bool = False) -> dict:
    """A map of language code to text; a missing, null or empty language is not translated."""
    limit = _max_length(model, name)
    schema: dict[str, Any] = {
        "description": (
            f"the {model._meta.verbose_name}'s {model._meta.get_field(name).verbose_name}, "
            f"per language, at most {limit} characters each"
            + ("; text in at least one language" if required else "")
        ),
        "type": "object",
        "properties": {code: {"type": ["string", "null"], "maxLength": limit} for code in LANGS},
        "additionalProperties": False,
    }
    if required:
        schema["anyOf"] = [
            {"required": [code], "properties": {code: {"type": "string", "pattern": r"\S"}}}
            for code in LANGS
        ]
    return schema


def _date(description: str) -> dict:
    return {"description": description, "type": "string", "format": "date"}


# Significant digits a figure may have in all: SQLite keeps a decimal as a floating-point number,
# exact to 15 digits (PostgreSQL's numeric column holds the model's 24). More would come back
# changed from the embedded database, so the format allows what both keep exactly.
EXACT_DIGITS = 15


def _decimal(model: type[models.Model], name: str) -> dict:
    field = model._meta.get_field(name)
    places = field.decimal_places
    whole = min(field.max_digits - places, EXACT_DIGITS)
    return {
        "description": (
            f"a decimal number, written as a string: at most {EXACT_DIGITS} digits in all, "
            f"{places} of them after the point"
        ),
        "type": ["string", "number"],
        "pattern": (
            f"^-?(?=(?:[0-9]\\.?){{1,{EXACT_DIGITS}}}$)"  # the digits in all
            f"[0-9]{{1,{whole}}}(\\.[0-9]{{1,{places}}})?$"
        ),
        "exclusiveMaximum": 10**whole,
        "exclusiveMinimum": -(10**whole),
    }


def _record(properties: dict, required: Iterable[str] = ()) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def _list(ref: str, description: str) -> dict:
    return {"description": description, "type": "array", "items": {"$ref": f"#/$defs/{ref}"}}


def build_schema() -> dict:
    """The format's JSON Schema, with today's models and settings (described in English)."""
    with translation.override("en"):
        return _build_schema()


def _build_schema() -> dict:
    status = {
        "description": "draft or published (default draft)",
        "enum": list(Status.values),
    }
    order = {"type": "integer", "minimum": 1}
    return {
        "$schema": SCHEMA_DRAFT,
        "title": FORMAT_NAME,
        "description": (
            "The archive of the Assembly of the People of Kazakhstan: sessions, speeches, "
            "statements and figures, speakers and topics, in "
            + ", ".join(LANGS)
            + ". Records are keyed by session number, speech slug within its session, speaker "
            "and topic slug, and statement id within its speech. Every map of language code "
            "to text may leave a language out (not yet translated)."
        ),
        "type": "object",
        "required": ["format"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT_NAME},
            "speakers": _list("speaker", "people who speak or chair"),
            "topics": _list("topic", "subjects the statements are filed under"),
            "sessions": _list("session", "sessions, each with its speeches"),
        },
        "$defs": {
            "speaker": _record(
                {
                    "slug": _slug(Speaker, "slug", "the speaker's key"),
                    "name": _texts(Speaker, "name", required=True),
                    "position": _texts(Speaker, "position"),
                },
                required=["slug", "name"],
            ),
            "topic": _record(
                {
                    "slug": _slug(Topic, "slug", "the topic's key"),
                    "name": _texts(Topic, "name", required=True),
                    "description": _texts(Topic, "description"),
                },
                required=["slug", "name"],
            ),
            "session": _record(
                {
                    "number": {
                        "description": "the session's ordinal number, its key and address",
                        **order,
                    },
                    "date": _date("the day the session was held, YYYY-MM-DD"),
                    "status": status,
                    "format": {
                        "description": "how it was held (default in_person)",
                        "enum": list(SessionFormat.values),
                    },
                    "title": _texts(Session, "title", required=True),
                    "venue": _texts(Session, "venue"),
                    "summary": _texts(Session, "summary"),
                    "participants": _texts(Session, "participants"),
                    "chair": {
                        "description": "the slug of a speaker in this or an earlier archive",
                        "anyOf": [
                            _slug(Speaker, "slug", "a speaker's slug"),
                            {"enum": [None, ""]},
                        ],
                    },
                    "speeches": _list("speech", "the speeches given at the session"),
                },
                required=["number", "date", "title"],
            ),
            "speech": _record(
                {
                    "slug": _slug(Speech, "slug", "the speech's key within its session"),
                    "speaker": _slug(Speaker, "slug", "the slug of the speaker who gave it"),
                    "delivered_on": _date("the day it was given, YYYY-MM-DD"),
                    "status": status,
                    "order": {
                        "description": "its place in the session (default: its place here)",
                        **order,
                    },
                    "original_language": {
                        "description": "the language it was delivered in",
                        "enum": [*LANGS, "", None],
                    },
                    "title": _texts(Speech, "title", required=True),
                    "lead": _texts(Speech, "lead"),
                    "text": _texts(Speech, "text"),
                    "sections": _list(
                        "section", "runs of consecutive statements under one topic, in order"
                    ),
                },
                required=["slug", "speaker", "delivered_on", "title"],
            ),
            "section": _record(
                {
                    "topic": _slug(Topic, "slug", "the slug of the statements' topic"),
                    "statements": _list("statement", "the statements, in order"),
                },
                required=["topic"],
            ),
            "statement": _record(
                {
                    "id": _slug(
                        Statement,
                        "key",
                        "the statement's permanent permalink anchor, unique within its speech "
                        "(without one, statements are matched by position)",
                    ),
                    "text": _texts(Statement, "text", required=True),
                    "figures": _list("figure", "numbers stated in the statement, in order"),
                },
                required=["text"],
            ),
            "figure": _record(
                {
                    "value": _decimal(Figure, "value"),
                    "unit": _texts(Figure, "unit"),
                    "label": _texts(Figure, "label"),
                },
                required=["value"],
            ),
        },
    }


# --- checking a document -----------------------------------------------------------------------


@cache
def _compiled(pattern: str) -> re.Pattern:
    # JSON Schema's `$` is the end of the text; Python's would also pass a final newline
    # ("slug\n"), which the database would then store.
    return re.compile(re.sub(r"\$$", r"\\Z", pattern))


def _pattern(validator, pattern, instance, schema):
    if isinstance(instance, str) and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


def _inlined(node: Any, defs: dict) -> Any:
    """The schema with each `$ref` replaced by its definition: the same checks, without a
    reference to resolve for every record (a fifth of the time on a large archive)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _inlined(defs[node["$ref"].removeprefix("#/$defs/")], defs)
        return {key: _inlined(value, defs) for key, value in node.items() if key != "$defs"}
    if isinstance(node, list):
        return [_inlined(value, defs) for value in node]
    return node


@cache
def _validator(limit: int) -> Draft202012Validator:
    # One validator per text limit (a setting, changed in tests).
    schema = build_schema()
    return _Validator(_inlined(schema, schema["$defs"]), format_checker=FormatChecker(["date"]))


def validator() -> Draft202012Validator:
    return _validator(max_text_chars())


def json_path(parts: Iterable[str | int]) -> str:
    """`sessions[0].speeches[2].title.kk`; the document itself is `$`."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def kind_of(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "nothing" if value is None else "a number"
    )


def _is_texts(schema: dict) -> bool:
    return schema.get("type") == "object" and set(schema.get("properties", ())) == set(LANGS)


def _expected(schema: dict) -> str:
    types = schema.get("type")
    types = types if isinstance(types, list) else [types]
    if schema.get("format") == "date":
        return "a date as YYYY-MM-DD"
    if schema.get("pattern") == SLUG_PATTERN:
        return "a slug"
    if "number" in types:
        return "a number"
    if "integer" in types:
        return "a whole number of at least 1"
    if _is_texts(schema):
        return "a map of language to text"
    return {"object": "an object", "array": "a list", "string": "text"}.get(types[0], types[0])


def _messages(error: ValidationError) -> Iterable[tuple[list, str]]:
    """(path, message) of one schema error, worded for the person who wrote the file."""
    path = list(error.absolute_path)
    keyword, value, schema = error.validator, error.instance, error.schema
    if keyword == "type":
        yield path, f"expected {_expected(schema)}, got {kind_of(value)}"
    elif keyword == "format":
        yield path, f"expected {_expected(schema)}, got {value!r}"
    elif keyword == "pattern" and schema.get("pattern") == SLUG_PATTERN:
        yield path, f"{value!r} is not a valid slug (letters, digits, - and _)"
    elif keyword in ("pattern", "exclusiveMaximum", "exclusiveMinimum", "minimum", "maximum"):
        if "integer" in (schema.get("type"),):
            yield path, f"expected {_expected(schema)}, got {value!r}"
        else:
            yield path, f"expected a number, got {value!r} ({schema['description']})"
    elif keyword == "maxLength":
        yield path, f"too long: {len(value):,} characters, at most {error.validator_value:,}"
    elif keyword == "minLength":
        yield path, f"expected {_expected(schema)}, got an empty text"
    elif keyword == "enum":
        choices = ", ".join(str(c) for c in error.validator_value if c)
        yield path, f"{value!r} is not one of {choices}"
    elif keyword == "const":
        yield path, f"expected {error.validator_value!r}, got {value!r}"
    elif keyword == "anyOf" and _is_texts(schema):
        yield path, "needs text in at least one language"
    elif keyword == "anyOf":  # a session's chair
        yield path, f"expected a speaker's slug, got {value!r}"
    elif keyword == "required":
        for name in error.validator_value:
            if name not in value:
                if _is_texts(schema["properties"][name]):
                    yield [*path, name], "needs text in at least one language"
                else:
                    yield [*path, name], f"missing: {schema['properties'][name]['description']}"
    elif keyword == "additionalProperties":
        known = list(schema.get("properties", ()))
        for name in sorted(set(value) - set(known), key=str):
            if _is_texts(schema):
                yield [*path, name], f"unknown language {name!r} (use {', '.join(LANGS)})"
            else:
                yield [*path, name], f"unknown field {name!r} (fields: {', '.join(known)})"
    else:
        yield path, error.message


def schema_errors(data: Any) -> list[tuple[str, str]]:
    """Every way the document breaks the schema, as (JSON path, message), sorted by path.

    A document of another format gets that one message, not one for each of its records."""
    if isinstance(data, dict) and data.get("format") != FORMAT_NAME:
        return [("format", f"expected {FORMAT_NAME!r}, got {data.get('format')!r}")]
    check = validator()
    if check.is_valid(data):
        return []
    found = []
    for error in check.iter_errors(data):
        for path, message in _messages(error):
            found.append((path, json_path(path), message))
    found.sort(key=lambda item: [(0, p) if isinstance(p, int) else (1, str(p)) for p in item[0]])
    return [(path, message) for _, path, message in found]
