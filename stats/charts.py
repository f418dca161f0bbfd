"""Server-side SVG charts of statistics tables: no JavaScript, the table beside it stays the source.

Each chart is drawn twice, wide (desktop) and narrow (phones, shown below 576 px), so that its text
keeps a readable size instead of shrinking with the picture; the legend is HTML and wraps.
By-year tables get a line chart (the trend is the point), the others horizontal bars.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .tables import Table

PALETTE = [
    "#0b5394",
    "#b35900",
    "#2e7d32",
    "#6a1b9a",
    "#c62828",
    "#00695c",
    "#455a64",
    "#ad1457",
    "#4e342e",
    "#1565c0",
    "#827717",
    "#37474f",
]
# Lines beyond the palette repeat its colours dashed, so no two series look alike.
DASHES = ["", "6 3", "2 3"]
WIDE, NARROW = 760, 360


@dataclass
class LegendItem:
    label: str
    colour: str
    dash: str = ""


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
    label_x: int
    label_y: int
    anchor: str
    bars: list[Bar]


@dataclass
class Line:
    colour: str
    dash: str
    points: str
    dots: list[tuple[int, int]]


@dataclass
class Tick:
    label: str
    x: int
    y: int


@dataclass
class Drawing:
    """One rendering of a chart at one width."""

    width: int
    height: int
    font: int
    categories: list[Category] = field(default_factory=list)
    axis: tuple[int, int, int, int] = (0, 0, 0, 0)
    lines: list[Line] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    grid: list[int] = field(default_factory=list)
    plot: tuple[int, int] = (0, 0)  # left and right edge of the plot area
    size: str = ""  # "wide" or "narrow": the CSS class that shows it


@dataclass
class Chart:
    kind: str  # "bar" or "line"
    title: str
    legend: list[LegendItem]
    wide: Drawing
    narrow: Drawing

    def __post_init__(self):
        self.wide.size, self.narrow.size = "wide", "narrow"

    @property
    def drawings(self) -> list[Drawing]:
        return [self.wide, self.narrow]


def _is_number(value) -> bool:
    """Counts and shares (Decimal) are charted; text and booleans are not."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _number(value) -> float:
    return float(value) if _is_number(value) else 0.0


