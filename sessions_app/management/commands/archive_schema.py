import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from sessions_app.archive_schema import build_schema


def schema_text() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = (
        "Print the apk-archive/1 JSON Schema built from the models (or write it with --output; "
        "docs/apk-archive-1.schema.json is the published copy)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="FILE")

    def handle(self, *args, output=None, **options):
        if output:
            Path(output).write_text(schema_text(), encoding="utf-8")
            self.stderr.write(f"wrote the schema to {output}")
        else:
            sys.stdout.write(schema_text())
