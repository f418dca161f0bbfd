from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.japanese import join_names
from projects.importer import ImportFileError, import_records, preview, read_rows


class Command(BaseCommand):
    help = (
        "Import past collaboration records from a .csv (UTF-8 with or without BOM, or Shift_JIS/cp932 as saved by "
        "Excel) or .xlsx file with the headers 年度, 事業名, 担当課, 協働先, 協働先の種別, 協働の形態 (optional 発案, "
        "成果, 事業額, 市負担額, 継続状況). Nothing is imported when any row is invalid; an unknown 担当課 is an "
        "error unless --create-departments; importing the same file again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="print the preview only; write nothing")
        parser.add_argument(
            "--create-departments",
            action="store_true",
            help="create departments the portal does not know (under 未分類) instead of refusing their rows",
        )

    def handle(self, *args, path: Path, dry_run: bool, create_departments: bool, **options):
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError(f"{path}: .csv or .xlsx expected")
        try:
            with path.open("rb") as stream:
                rows = read_rows(stream, path.name)
        except ImportFileError as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        self.stdout.write(f"{path.name}: {len(rows)} rows; validating …")
        if dry_run:
            result = preview(rows, create_departments=create_departments)
            self.stdout.write(
                f"追加する行: {len(result.to_add)}件、登録済みの行: {len(result.present)}件、誤り: {len(result.errors)}行"
            )
            if result.unknown_departments:
                self.stdout.write("新しく作成する担当課（未分類）: " + join_names(result.unknown_departments))
            for error in result.errors:
                self.stderr.write(str(error))
            self.stdout.write("（--dry-run: 何も登録していません）")
            return
        step = max(1, len(rows) // 10)

        def progress(done, total):
            if done == total or done % step == 0:
                self.stdout.write(f"  {done}/{total}")

        result = import_records(rows, create_departments=create_departments, progress=progress)
        for error in result.errors:
            self.stderr.write(str(error))
        if result.new_departments:
            self.stdout.write("新しく作成した担当課（未分類）: " + join_names(result.new_departments))
        if result.new_organizations:
            self.stdout.write("新しく作成した団体: " + join_names(result.new_organizations))
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
