"""A project's milestones on a timeline: where each one sits in an SVG drawing, worked out from
dates alone (no queries, no drawing code: the template draws what this returns).

The drawing spans the project's start (or its earliest milestone, if that is earlier or there is
no start) to its end (or its latest milestone). Each milestone has its own lane: a marker at its
date and a bar showing how far along it is. "Today" is a line, when today falls in the span. The
table after the drawing says the same in words, for everyone who does not see the drawing.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

WIDTH = 800  # the drawing's own units (it scales to the page's width)
LEFT = 16
RIGHT = 16
AXIS_Y = 36  # where the date axis runs
LANE = 34  # each milestone's row
BAR_WIDTH = 64
BAR_HEIGHT = 6
MAX_TICKS = 6

DONE, OVERDUE, UPCOMING = "done", "overdue", "upcoming"
STATUS_WORDS = {DONE: "Done", OVERDUE: "Overdue", UPCOMING: "Upcoming"}


def status_of(milestone: Any, today: date) -> str:
    """Done (completed), overdue (its date passed and not completed) or upcoming."""
    if milestone.completed is not None:
        return DONE
    return OVERDUE if milestone.due < today else UPCOMING


@dataclass
class Mark:
    milestone: Any
    status: str
    x: float  # the marker's centre
    y: float  # the lane's middle
    bar_x: float  # the progress bar's left edge (kept inside the drawing)
    bar_fill: float  # the filled part of the bar, in drawing units
    label_x: float
    label_anchor: str  # "start" (label right of the marker) or "end" (left of it)

    @property
    def status_word(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def bar_y(self) -> float:
        return self.y + 8

    @property
    def label_y(self) -> float:
        return self.y + 4

    @property
    def corner_x(self) -> float:
        """The top-left corner of a 12-unit square around the marker (drawn as a diamond)."""
        return self.x - 6

    @property
    def corner_y(self) -> float:
        return self.y - 6


@dataclass
class Tick:
    day: date
    x: float


@dataclass
class Timeline:
    start: date
    end: date
    today: date
    today_x: float | None  # None when today is outside the span
    marks: list[Mark]
    ticks: list[Tick]
    width: int = WIDTH

    @property
    def height(self) -> int:
        return AXIS_Y + LANE * len(self.marks) + 12

    @property
    def axis_y(self) -> int:
        return AXIS_Y

    @property
    def overdue(self) -> int:
        return sum(m.status == OVERDUE for m in self.marks)


def x_of(day: date, start: date, end: date, width: int = WIDTH) -> float:
    """Where ``day`` falls between ``start`` (at the left margin) and ``end`` (at the right);
    a one-day span puts everything in the middle."""
    inner = width - LEFT - RIGHT
    span = (end - start).days
    if span <= 0:
        return LEFT + inner / 2
    return round(LEFT + inner * (day - start).days / span, 1)


def ticks(start: date, end: date, width: int = WIDTH, most: int = MAX_TICKS) -> list[Tick]:
    """Month marks along the axis: the first of every n-th month after ``start`` up to ``end``,
    so there are at most ``most`` (worked out without listing every month between)."""
    months = (end.year - start.year) * 12 + end.month - start.month  # month starts in (start, end]
    if months <= 0:
        return []
    step = -(-months // most)  # ceiling
    first = start.year * 12 + start.month - 1  # months since year 0 of start's month
    marks = []
    for i in range(1, months + 1, step):
        year, month = divmod(first + i, 12)
        day = date(year, month + 1, 1)
        marks.append(Tick(day, x_of(day, start, end, width)))
    return marks


def timeline(
    milestones: list[Any],
    *,
    start: date | None = None,
    end: date | None = None,
    today: date,
    width: int = WIDTH,
) -> Timeline | None:
    """The drawing for these milestones (in their order), or None when there are none."""
    if not milestones:
        return None
    dues = [m.due for m in milestones]
    first = min([*dues, start] if start else dues)
    last = max([*dues, end] if end else dues)
    marks = []
    middle = width / 2
    for i, m in enumerate(milestones):
        x = x_of(m.due, first, last, width)
        y = AXIS_Y + LANE * i + LANE / 2
        bar_x = min(max(x - BAR_WIDTH / 2, LEFT), width - RIGHT - BAR_WIDTH)
        right = x <= middle
        marks.append(
            Mark(
                milestone=m,
                status=status_of(m, today),
                x=x,
                y=y,
                bar_x=bar_x,
                bar_fill=round(BAR_WIDTH * min(max(m.progress, 0), 100) / 100, 1),
                label_x=x + 10 if right else x - 10,
                label_anchor="start" if right else "end",
            )
        )
    today_x = x_of(today, first, last, width) if first <= today <= last else None
    return Timeline(
        start=first,
        end=last,
        today=today,
        today_x=today_x,
        marks=marks,
        ticks=ticks(first, last, width),
        width=width,
    )
