from django.core.management.base import BaseCommand

from search import indexing
from sessions_app.progress import Progress


class Command(BaseCommand):
    help = (
        "Throw the search index away and build it again from every session, speech, statement, "
        "topic and speaker. Needed after loading fixtures, after a large import done without "
        "signals, or after the language rules (search/language/text.py) change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Records read and written at a time."
        )

    def handle(self, *args, batch_size=2000, verbosity=1, **options):
        total = sum(spec.rows().count() for spec in indexing.SPECS.values())
        # A progress bar on a terminal, a line at every tenth in a log.
        with Progress(self.stdout, total, "records", enabled=verbosity > 0) as bar:

            def progress(kind: str, n: int) -> None:
                if n:
                    bar.advance(n)
                elif verbosity > 0:
                    bar.close()
                    self.stdout.write("ranking frequent words…")

            report = indexing.rebuild(batch_size=batch_size, progress=progress)
        for kind, count in report.per_kind.items():
            self.stdout.write(f"{kind}: {count} documents")
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {report.documents} documents and {report.forms} word forms "
                f"in {report.seconds:.1f} s."
            )
        )
