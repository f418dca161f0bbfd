"""python manage.py import_survey PATH [--dry-run] [--create-departments]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.japanese import join_names
from surveys.answers_io import MAX_UNPACKED, import_answers


class Command(BaseCommand):
    help = "過去の協働事業実態調査の回答（.xlsx、シート「事業別」「課別」）を読み込みます。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="確認だけして読み込まない")
        parser.add_argument("--create-departments", action="store_true", help="見つからない担当課を作成する")

    def handle(self, *args, path, dry_run, create_departments, **options):
        file = Path(path)
        if file.suffix.lower() != ".xlsx" or not file.is_file():
            raise CommandError(f"{path}: .xlsx のファイルを指定してください。")
        if file.stat().st_size > MAX_UNPACKED:
            raise CommandError(f"{path}: ファイルが大きすぎます。")
        result = import_answers(file.read_bytes(), dry_run=dry_run, create_departments=create_departments)
        for e in result.errors:
            where = f"{e.sheet} {e.line}行目: " if e.line else ""
            self.stderr.write(f"{where}{e.message}")
        if result.errors:
            raise CommandError(f"{len(result.errors)}件の誤りがあるため、何も読み込んでいません。")
        years = join_names(str(fy) for fy in result.surveys)
        summary = f"{years}年度: {result.departments}課、{result.projects}事業"
        if result.created_departments:
            summary += f"（作成する担当課: {join_names(result.created_departments)}）"
        if dry_run:
            self.stdout.write(f"確認のみ（読み込んでいません）: {summary}")
        else:
            self.stdout.write(f"読み込みました: {summary}、更新した課 {result.changed}")
