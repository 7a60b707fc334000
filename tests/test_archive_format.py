"""The apk-archive/1 format: its JSON Schema comes from the models, so whatever the database holds
exports and imports again, and whatever it cannot hold is refused with the file and JSON path
before anything is written. Also: the import's bulk writes keep the search index in step."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import strip_tags
from jsonschema import Draft202012Validator

from search.engine import search
from search.hits import hits_for
from sessions_app.archive import export_archive
from sessions_app.archive_schema import build_schema
from sessions_app.management.commands.archive_schema import schema_text
from sessions_app.models import Figure, Session, Speaker, Speech, Statement, Topic
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED_SCHEMA = ROOT / "docs" / "apk-archive-1.schema.json"
TEXT_LIMIT = 3000  # APK_MAX_TEXT_CHARS in these tests: long enough, quick to index
KAZAKH = "Қазақстан халқы Ассамблеясының әңгімесі: ұлттық бірлік, өңір, ғасыр, һәм іс. "


def kazakh(length: int) -> str:
    """Kazakh text of exactly `length` characters (two bytes each in UTF-8), not ending in a
    space."""
    text = (KAZAKH * (length // len(KAZAKH) + 1))[:length]
    return text[:-1] + "ә" if text.endswith(" ") else text


def limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def texts(length: int) -> dict[str, str]:
    return {lang: kazakh(length) for lang in ("kk", "ru", "en")}


def longest_archive() -> dict:
    """An archive in which every string is as long as the database allows."""
    speaker = "s" * limit(Speaker, "slug")
    topic = "t" * limit(Topic, "slug")
    return {
        "format": "apk-archive/1",
        "speakers": [
            {
                "slug": speaker,
                "name": texts(limit(Speaker, "name")),
                "position": texts(limit(Speaker, "position")),
            }
        ],
        "topics": [
            {
                "slug": topic,
                "name": texts(limit(Topic, "name")),
                "description": texts(TEXT_LIMIT),
            }
        ],
        "sessions": [
            {
                "number": 2**31 - 1,
                "date": "2024-04-25",
                "status": "published",
                "format": "hybrid",
                "title": texts(limit(Session, "title")),
                "venue": texts(limit(Session, "venue")),
                "summary": texts(TEXT_LIMIT),
                "participants": texts(TEXT_LIMIT),
                "chair": speaker,
                "speeches": [
                    {
                        "slug": "p" * limit(Speech, "slug"),
                        "speaker": speaker,
                        "delivered_on": "2024-04-25",
                        "status": "published",
                        "order": 1,
                        "title": texts(limit(Speech, "title")),
                        "lead": texts(TEXT_LIMIT),
                        "text": texts(TEXT_LIMIT),
                        "sections": [
                            {
                                "topic": topic,
                                "statements": [
                                    {
                                        "id": "k" * limit(Statement, "key"),
                                        "text": texts(TEXT_LIMIT),
                                        "figures": [
                                            {
                                                "value": "99999999999.9999",
                                                "unit": texts(limit(Figure, "unit")),
                                                "label": texts(limit(Figure, "label")),
                                            }
                                        ],
                                    }
                                ],
                            }
                        ],
                        "original_language": "kk",
                    }
                ],
            }
        ],
    }


def write(tmp_path, data, name="archive.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run_import(path) -> str:
    out = io.StringIO()
    call_command("import_sessions", str(path), stdout=out)
    return out.getvalue()


def counts() -> tuple:
    return tuple(m.objects.count() for m in (Speaker, Topic, Session, Speech, Statement, Figure))


def wipe() -> None:
    for model in (Figure, Statement, Speech, Session, Topic, Speaker):
        model.objects.all().delete()


# --- the schema --------------------------------------------------------------------------------


def test_the_published_schema_is_the_one_built_from_the_models():
    """docs/apk-archive-1.schema.json documents the format: it must say what the import checks.
    After changing a model: `python manage.py archive_schema -o docs/apk-archive-1.schema.json`."""
    assert PUBLISHED_SCHEMA.read_text(encoding="utf-8") == schema_text()


def test_the_schema_is_a_valid_draft_2020_12_schema():
    schema = json.loads(PUBLISHED_SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_length_limit_in_the_schema_is_the_models():
    defs = build_schema()["$defs"]
    assert defs["statement"]["properties"]["id"]["maxLength"] == limit(Statement, "key") == 80
    assert defs["speech"]["properties"]["slug"]["maxLength"] == limit(Speech, "slug") == 120
    assert defs["speaker"]["properties"]["slug"]["maxLength"] == limit(Speaker, "slug")
    assert defs["figure"]["properties"]["unit"]["properties"]["kk"]["maxLength"] == 100
    text = defs["statement"]["properties"]["text"]["properties"]["en"]
    assert text["maxLength"] == 100_000  # APK_MAX_TEXT_CHARS


def test_the_text_limit_follows_the_setting(settings):
    settings.APK_MAX_TEXT_CHARS = 1234
    text = build_schema()["$defs"]["speech"]["properties"]["text"]["properties"]["ru"]
    assert text["maxLength"] == 1234


def test_the_demo_archive_passes_the_published_schema():
    schema = json.loads(PUBLISHED_SCHEMA.read_text(encoding="utf-8"))
    demo = ROOT / "sessions_app" / "demo" / "apk-33rd-session.json"
    errors = list(Draft202012Validator(schema).iter_errors(json.loads(demo.read_text())))
    assert errors == []


# --- the longest values round-trip -------------------------------------------------------------


def test_every_field_at_its_longest_exports_and_imports_again_unchanged(tmp_path, settings):
    settings.APK_MAX_TEXT_CHARS = TEXT_LIMIT
    data = longest_archive()
    output = run_import(write(tmp_path, data))
    assert "statements: 1 created" in output
    first = export_archive()
    assert json.dumps(first, sort_keys=True) == json.dumps(data, sort_keys=True)
    statement = first["sessions"][0]["speeches"][0]["sections"][0]["statements"][0]
    assert len(statement["id"]) == 80
    assert len(statement["text"]["kk"]) == TEXT_LIMIT
    assert len(first["sessions"][0]["speeches"][0]["slug"]) == 120

    wipe()
    run_import(write(tmp_path, first, "exported.json"))
    second = export_archive()
    assert json.dumps(second, sort_keys=True) == json.dumps(first, sort_keys=True)
    assert "statements: 1 unchanged" in run_import(write(tmp_path, second, "again.json"))


def test_a_speech_slug_the_admin_accepts_exports_and_imports_again(tmp_path):
    statement = StatementFactory(speech__slug="s" * 120, key="k" * 80)
    statement.speech.full_clean()  # the admin's own check
    exported = export_archive()
    wipe()
    run_import(write(tmp_path, exported))
    assert Speech.objects.get().slug == "s" * 120
    assert Statement.objects.get().key == "k" * 80


# --- one over the limit is refused -------------------------------------------------------------


def _speech(d):
    return d["sessions"][0]["speeches"][0]


def _statement(d):
    return _speech(d)["sections"][0]["statements"][0]


ONE_TOO_LONG = [
    (
        lambda d: _statement(d).update(id="k" * 81),
        "sessions[0].speeches[0].sections[0].statements[0].id: too long: 81 characters, at most 80",
    ),
    (
        lambda d: _speech(d).update(slug="p" * 121),
        "sessions[0].speeches[0].slug: too long: 121 characters, at most 120",
    ),
    (
        lambda d: d["speakers"][0].update(slug="s" * 101),
        "speakers[0].slug: too long: 101 characters, at most 100",
    ),
    (
        lambda d: d["topics"][0]["name"].update(kk=kazakh(201)),
        "topics[0].name.kk: too long: 201 characters, at most 200",
    ),
    (
        lambda d: d["sessions"][0]["title"].update(ru=kazakh(301)),
        "sessions[0].title.ru: too long: 301 characters, at most 300",
    ),
    (
        lambda d: _statement(d)["figures"][0]["unit"].update(en=kazakh(101)),
        "statements[0].figures[0].unit.en: too long: 101 characters, at most 100",
    ),
    (
        lambda d: _statement(d)["text"].update(kk=kazakh(TEXT_LIMIT + 1)),
        "statements[0].text.kk: too long: 3,001 characters, at most 3,000",
    ),
    (
        lambda d: _speech(d)["text"].update(en=kazakh(TEXT_LIMIT + 1)),
        "sessions[0].speeches[0].text.en: too long: 3,001 characters, at most 3,000",
    ),
    (
        lambda d: _statement(d)["figures"][0].update(value="9999999999999999"),
        "statements[0].figures[0].value: expected a number, got '9999999999999999'",
    ),
]


@pytest.mark.parametrize(("break_it", "message"), ONE_TOO_LONG)
def test_one_character_over_the_limit_is_refused_with_its_path(
    tmp_path, settings, break_it, message
):
    settings.APK_MAX_TEXT_CHARS = TEXT_LIMIT
    data = longest_archive()
    break_it(data)
    path = write(tmp_path, data, "long.json")
    with pytest.raises(CommandError) as err:
        run_import(path)
    assert f"{path}: " in str(err.value)
    assert message in str(err.value)
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_50_megabyte_statement_is_refused_by_default(tmp_path):
    data = longest_archive()
    _statement(data)["text"]["en"] = "flood " * 9_000_000
    with pytest.raises(CommandError) as err:
        run_import(write(tmp_path, data))
    assert "statements[0].text.en: too long: 54,000,000 characters, at most 100,000" in str(
        err.value
    )


def test_a_misspelt_field_is_refused_rather_than_ignored(tmp_path):
    data = longest_archive()
    _speech(data)["sectons"] = _speech(data).pop("sections")
    with pytest.raises(CommandError) as err:
        run_import(write(tmp_path, data))
    assert "sessions[0].speeches[0].sectons: unknown field 'sectons'" in str(err.value)


def test_a_statement_without_id_may_not_take_another_statements_id(tmp_path):
    data = longest_archive()
    first = _statement(data)
    second = copy.deepcopy(first)
    del second["id"]
    first["id"] = "2"  # the second, matched by position, would be "2" too
    _speech(data)["sections"][0]["statements"].append(second)
    with pytest.raises(CommandError) as err:
        run_import(write(tmp_path, data))
    assert "statements[1]: has no id, and its position (2) is another statement's id" in str(
        err.value
    )


# --- the admin applies the same text limit ------------------------------------------------------


def test_the_admin_refuses_a_text_over_the_limit(settings):
    settings.APK_MAX_TEXT_CHARS = 100
    statement = StatementFactory(text_kk="Қысқа мәтін.")
    statement.text_kk = kazakh(101)
    with pytest.raises(ValidationError) as err:
        statement.full_clean()
    assert "text_kk" in err.value.message_dict
    assert "101" in err.value.message_dict["text_kk"][0]
    assert "100" in err.value.message_dict["text_kk"][0]
    statement.text_kk = kazakh(100)
    statement.full_clean()  # at the limit is fine


def test_the_admin_form_shows_the_text_limit(editor_client, settings):
    settings.APK_MAX_TEXT_CHARS = 50
    response = editor_client.post(
        "/en/admin/sessions_app/topic/add/",
        {"slug": "floods", "name_en": "Floods", "description_en": "x" * 51},
    )
    assert response.status_code == 200  # the form again, with the error
    assert "This text is 51 characters long; at most 50 are allowed." in response.content.decode()
    assert not Topic.objects.exists()


# --- the bulk import keeps search in step --------------------------------------------------------


def found(query: str, lang: str = "en") -> list[str]:
    hits = hits_for(search(query, languages=[lang], page_size=100))
    return [h.key if h.kind == "statement" else strip_tags(h.title) for h in hits]


def demo_data() -> dict:
    return json.loads((ROOT / "sessions_app/demo/apk-33rd-session.json").read_text())


def test_imported_statements_are_found_and_an_edit_is_found_by_its_new_words(tmp_path):
    data = demo_data()
    run_import(write(tmp_path, data))
    assert "evacuation" in found("evacuated")
    _statement(data)["text"]["en"] = "Reservoirs were dredged along the Ishim."
    key = _statement(data)["id"]
    output = run_import(write(tmp_path, data))
    assert "statements: 1 updated, 39 unchanged" in output
    assert found("dredged") == [key]
    assert key not in found("evacuated")


def test_renaming_a_topic_in_a_file_finds_its_statements_by_the_new_name(tmp_path):
    data = demo_data()
    run_import(write(tmp_path, data))
    data["topics"][0]["name"]["en"] = "Waterworks"
    run_import(write(tmp_path, data))
    section = _speech(data)["sections"][0]
    assert section["topic"] == data["topics"][0]["slug"]
    assert {st["id"] for st in section["statements"]} <= set(found("waterworks"))


def test_changing_a_figure_finds_its_statement_by_the_new_number(tmp_path):
    data = demo_data()
    run_import(write(tmp_path, data))
    statements = [st for section in _speech(data)["sections"] for st in section["statements"]]
    statement = next(st for st in statements if st.get("figures"))
    statement["figures"][0]["value"] = "4242"
    output = run_import(write(tmp_path, data))
    assert "figures: 1 updated" in output
    assert found("4242") == [statement["id"]]


def test_a_draft_in_the_file_is_not_found(tmp_path):
    data = demo_data()
    data["sessions"][0]["status"] = "draft"
    run_import(write(tmp_path, data))
    assert found("evacuated") == []


def test_a_large_import_into_an_empty_database_builds_the_same_index(tmp_path):
    """A restore (as much to index as the index holds) is indexed in one pass at the end
    (SQLite's FTS tables built once); what it finds must be what the row-by-row path finds."""
    data = demo_data()
    speech = _speech(data)
    statements = [
        {"id": f"item-{n}", "text": {"en": f"Item {n} on the reservoirs."}} for n in range(1200)
    ]
    statements[700]["text"]["en"] = "A zeppelin flew over the dam."
    speech["sections"].append({"topic": data["topics"][0]["slug"], "statements": statements})
    draft = copy.deepcopy(speech)
    draft.update(slug="draft-speech", status="draft", sections=draft["sections"][:1])
    draft["sections"][0]["statements"][0]["text"]["en"] = "A submarine in the steppe."
    data["sessions"][0]["speeches"].append(draft)
    run_import(write(tmp_path, data))
    assert found("zeppelin") == ["item-700"]
    assert search("reservoirs", languages=["en"]).total >= 1200
    assert found("submarine") == []
    # The index keeps following ordinary saves afterwards.
    StatementFactory(key="later", text_en="A lighthouse.")
    assert found("lighthouse") == ["later"]
