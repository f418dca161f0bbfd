"""Server-side SVG bar charts of statistics tables: no JavaScript, the table beside it stays the source."""

from dataclasses import dataclass
from decimal import Decimal

from .tables import Table

PALETTE = ["#0b5394", "#b35900", "#2e7d32", "#6a1b9a", "#c62828", "#00695c", "#455a64", "#ad1457", "#4e342e"]
WIDTH = 760
LABEL_WIDTH = 230
VALUE_WIDTH = 60
BAR_GAP = 10


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    value: object
    value_x: int
    text_y: int


@dataclass
class Category:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass
class LegendItem:
    label: str
    colour: str
    x: int
    y: int


@dataclass
class Chart:
    title: str
    width: int
    height: int
    categories: list[Category]
    legend: list[LegendItem]
    label_width: int
    axis_top: int


def _is_number(value) -> bool:
    """Counts and shares (Decimal) are charted; text and booleans are not."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def bar_chart(table: Table) -> Chart:
    """Horizontal grouped bars: one group per body row, one bar per charted column."""
    series = [table.display_header[i] for i in table.chart_columns]
    bar_h = 22 if len(series) == 1 else 12
    legend = []
    top = 8
    if len(series) > 1:
        x = LABEL_WIDTH
        for n, name in enumerate(series):
            width = 24 + 14 * len(name)
            if x + width > WIDTH:
                x, top = LABEL_WIDTH, top + 20
            legend.append(LegendItem(name, PALETTE[n % len(PALETTE)], x, top))
            x += width
        top += 28
    rows = table.body_rows
    numbers = [float(row[i]) for row in rows for i in table.chart_columns if _is_number(row[i])]
    peak = max(numbers, default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / peak
    categories, y = [], top
    for row in rows:
        label = table.chart_labels.get(row[0], table.display_label(row[0]))
        bars = []
        for n, i in enumerate(table.chart_columns):
            value = row[i] if _is_number(row[i]) else 0
            width = round(float(value) * scale)
            by = y + n * bar_h
            bars.append(
                Bar(
                    LABEL_WIDTH,
                    by,
                    width,
                    bar_h - 2,
                    PALETTE[n % len(PALETTE)],
                    value,
                    LABEL_WIDTH + width + 4,
                    by + bar_h - 4,
                )
            )
        group_h = bar_h * len(series)
        categories.append(Category(label, y + group_h // 2 + 5, bars))
        y += group_h + BAR_GAP
    return Chart(table.title, WIDTH, y + 4, categories, legend, LABEL_WIDTH - 8, top)
