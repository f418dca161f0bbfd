import csv
import io
from html.parser import HTMLParser


class _TableParser(HTMLParser):
    """Rows of the first <table> as lists of cell texts (th and td alike)."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell, self.depth, self.done = [], None, None, 0, False
        self.caption, self.in_caption = "", False

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if tag == "table":
            self.depth += 1
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr" and self.depth:
            self.row = []
        elif tag in ("th", "td") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if self.done:
            return
        if tag == "table":
            self.done = True
        elif tag == "caption":
            self.in_caption = False
        elif tag in ("th", "td") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.in_caption:
            self.caption += data
        elif self.cell is not None:
            self.cell += data


def html_table(content: bytes) -> list[list[str]]:
    parser = _TableParser()
    parser.feed(content.decode("utf-8"))
    return parser.rows


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode()), "CSV must start with the UTF-8 BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def row(rows, label):
    """The row whose first cell is `label`."""
    for r in rows:
        if r and r[0] == label:
            return r
    raise AssertionError(f"no row {label!r} in {[r[0] for r in rows if r]}")


def xlsx_rows(data: bytes) -> list[tuple]:
    """The rows of a statistics workbook's first sheet from its header row on (after the title, the
    period and the note, which end at the first blank row)."""
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    blank = next((i for i, r in enumerate(rows) if all(c is None for c in r)), -1)
    return rows[blank + 1 :]
