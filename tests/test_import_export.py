import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from sessions_app.archive import export_archive
from sessions_app.models import Figure, Session, Speaker, Speech, Statement, Topic
from sessions_app.services import ImportFailed, import_archive

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parent.parent / "sessions_app" / "demo" / "apk-33rd-session.json"


def demo_data() -> dict:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def run_import(*paths) -> str:
    out = io.StringIO()
    call_command("import_sessions", *map(str, paths), stdout=out)
    return out.getvalue()


def write(tmp_path, data, name="archive.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def counts() -> tuple:
    return tuple(m.objects.count() for m in (Speaker, Topic, Session, Speech, Statement, Figure))


def test_demo_content_loads_every_statement_and_figure_of_the_factsheet():
    output = run_import(DEMO)
    assert "statements: 40 created" in output
    session = Session.objects.get(number=33)
    speech = session.speeches.get()
    with translation.override("kk"):
        assert session.title == "Бірлік. Жасампаздық. Прогресс."
    with translation.override("ru"):
        assert session.title == "Единство. Созидание. Прогресс."
    assert speech.statements.count() == 40
    values = set(Figure.objects.values_list("value", flat=True))
    assert {119000, 45000, 770000000, 20, 134} <= {int(v) for v in values}
    topics_in_order = []
    for st in speech.statements.select_related("topic"):
        if not topics_in_order or topics_in_order[-1] != st.topic.slug:
            topics_in_order.append(st.topic.slug)
    assert topics_in_order == [
        "flood-relief",
        "flood-prevention",
        "reforms",
        "foreign-policy",
        "assembly",
    ]


def test_importing_twice_changes_nothing():
    run_import(DEMO)
    before = counts()
    versions = list(Statement.objects.order_by("pk").values_list("version", flat=True))
    output = run_import(DEMO)
    assert counts() == before
    assert "created" not in output and "updated" not in output
    assert "statements: 40 unchanged" in output
    assert list(Statement.objects.order_by("pk").values_list("version", flat=True)) == versions


def test_an_edited_file_updates_in_place(tmp_path):
    run_import(DEMO)
    data = demo_data()
    speech = data["sessions"][0]["speeches"][0]
    first = speech["sections"][0]["statements"][0]
    first["text"]["en"] = "Edited English text."
    del speech["sections"][-1]["statements"][-1]
    before_pk = Statement.objects.get(key=first["id"]).pk
    output = run_import(write(tmp_path, data))
    assert "statements: 1 updated, 1 deleted, 38 unchanged" in output
    edited = Statement.objects.get(key=first["id"])
    assert edited.pk == before_pk  # same statement, so its permalink is unchanged
    assert edited.text_en == "Edited English text."
    assert Statement.objects.count() == 39


def test_export_import_export_is_identical(tmp_path):
    run_import(DEMO)
    speech = Speech.objects.get()
    # A language left untranslated must stay missing after the round trip.
    st = speech.statements.first()
    st.text_en = None
    st.save()
    first = export_archive()
    path = write(tmp_path, first)
    for model in (Figure, Statement, Speech, Session, Topic, Speaker):
        model.objects.all().delete()
    run_import(path)
    second = export_archive()
    assert json.dumps(second, sort_keys=True) == json.dumps(first, sort_keys=True)
    exported_statement = second["sessions"][0]["speeches"][0]["sections"][0]["statements"][0]
    assert "en" not in exported_statement["text"]
    assert set(exported_statement["text"]) == {"kk", "ru"}


def test_export_command_writes_the_format_to_a_file(tmp_path):
    run_import(DEMO)
    out = tmp_path / "out.json"
    call_command("export_sessions", "--output", str(out), stderr=io.StringIO())
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "apk-archive/1"
    assert data["sessions"][0]["number"] == 33
    assert data["sessions"][0]["venue"] == {}  # the factsheet names no venue


def test_public_export_leaves_drafts_out():
    run_import(DEMO)
    Speech.objects.update(status="draft")
    data = export_archive(include_drafts=False)
    assert data["sessions"][0]["speeches"] == []
    Session.objects.update(status="draft")
    assert export_archive(include_drafts=False)["sessions"] == []
    assert len(export_archive()["sessions"]) == 1


BAD_INPUTS = [
    (
        lambda d: d["sessions"][0]["speeches"][0]["sections"][0].update(topic="flod"),
        "sessions[0].speeches[0].sections[0].topic: unknown topic 'flod'",
    ),
    (
        lambda d: d["sessions"][0].update(date="25.04.2024"),
        "sessions[0].date: expected a date as YYYY-MM-DD",
    ),
    (lambda d: d["sessions"][0].update(status="live"), "sessions[0].status: 'live' is not one of"),
    (lambda d: d["sessions"][0].update(format="zoom"), "sessions[0].format: 'zoom' is not one of"),
    (lambda d: d["sessions"][0].update(number="33"), "sessions[0].number: expected a whole number"),
    (
        lambda d: d["sessions"][0]["speeches"][0].update(speaker="nobody"),
        "sessions[0].speeches[0].speaker: unknown speaker 'nobody'",
    ),
    (
        lambda d: d["sessions"][0]["speeches"][0]["sections"][0]["statements"][1]["figures"][
            0
        ].update(value="many"),
        "sessions[0].speeches[0].sections[0].statements[1].figures[0].value: expected a number",
    ),
    (
        lambda d: d["sessions"][0]["title"].update(de="Einheit"),
        "sessions[0].title.de: unknown language 'de'",
    ),
    (lambda d: d["sessions"][0].update(title={}), "sessions[0].title: needs text in at least one"),
    (lambda d: d.update(format="other/2"), "format: expected 'apk-archive/1'"),
    (
        lambda d: d["sessions"][0]["speeches"][0].update(slug="Bad Slug!"),
        "sessions[0].speeches[0].slug: 'Bad Slug!' is not a valid slug",
    ),
    (
        lambda d: d["sessions"].append(copy.deepcopy(d["sessions"][0])),
        "sessions[1].number: session 33 appears twice",
    ),
    (
        lambda d: d["sessions"][0]["speeches"][0]["sections"][0]["statements"][2].update(
            id="evacuation"
        ),
        "statements[2].id: statement id 'evacuation' appears twice",
    ),
    (lambda d: d.update(sessions={"number": 1}), "sessions: expected a list, got an object"),
]


@pytest.mark.parametrize(("break_it", "message"), BAD_INPUTS)
def test_bad_input_names_file_and_path_and_writes_nothing(tmp_path, break_it, message):
    data = demo_data()
    break_it(data)
    path = write(tmp_path, data, "broken.json")
    with pytest.raises(CommandError) as err:
        run_import(path)
    assert f"{path}: " in str(err.value)
    assert message in str(err.value)
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_bad_second_file_rolls_back_the_first(tmp_path):
    bad = demo_data()
    bad["sessions"][0]["number"] = 34
    bad["sessions"][0]["speeches"][0]["sections"][0]["topic"] = "nope"
    with pytest.raises(CommandError) as err:
        run_import(DEMO, write(tmp_path, bad, "second.json"))
    assert "second.json: sessions[0].speeches[0].sections[0].topic" in str(err.value)
    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "$: expected an object, got a list"),
        (b"\xff\xfe\x00", "cannot be read as UTF-8"),
    ],
)
def test_unreadable_files_get_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(CommandError) as err:
        run_import(path)
    assert message in str(err.value)


def test_missing_file_is_named():
    with pytest.raises(CommandError, match=r"nope\.json: no such file"):
        run_import("nope.json")


def test_dry_run_reports_but_writes_nothing():
    out = io.StringIO()
    call_command("import_sessions", str(DEMO), "--dry-run", stdout=out)
    assert "statements: 40 created" in out.getvalue()
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_statements_without_ids_are_matched_by_position():
    data = demo_data()
    for section in data["sessions"][0]["speeches"][0]["sections"]:
        for st in section["statements"]:
            st.pop("id")
    import_archive(documents=[("a", data)])
    report = import_archive(documents=[("a", data)])
    assert report.unchanged["statement"] == 40 and not report.changed


def test_service_raises_with_every_error_listed():
    data = demo_data()
    data["sessions"][0]["date"] = "x"
    data["sessions"][0]["status"] = "x"
    with pytest.raises(ImportFailed) as err:
        import_archive(documents=[("f.json", data)])
    assert len(err.value.errors) == 2
