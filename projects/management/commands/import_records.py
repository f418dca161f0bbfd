from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.importer import import_records, read_rows


class Command(BaseCommand):
    help = (
        "Import past collaboration records from a .csv (UTF-8, with or without BOM) or .xlsx file with the "
        "headers 年度, 事業名, 担当課, 協働先, 協働先の種別, 協働の形態 (optional 発案, 成果, 事業額, 市負担額, 継続状況). "
        "Nothing is imported when any row is invalid; importing the same file again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError(f"{path}: .csv or .xlsx expected")
        with path.open("rb") as stream:
            rows = read_rows(stream, path.name)
        self.stdout.write(f"{path.name}: {len(rows)} rows; validating …")
        step = max(1, len(rows) // 10)

        def progress(done, total):
            if done == total or done % step == 0:
                self.stdout.write(f"  {done}/{total}")

        result = import_records(rows, progress=progress)
        for error in result.errors:
            self.stderr.write(str(error))
        if result.new_departments:
            self.stdout.write("新しく作成した担当課（未分類）: " + "、".join(result.new_departments))
        if result.new_organizations:
            self.stdout.write("新しく作成した団体: " + "、".join(result.new_organizations))
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
