from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "apk-33rd-session.json"


class Command(BaseCommand):
    help = "Load the demo content (the 33rd session) and, with --editor, a development editor."

    def add_arguments(self, parser):
        parser.add_argument(
            "--editor",
            action="store_true",
            help="Create the development editor account 'editor' (password 'editor') if missing.",
        )

    def handle(self, *args, editor=False, **options):
        call_command("import_sessions", str(DEMO_FILE), stdout=self.stdout)
        if editor:
            User = get_user_model()
            if not User.objects.filter(username="editor").exists():
                User.objects.create_superuser("editor", "editor@example.org", "editor")
                self.stdout.write("created the development editor account")
            self.stdout.write(
                "Editors log in at http://127.0.0.1:8000/kk/admin/ as editor / editor "
                "(development only)."
            )
