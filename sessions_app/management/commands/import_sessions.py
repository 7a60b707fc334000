import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sessions_app.archive import statements_of
from sessions_app.progress import Progress
from sessions_app.services import ImportFailed, import_archive


def _statement_count(data) -> int:
    try:
        return sum(
            len(statements_of(speech))
            for session in data.get("sessions") or []
            for speech in session.get("speeches") or []
        )
    except (AttributeError, TypeError):  # not an archive: the import says what is wrong
        return 0


class Command(BaseCommand):
    help = (
        "Import sessions, speeches, statements, speakers and topics from apk-archive/1 JSON files. "
        "Idempotent; all files are imported in one transaction or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but write nothing."
        )

    def handle(self, *args, files, dry_run, verbosity=1, **options):
        documents = []
        for name in files:
            path = Path(name)
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError as exc:
                raise CommandError(f"{name}: no such file") from exc
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"{name}: cannot be read as UTF-8 text ({exc})") from exc
            try:
                documents.append((name, json.loads(text)))
            except json.JSONDecodeError as exc:
                raise CommandError(
                    f"{name}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
                ) from exc
        total = sum(_statement_count(data) for _, data in documents)
        # A progress bar on a terminal, a line at every tenth in a log.
        with Progress(self.stdout, total, "statements", enabled=verbosity > 0) as bar:

            def progress(what: str, n: int) -> None:
                if what == "statements":
                    bar.advance(n)
                elif verbosity > 0:
                    bar.close()
                    self.stdout.write(f"{what}…")

            try:
                report = import_archive(documents=documents, dry_run=dry_run, progress=progress)
            except ImportFailed as exc:
                bar.close()
                raise CommandError("nothing was imported:\n" + "\n".join(exc.errors)) from exc
        prefix = "[dry run, nothing written] " if dry_run else ""
        for line in report.lines():
            self.stdout.write(prefix + line)
