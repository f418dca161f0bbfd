"""CSV and xlsx writers shared by every download of the portal.

Every cell goes through `safe_cell`, which neutralises spreadsheet formula injection: a text cell
starting with =, +, - or @ (or a tab / carriage return) gets a leading apostrophe, so Excel and
LibreOffice show it as text instead of running it. Numbers are written as numbers.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses these in sheet names; their full-width forms read the same.
SHEET_NAME_CHARS = str.maketrans({":": "：", "/": "／", "\\": "＼", "?": "？", "*": "＊", "[": "［", "]": "］"})
SHEET_NAME_MAX = 31
BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """The value as it may go into a CSV or xlsx cell: text that looks like a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def sheet_name(title, taken=()) -> str:
    """A name Excel accepts for a sheet titled `title`: no forbidden character, at most 31 characters,
    not starting or ending with an apostrophe, and not one of `taken` (a (2), (3) … suffix then)."""
    base = str(title).translate(SHEET_NAME_CHARS).strip().strip("'")[:SHEET_NAME_MAX] or "Sheet"
    name, n = base, 2
    while name in taken:
        suffix = f"({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    return name


def csv_text(header: Sequence, rows: Iterable[Sequence], *, bom: bool = True) -> str:
    """The table as CSV text: one header row, then the rows; UTF-8 BOM first unless bom=False."""
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence], *, title: str = "Sheet1", decimal_columns=()) -> bytes:
    """The table as an .xlsx workbook of one sheet; `decimal_columns` (0-based) show one decimal."""
    return xlsx_workbook_bytes([(title, header, rows, decimal_columns)])


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence], *, bom: bool = True) -> HttpResponse:
    response = HttpResponse(csv_text(header, rows, bom=bom).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, sheets: Iterable[tuple]) -> HttpResponse:
    response = HttpResponse(xlsx_workbook_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_workbook_bytes(sheets: Iterable[tuple]) -> bytes:
    """Several tables as one workbook: (sheet title, header, rows, decimal columns[, heading lines]) per
    sheet. Heading lines (the first in bold) and a blank row go above the header, which stays frozen."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows, decimal_columns, *rest in sheets:
        heading = list(rest[0]) if rest else []
        ws = wb.create_sheet(sheet_name(title, wb.sheetnames))
        for line in heading:
            ws.append([safe_cell(line)])
        if heading:
            ws.cell(row=1, column=1).font = Font(bold=True, size=14)
            ws.append([])
        header_row = ws.max_row + 1 if heading else 1
        ws.append([safe_cell(c) for c in header])
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
        if heading:
            ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        for row in rows:
            ws.append([float(c) if isinstance(c, Decimal) else safe_cell(c) for c in row])
        for col in decimal_columns:
            for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=col + 1, max_col=col + 1):
                cell.number_format = "0.0"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
