from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.workflow import render_doc_tables


class Command(BaseCommand):
    help = "Rewrite the transition tables in docs/architecture.md from the declared workflows (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if the document differs from the code")

    def handle(self, *args, check=False, **options):
        path = Path(settings.BASE_DIR) / "docs" / "architecture.md"
        text = path.read_text(encoding="utf-8")
        rendered = render_doc_tables(text)
        if check:
            if rendered != text:
                raise CommandError("docs/architecture.md is out of date: run manage.py workflow_tables")
            self.stdout.write("docs/architecture.md matches the declared workflows.")
            return
        path.write_text(rendered, encoding="utf-8")
        self.stdout.write("docs/architecture.md updated.")
