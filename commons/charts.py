"""An indicator over time as a line chart: where each point, line and tick sits in an SVG
drawing, worked out from published values alone (no queries, no drawing code: the template draws
what this returns, with presentation attributes only, so the site's CSP needs no exception).

Only what may be published reaches this module: a hidden value (suppressed, not published) is
``None``. A line breaks at a hidden value rather than joining its neighbours, so the drawing never
suggests a value that is not shown, and the period gets a mark on the axis instead. The table
after the drawing says the same in words and numbers, for everyone who does not see the drawing.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 800  # the drawing's own units (it scales to the page's width)
HEIGHT = 320
LEFT = 64  # room for the value axis' labels
RIGHT = 16
TOP = 16
BOTTOM = 48  # room for the period labels
MAX_X_TICKS = 8
Y_TICKS = 5
MAX_LINES = 6  # more lines than this are unreadable: the page offers the table instead

Number = int | float | Decimal
# One colour and one dash pattern per line, so lines differ by more than colour alone; every
# colour has at least 4.5:1 contrast on white.
PALETTE = ("#0b5b8c", "#b35900", "#1e6b35", "#8e3b7a", "#6b5a00", "#3c3c8c")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "12 4")


def number_text(value: Number | None) -> str:
    """A value as the page writes it: whole numbers with thousands separators, others with at
    most two decimals (trailing zeros dropped)."""
    if value is None:
        return ""
    if value == int(value):
        return f"{int(value):,}"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text


def nice_ceiling(value: float) -> float:
    """The smallest "round" number (1, 2, 2.5 or 5 times a power of ten) at or above ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-9 * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


@dataclass
class Point:
    x: float
    y: float
    period: str
    value: Number

    @property
    def text(self) -> str:
        return number_text(self.value)


@dataclass
class Line:
    label: str
    number: int  # 0.. (the template's colour and marker shape: series-0, series-1 …)
    segments: list[str] = field(default_factory=list)  # each a polyline's "x,y x,y …"
    points: list[Point] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # the periods whose value is not shown

    @property
    def colour(self) -> str:
        return PALETTE[self.number % len(PALETTE)]

    @property
    def dash(self) -> str:
        return DASHES[self.number % len(DASHES)]


@dataclass
class Tick:
    at: float
    label: str


@dataclass
class Chart:
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    hidden_marks: list[Tick]  # x positions of periods where some line's value is hidden
    unit: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return not any(line.points for line in self.lines)


def line_chart(
    periods: Sequence[str],
    lines: Sequence[tuple[str, Sequence[Number | None]]],
    *,
    unit: str = "",
) -> Chart:
    """Lines over ``periods`` (in time order); each line's values are aligned with ``periods``
    (``None`` where the value is hidden or missing). At most ``MAX_LINES`` lines are drawn."""
    lines = lines[:MAX_LINES]
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    shown = [float(v) for _, values in lines for v in values if v is not None]
    low = min([0.0, *shown])
    high = nice_ceiling(max(shown)) if shown and max(shown) > 0 else 1.0
    if low < 0:
        low = -nice_ceiling(-low)

    def x_of(i: int) -> float:
        if len(periods) == 1:
            return LEFT + plot_width / 2
        return round(LEFT + plot_width * i / (len(periods) - 1), 1)

    def y_of(value: float) -> float:
        return round(TOP + plot_height * (1 - (value - low) / (high - low)), 1)

    drawn: list[Line] = []
    hidden_at: set[int] = set()
    for number, (label, values) in enumerate(lines):
        line = Line(label=label, number=number)
        run: list[str] = []
        for i, (period, value) in enumerate(zip(periods, values, strict=False)):
            if value is None:
                line.hidden.append(period)
                hidden_at.add(i)
                if run:
                    line.segments.append(" ".join(run))
                    run = []
                continue
            point = Point(x=x_of(i), y=y_of(float(value)), period=period, value=value)
            line.points.append(point)
            run.append(f"{point.x},{point.y}")
        if run:
            line.segments.append(" ".join(run))
        drawn.append(line)

    every = max(1, math.ceil(len(periods) / MAX_X_TICKS))
    x_ticks = [Tick(x_of(i), p) for i, p in enumerate(periods) if i % every == 0]
    step = (high - low) / Y_TICKS
    levels = [round(low + k * step, 6) for k in range(Y_TICKS + 1)]
    y_ticks = [Tick(y_of(level), number_text(level)) for level in levels]
    hidden_marks = [Tick(x_of(i), periods[i]) for i in sorted(hidden_at)]
    return Chart(
        lines=drawn, x_ticks=x_ticks, y_ticks=y_ticks, hidden_marks=hidden_marks, unit=unit
    )