def _legend(names: list[str]) -> list[LegendItem]:
    return [
        LegendItem(str(name), PALETTE[n % len(PALETTE)], DASHES[(n // len(PALETTE)) % len(DASHES)])
        for n, name in enumerate(names)
    ]


def chart(table: Table) -> Chart:
    """The table's chart: lines for by-year tables, bars for the others."""
    return line_chart(table) if table.years_along else bar_chart(table)


def bar_chart(table: Table) -> Chart:
    """Horizontal grouped bars: one group per body row, one bar per charted column."""
    series = [table.header[i] for i in table.chart_columns]
    legend = _legend(series) if len(series) > 1 else []
    return Chart(
        "bar", str(table.title), legend, _bars(table, WIDE, label_width=230, font=13), _bars(table, NARROW, 0, 13)
    )


def _bars(table: Table, width: int, label_width: int, font: int) -> Drawing:
    """Bars beside their labels when label_width is set, else each label on its own line above its bars."""
    value_width = 60
    bar_h = 22 if len(table.chart_columns) == 1 else 12
    rows = table.body_rows
    numbers = [_number(row[i]) for row in rows for i in table.chart_columns]
    peak = max(numbers, default=0) or 1
    left = label_width or 4
    scale = (width - left - value_width) / peak
    drawing = Drawing(width, 0, font)
    y = 8
    for row in rows:
        label = str(table.chart_labels.get(row[0], row[0]))
        if not label_width:
            y += font + 4
        top = y
        bars = []
        for n, i in enumerate(table.chart_columns):
            value = row[i] if _is_number(row[i]) else 0
            length = round(float(value) * scale)
            by = top + n * bar_h
            colour = PALETTE[n % len(PALETTE)]
            bars.append(Bar(left, by, length, bar_h - 2, colour, value, left + length + 4, by + bar_h - 4))
        group_h = bar_h * len(table.chart_columns)
        if label_width:
            drawing.categories.append(Category(label, label_width - 8, top + group_h // 2 + 5, "end", bars))
        else:
            drawing.categories.append(Category(label, left, top - 5, "start", bars))
        y += group_h + 10
    drawing.height = y + 4
    drawing.axis = (left, 8 if label_width else 8 + font + 4, left, drawing.height)
    return drawing


def _series(table: Table) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """The x labels (fiscal years) and the named series of a by-year table."""
    rows = table.body_rows
    if table.years_along == "columns":
        labels = [str(table.header[i]) for i in table.chart_columns]
        series = [
            (str(table.chart_labels.get(row[0], row[0])), [_number(row[i]) for i in table.chart_columns])
            for row in rows
        ]
        return labels, series
    labels = list(dict.fromkeys(str(row[0]) for row in rows))
    # Rows may repeat a year once per kind (the proposal tables: one row per year and call type).
    first = table.chart_columns[0]
    kinds = list(dict.fromkeys(str(row[1]) for row in rows)) if first > 1 else [""]
    series = []
    for i in table.chart_columns:
        for kind in kinds:
            values = {str(row[0]): _number(row[i]) for row in rows if not kind or str(row[1]) == kind}
            name = (
                _("%(series)s（%(kind)s）") % {"series": table.header[i], "kind": kind}
                if len(kinds) > 1
                else str(table.header[i])
            )
            series.append((name, [values.get(label, 0.0) for label in labels]))
    return labels, series


def _nice_ceiling(peak: float) -> tuple[float, float]:
    """A round top for the y axis and the step between its gridlines (1, 2 or 5 × 10ⁿ)."""
    if peak <= 0:
        return 1.0, 1.0
    raw = peak / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1:
        step = 1.0
    return step * math.ceil(peak / step), step


def _text_width(text: str, font: int) -> float:
    """About how wide a label is drawn: full-width characters are square, the others half as wide."""
    return sum(font if ord(c) > 0x2E7F else font * 0.6 for c in text)


def line_chart(table: Table) -> Chart:
    labels, series = _series(table)
    legend = _legend([name for name, _values in series])
    return Chart(
        "line",
        str(table.title),
        legend,
        _lines(labels, series, legend, WIDE, 320, 13),
        _lines(labels, series, legend, NARROW, 240, 12),
    )


def _lines(labels, series, legend, width: int, height: int, font: int) -> Drawing:
    top_value, step = _nice_ceiling(max((v for _name, values in series for v in values), default=0))
    y_label_width = max(_text_width(f"{top_value:,.0f}", font), font) + 10
    left, right, top, bottom = round(y_label_width), width - 16, 12, height - (font + 16)
    drawing = Drawing(width, height, font, plot=(left, right))
    drawing.axis = (left, top, left, bottom)

    def y_of(value: float) -> int:
        return round(bottom - (bottom - top) * value / top_value)

    value = 0.0
    while value <= top_value:
        y = y_of(value)
        drawing.grid.append(y)
        drawing.y_ticks.append(Tick(f"{value:,.0f}", left - 6, y + font // 3))
        value += step
    # The first and last year labels are centred on their points: keep half a label inside each edge.
    half = max((_text_width(label, font) for label in labels), default=0) / 2 + 2
    first, last = max(left + 10, round(half)), min(right - 4, round(width - half))
    span = last - first
    xs = [first + (round(span * n / (len(labels) - 1)) if len(labels) > 1 else span // 2) for n in range(len(labels))]
    widest = 2 * half + 4
    every = max(1, math.ceil(widest * len(labels) / max(span, 1)))
    for n, (label, x) in enumerate(zip(labels, xs, strict=True)):
        if n % every == 0:
            drawing.x_ticks.append(Tick(label, x, bottom + font + 6))
    for (_name, values), item in zip(series, legend, strict=True):
        dots = [(x, y_of(v)) for x, v in zip(xs, values, strict=True)]
        points = " ".join(f"{x},{y}" for x, y in dots)
        drawing.lines.append(Line(item.colour, item.dash, points, dots))
    return drawing
