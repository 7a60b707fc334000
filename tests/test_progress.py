"""Long commands say how far they are: a progress bar on a terminal, plain lines in a log."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from sessions_app.progress import Progress

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parent.parent / "sessions_app" / "demo" / "apk-33rd-session.json"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_in_a_log_a_line_is_written_at_every_tenth_and_at_the_end():
    out = io.StringIO()
    with Progress(out, 40, "statements") as progress:
        for _ in range(40):
            progress.advance()
    lines = out.getvalue().splitlines()
    assert lines[0] == "statements: 4 of 40 (10%)"
    assert lines[-1] == "statements: 40 of 40 (100%)"
    assert len(lines) == 10


def test_large_steps_write_one_line_each_not_one_per_tenth_passed():
    out = io.StringIO()
    with Progress(out, 20_000, "statements") as progress:
        for _ in range(4):
            progress.advance(5_000)
    assert out.getvalue().splitlines() == [
        "statements: 5,000 of 20,000 (25%)",
        "statements: 10,000 of 20,000 (50%)",
        "statements: 15,000 of 20,000 (75%)",
        "statements: 20,000 of 20,000 (100%)",
    ]


def test_on_a_terminal_it_is_a_progress_bar_not_lines():
    out = Terminal()
    with Progress(out, 40, "statements") as progress:
        progress.advance(40)
    text = out.getvalue()
    assert "40/40" in text and "100%" in text
    assert "of 40" not in text


def test_nothing_to_count_writes_nothing():
    out = io.StringIO()
    with Progress(out, 0, "statements") as progress:
        progress.advance(3)
    assert out.getvalue() == ""


def test_import_says_how_far_it_is_in_a_log():
    out = io.StringIO()
    call_command("import_sessions", str(DEMO), stdout=out)
    lines = out.getvalue().splitlines()
    assert "statements: 40 of 40 (100%)" in lines
    assert "search index…" in lines
    # Progress first, then what was imported.
    assert lines.index("statements: 40 of 40 (100%)") < lines.index("statements: 40 created")


def test_import_is_quiet_about_progress_at_verbosity_0():
    out = io.StringIO()
    call_command("import_sessions", str(DEMO), stdout=out, verbosity=0)
    assert "of 40" not in out.getvalue()
    assert "statements: 40 created" in out.getvalue()


def test_export_says_how_far_it_is_on_standard_error(tmp_path):
    call_command("import_sessions", str(DEMO), stdout=io.StringIO())
    out, err = io.StringIO(), io.StringIO()
    call_command("export_sessions", stdout=out, stderr=err)
    assert "sessions: 1 of 1 (100%)" in err.getvalue()


def test_rebuilding_the_index_says_how_far_it_is():
    call_command("import_sessions", str(DEMO), stdout=io.StringIO())
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    text = out.getvalue()
    assert re.search(r"^records: [\d,]+ of [\d,]+ \(100%\)$", text, re.MULTILINE)
    assert "ranking frequent words…" in text
    assert "Indexed" in text
