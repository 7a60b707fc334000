import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sessions_app.archive import export_archive
from sessions_app.models import Session
from sessions_app.progress import Progress


class Command(BaseCommand):
    help = "Export the whole archive as apk-archive/1 JSON (to standard output or --output FILE)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="FILE")
        parser.add_argument(
            "--published-only",
            action="store_true",
            help="Leave out draft sessions and speeches (for publishing the data).",
        )

    def handle(self, *args, output=None, published_only=False, verbosity=1, **options):
        sessions = Session.objects.all()
        if published_only:
            sessions = sessions.published()
        # On standard error: standard output may be the archive itself.
        with Progress(self.stderr, sessions.count(), "sessions", enabled=verbosity > 0) as bar:
            data = export_archive(include_drafts=not published_only, progress=bar.advance)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"{output}: cannot write ({exc})") from exc
            self.stderr.write(f"wrote {len(data['sessions'])} sessions to {output}")
        else:
            sys.stdout.write(text)
