"""python manage.py export_stats TABLE [--from FY] [--to FY] [--format csv|xlsx] [--output PATH]"""

from django.core.management.base import BaseCommand, CommandError

from core.spreadsheets import csv_text, xlsx_workbook_bytes
from stats.tables import TITLES, build_table, default_range


class Command(BaseCommand):
    help = "統計表をCSV（UTF-8 BOM付き）またはExcel形式で書き出します。FYは西暦の年度（例: 2021）。"

    def add_arguments(self, parser):
        parser.add_argument("table", choices=list(TITLES))
        parser.add_argument("--from", dest="fy_from", type=int, help="開始年度（西暦）")
        parser.add_argument("--to", dest="fy_to", type=int, help="終了年度（西暦）")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", help="出力先のファイル（省略時は標準出力、xlsxでは必須）")

    def handle(self, *args, table, fy_from, fy_to, format, output, **options):
        default_from, default_to = default_range()
        fy_to = fy_to or default_to
        fy_from = fy_from or min(default_from, fy_to)
        if fy_from > fy_to:
            raise CommandError("--from は --to と同じか、それより前の年度にしてください。")
        tbl = build_table(table, fy_from, fy_to)
        if format == "xlsx":
            if not output:
                raise CommandError("xlsx では --output を指定してください。")
            data = xlsx_workbook_bytes([tbl.sheet(fy_from, fy_to)])
        else:
            data = csv_text(tbl.header, tbl.rows).encode("utf-8")
        if output:
            with open(output, "wb") as fh:
                fh.write(data)
            self.stderr.write(f"{tbl.title}（{fy_from}〜{fy_to}年度）を {output} に書き出しました。")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
