"""The one door out: what of the commons' outcome data may be published (DESIGN.md section 8).

Every page, chart, API answer, export and live event turns stored values into published ones
through this module; nothing else decides what a person without restricted access sees. It is
pure Python (no database): the app reads observations, builds :class:`Cell` values or a
:class:`Table`, and stores or renders the :class:`Shown` values that come back.

Interface
---------
- :class:`Kind` of a value (``COUNT``, ``SUM``, ``MEAN``, ``RATE`` — rates cover proportions and
  percentages) and :class:`Method` of its source (``RAW``: exact counts, we round and suppress;
  ``ROUNDED``: the source already applied RR3, as Stats NZ does, so we never round again).
- :class:`Cell`: a stored value, its kind, its ``base`` (the count of people under a sum, mean or
  rate; ``None`` when unknown) and whether the publisher suppressed it or it does not apply.
- :class:`Shown`: the published value (``None`` when hidden), its :class:`Status`, and
  ``reason``, the plain-English sentence (:data:`REASONS`) a page shows beside it.
- :func:`cell_seed` (HMAC-SHA256 of the labels under the commons rounding key) and
  :func:`observation_seed` (the same with a cell's dimension values sorted), :func:`rr3`, and
  :func:`shown` for one value on its own.
- :func:`confidentialise` for a two-way :class:`Table` of counts with its margins, which also
  applies secondary suppression and returns a :class:`ShownTable`.

The rules
---------
1. **RR3.** A count that is a multiple of 3 stays; any other goes to one of its two nearest
   multiples of 3 with the probabilities that keep its expected value (17 → 15 with p = 1/3, → 18
   with p = 2/3). The draw is the first 8 bytes of the cell's seed read as an integer, compared
   exactly in integers (no floating point), so asking again gives the same number and repeated
   requests cannot be averaged. Totals are rounded on their own seeds, never summed from rounded
   cells.
2. **Seeds.** ``HMAC-SHA256(key, "\\x1f".join(labels))``. The key is
   ``settings.COMMONS_ROUNDING_KEY``, not ``SECRET_KEY``: rotating the site's secret must not
   change published numbers. :func:`confidentialise` seeds a cell with the scope ``labels``
   (dataset, version) followed by the cell's dimension values *sorted*, and a total leaves out the
   dimension it adds up: the row total of ``area=Waikato`` in an area × age table and the column
   total of ``area=Waikato`` in an age × area table are the same cell with the same seed, so
   asking for the data in two layouts does not give two independent draws of one number. Labels
   should therefore name their dimension (``"area=Waikato"``, as ``Series.key`` does).
3. **Small values.** A count of 1 to 5 is suppressed (``SUPPRESSED_PRIMARY``). A zero is shown as
   0 (``FREE``), as Stats NZ does: a true zero is not information about anyone, and hiding zeros
   would make a missing row and a zero look different. A sum, mean or rate whose base is under 20
   is suppressed; one whose base is unknown is ``NOT_PUBLISHED`` (hidden, with a reason that says
   we cannot tell whether it is safe — not "too few people", which we do not know).
4. **Thresholds are never crossed.** The count threshold (6) is a multiple of 3, so a count of 6 or
   more rounds to 6 or more (7 → 6 or 9, never 3); a shown 0 is always a true 0. The base
   threshold (20) applies to the base, which is never rounded here. Sums, means and rates are
   shown as stored, not rounded.
5. **Already-rounded sources** (``Method.ROUNDED``) are shown as stored (``FREE``) and still
   suppressed under 6. A stored count that is not a multiple of 3 is shown as stored too: it
   means the dataset's method is wrong, and :func:`commons.checker.check` reports it, so the
   version is refused rather than silently "fixed".
6. **Publisher suppression** (``<5``, ``s``) stays suppressed (``SUPPRESSED_PUBLISHER``), never
   guessed; a not-applicable value (``NA``) is ``NOT_PUBLISHED``.
7. **Secondary suppression.** No published number may let a hidden cell be worked out. In the
   table extended by its margins (rows plus a row of column totals, columns plus a column of row
   totals), every line satisfies "cells add up to the total"; a hidden cell can be solved exactly
   when its edge in the bipartite graph *lines → hidden cells* is a bridge (on no cycle). We hide
   more cells until no hidden cell is a bridge: first, any line with exactly one hidden cell gets
   a partner (to a fixed point), then each remaining bridge gets a cell that closes a cycle through
   it. The partner is a published cell whose other line already has a hidden cell, when there is
   one (it closes a cycle instead of starting a chain that needs partners of its own: on
   100 × 100 tables this hid 14 cells where "smallest first" hid 78, and less in total value),
   and among those the smallest non-zero (zeros only when nothing else will do; ties by
   position). Values are judged as *shown*, so that which cell was chosen reveals nothing about
   raw values. Publisher-suppressed cells and hidden totals count as hidden (they
   are unknowns); not-applicable cells count as known zeros (they can protect nothing — the
   safe side). So a hidden total of a line of nothing but not-applicable cells stays solvable:
   it is a structural zero, about no one, and the checker says so rather than pass it silently.
8. **Every combination is listed.** A :class:`Table` has a cell for every row × column, zeros
   included, so a missing row never stands for a true zero.
"""

import hmac
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy

COUNT_THRESHOLD = 6  # counts under this are suppressed; a multiple of 3, so RR3 never crosses it
BASE_THRESHOLD = 20  # sums, means and rates on fewer people than this are suppressed
ROUNDING_BASE = 3
SEPARATOR = "\x1f"  # the ASCII unit separator: cannot occur in a label (refused if it does)
_DRAW_SPAN = 1 << 64  # the draw is the seed's first 8 bytes as an integer


class Kind(StrEnum):
    """What a value measures. Values match ``commons.models.Indicator.Kind``."""

    COUNT = "count"
    SUM = "sum"
    MEAN = "mean"
    RATE = "rate"  # proportions and percentages too


class Method(StrEnum):
    """How the source confidentialised its counts. Values match ``Dataset.Method``."""

    RAW = "raw"  # exact counts: we round (RR3) and suppress
    ROUNDED = "rr3"  # already RR3 (Stats NZ): never rounded again; still suppressed under 6


class Status(StrEnum):
    """Why a published cell looks as it does. Values match ``Observation.Status``."""

    FREE = "free"
    ROUNDED = "rounded"
    SUPPRESSED_PRIMARY = "suppressed-primary"
    SUPPRESSED_SECONDARY = "suppressed-secondary"
    SUPPRESSED_PUBLISHER = "suppressed-publisher"
    NOT_PUBLISHED = "not-published"


REASONS = {
    Status.FREE: gettext_lazy(
        "Shown as it is stored: a zero, a count its source had already rounded, or a figure "
        "based on at least 20 people."
    ),
    Status.ROUNDED: gettext_lazy(
        "Randomly rounded to a multiple of 3, so that no one can be picked out from an exact "
        "count. It may differ from the true count by 1 or 2."
    ),
    Status.SUPPRESSED_PRIMARY: gettext_lazy(
        "Hidden because it is about very few people (a count under 6, or a total, average or "
        "rate based on fewer than 20), which could identify someone."
    ),
    Status.SUPPRESSED_SECONDARY: gettext_lazy(
        "Hidden so that a hidden small number cannot be worked out by subtracting the other "
        "numbers in its row or column from their total."
    ),
    Status.SUPPRESSED_PUBLISHER: gettext_lazy(
        "Hidden by the organisation that published the data. We do not know its value and do "
        "not guess it."
    ),
    Status.NOT_PUBLISHED: gettext_lazy(
        "Not published: it does not apply here, or we do not know how many people it is based "
        "on, so we cannot tell whether showing it is safe."
    ),
}

TOTAL = gettext_lazy("Total")  # how a margin is named on a page and in the checker's findings


@dataclass(frozen=True, slots=True)
class Cell:
    """A stored value. ``value`` is ``None`` only when the publisher suppressed it or it does not
    apply; a count is a non-negative whole number (an integral ``Decimal`` becomes an ``int``)."""

    value: int | Decimal | None
    kind: Kind = Kind.COUNT
    base: int | None = None
    publisher_suppressed: bool = False
    not_applicable: bool = False

    def __post_init__(self) -> None:
        if self.value is None:
            if not (self.publisher_suppressed or self.not_applicable):
                raise ValueError("A value is missing without being suppressed or not applicable.")
        elif self.kind is Kind.COUNT:
            value = self.value
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                raise ValueError(f"A count must be a whole number, not {value!r}.")
            if isinstance(value, Decimal):
                if not value.is_finite() or value != value.to_integral_value():
                    raise ValueError(f"A count must be a whole number, not {value}.")
                object.__setattr__(self, "value", int(value))
            if self.value < 0:
                raise ValueError(f"A count cannot be negative ({self.value}).")
        if self.base is not None and (isinstance(self.base, bool) or self.base < 0):
            raise ValueError(f"A base is a count of people, not {self.base!r}.")


@dataclass(frozen=True, slots=True)
class Shown:
    """What may be published: ``value`` is ``None`` when the cell is hidden."""

    value: int | Decimal | None
    status: Status

    @property
    def reason(self) -> str:
        return str(REASONS[self.status])

    @property
    def hidden(self) -> bool:
        return self.value is None


def cell_seed(key: bytes, *labels: str) -> bytes:
    """HMAC-SHA256 of the labels joined by the unit separator, under the commons rounding key.
    A label containing the separator is refused: ("a\\x1fb",) and ("a", "b") would share a seed."""
    if not key:
        raise ValueError("The commons rounding key is empty.")
    if any(SEPARATOR in label for label in labels):
        raise ValueError("A label contains the unit separator (\\x1f).")
    return hmac.digest(key, SEPARATOR.join(labels).encode(), "sha256")


def observation_seed(key: bytes, labels: Sequence[str], dimensions: Iterable[str]) -> bytes:
    """The seed of one cell: the scope ``labels`` (dataset, version) then its dimension values
    sorted, so that the same cell has the same seed in every table layout (rule 2 above)."""
    return cell_seed(key, *labels, *sorted(dimensions))


def rr3(value: int, *, seed: bytes) -> int:
    """Random rounding to base 3 that keeps the expected value, drawn from ``seed``: up with
    probability remainder/3, exactly (``3 · draw < remainder · 2⁶⁴`` in integers)."""
    if value < 0:
        raise ValueError(f"A count cannot be negative ({value}).")
    remainder = value % ROUNDING_BASE
    if remainder == 0:
        return value
    if len(seed) < 8:
        raise ValueError("A rounding seed has at least 8 bytes.")
    draw = int.from_bytes(seed[:8], "big")
    if ROUNDING_BASE * draw < remainder * _DRAW_SPAN:
        return value - remainder + ROUNDING_BASE
    return value - remainder


def shown(cell: Cell, *, method: Method, seed: bytes) -> Shown:
    """One value on its own (rules 1–6; no table, so no secondary suppression)."""
    if cell.publisher_suppressed:
        return Shown(None, Status.SUPPRESSED_PUBLISHER)
    if cell.not_applicable or cell.value is None:
        return Shown(None, Status.NOT_PUBLISHED)
    value = cell.value
    if cell.kind is Kind.COUNT:
        assert isinstance(value, int)  # Cell made it one
        if value == 0:
            return Shown(0, Status.FREE)
        if value < COUNT_THRESHOLD:
            return Shown(None, Status.SUPPRESSED_PRIMARY)
        if method is Method.ROUNDED:
            return Shown(value, Status.FREE)
        return Shown(rr3(value, seed=seed), Status.ROUNDED)
    if cell.base is None:
        return Shown(None, Status.NOT_PUBLISHED)
    if cell.base < BASE_THRESHOLD:
        return Shown(None, Status.SUPPRESSED_PRIMARY)
    return Shown(value, Status.FREE)


def _check_shape(
    rows: tuple[str, ...],
    columns: tuple[str, ...],
    cells: tuple[tuple[Any, ...], ...],
    row_totals: tuple[Any, ...],
    column_totals: tuple[Any, ...],
) -> None:
    if not rows or not columns:
        raise ValueError("A table has at least one row and one column.")
    if len(set(rows)) != len(rows) or len(set(columns)) != len(columns):
        raise ValueError("Row labels and column labels must each be unique.")
    if len(cells) != len(rows) or any(len(line) != len(columns) for line in cells):
        raise ValueError("A table lists a cell for every row × column, zeros included.")
    if len(row_totals) != len(rows) or len(column_totals) != len(columns):
        raise ValueError("A table has one total for every row and every column.")


@dataclass(frozen=True)
class Table:
    """A two-way table of counts with its margins (raw, computed by the caller, or the
    publisher's). ``cells[r][c]`` is row ``r``, column ``c``; every combination is present."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    grand_total: Cell

    def __post_init__(self) -> None:
        _check_shape(
            self.row_labels, self.column_labels, self.cells, self.row_totals, self.column_totals
        )
        for line in self.grid():
            for cell in line:
                if cell.kind is not Kind.COUNT:
                    raise ValueError("A table adds up counts; sums, means and rates stand alone.")

    @classmethod
    def with_totals(
        cls,
        row_labels: Sequence[str],
        column_labels: Sequence[str],
        cells: Sequence[Sequence[Cell | int]],
    ) -> "Table":
        """A table whose margins are the raw sums of its cells (not-applicable cells add
        nothing). A publisher-suppressed cell has no value to add: pass the publisher's totals
        to the constructor instead."""
        grid = tuple(
            tuple(cell if isinstance(cell, Cell) else Cell(cell) for cell in line) for line in cells
        )

        def add(line: Iterable[Cell]) -> Cell:
            total = 0
            for cell in line:
                if cell.kind is not Kind.COUNT:
                    raise ValueError("A table adds up counts; sums, means and rates stand alone.")
                if cell.publisher_suppressed:
                    raise ValueError(
                        "A publisher-suppressed cell has no value to add up: pass the "
                        "publisher's totals."
                    )
                if not cell.not_applicable:
                    assert isinstance(cell.value, int)
                    total += cell.value
            return Cell(total)

        row_totals = tuple(add(line) for line in grid)
        column_totals = tuple(add(line[c] for line in grid) for c in range(len(column_labels)))
        return cls(
            tuple(row_labels),
            tuple(column_labels),
            grid,
            row_totals,
            column_totals,
            add(row_totals),
        )

    def grid(self) -> list[list[Cell]]:
        """The table extended by its margins: each row ends with its total, and a last row
        holds the column totals and the grand total."""
        rows = [[*line, total] for line, total in zip(self.cells, self.row_totals, strict=True)]
        rows.append([*self.column_totals, self.grand_total])
        return rows


@dataclass(frozen=True)
class ShownTable:
    """What :func:`confidentialise` publishes for a :class:`Table`, in the same shape."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[Shown, ...], ...]
    row_totals: tuple[Shown, ...]
    column_totals: tuple[Shown, ...]
    grand_total: Shown

    def __post_init__(self) -> None:
        _check_shape(
            self.row_labels, self.column_labels, self.cells, self.row_totals, self.column_totals
        )

    def grid(self) -> list[list[Shown]]:
        """Extended by the margins, as :meth:`Table.grid`."""
        rows = [[*line, total] for line, total in zip(self.cells, self.row_totals, strict=True)]
        rows.append([*self.column_totals, self.grand_total])
        return rows


def confidentialise(
    table: Table,
    *,
    method: Method,
    key: bytes,
    labels: tuple[str, ...],
    fixed: tuple[str, ...] = (),
) -> ShownTable:
    """Publish a table: every cell and margin through :func:`shown` (each with its own seed),
    then secondary suppression until no hidden cell can be solved from the published numbers.

    ``labels`` is the scope of the seeds (dataset, version); ``fixed`` names the dimension values
    the whole table is cut at (e.g. ``"period=2023"``), which join each cell's own labels before
    they are sorted (see rule 2 of the module)."""
    cells = table.grid()
    n_rows, n_cols = len(table.row_labels), len(table.column_labels)
    row_dims = [(label,) for label in table.row_labels] + [()]
    col_dims = [(label,) for label in table.column_labels] + [()]
    out: list[list[Shown]] = []
    for i, line in enumerate(cells):
        out_line = []
        for j, cell in enumerate(line):
            needs_seed = method is Method.RAW and cell.value is not None
            seed = (
                observation_seed(key, labels, (*fixed, *row_dims[i], *col_dims[j]))
                if needs_seed
                else b""
            )
            out_line.append(shown(cell, method=method, seed=seed))
        out.append(out_line)

    values = [[s.value if isinstance(s.value, int) else None for s in line] for line in out]
    hidden = [
        [s.value is None and not cell.not_applicable for s, cell in zip(line, cl, strict=True)]
        for line, cl in zip(out, cells, strict=True)
    ]
    for i, j in complementary_suppressions(values, hidden):
        out[i][j] = Shown(None, Status.SUPPRESSED_SECONDARY)

    return ShownTable(
        row_labels=table.row_labels,
        column_labels=table.column_labels,
        cells=tuple(tuple(line[:n_cols]) for line in out[:n_rows]),
        row_totals=tuple(line[n_cols] for line in out[:n_rows]),
        column_totals=tuple(out[n_rows][:n_cols]),
        grand_total=out[n_rows][n_cols],
    )


def complementary_suppressions(
    values: Sequence[Sequence[int | None]], hidden: Sequence[Sequence[bool]]
) -> list[tuple[int, int]]:
    """The cells to hide besides ``hidden`` so that no hidden cell is a bridge (rule 7), in the
    order chosen. Both grids are the extended table (margins last); ``values[i][j]`` is the
    published value of a cell that may be hidden, ``None`` where it may not (already hidden, or
    not applicable).

    Lines with one hidden cell are fixed first (cheap, and they are most of the work); then a
    bridge check (Tarjan) catches the rest — a chain of hidden cells that leaves a line only
    through a single path. A cell added for a bridge joins two nodes that already have hidden
    cells, so it never leaves a line with a single hidden one."""
    n_rows, n_cols = len(hidden), len(hidden[0])
    candidate = [list(line) for line in values]
    is_hidden = [list(line) for line in hidden]
    for i in range(n_rows):
        for j in range(n_cols):
            if is_hidden[i][j]:
                candidate[i][j] = None
    row_count = [sum(line) for line in is_hidden]
    col_count = [sum(is_hidden[i][j] for i in range(n_rows)) for j in range(n_cols)]
    # Entries of each line that are, or could be, unknown: a line with only one (the rest "NA")
    # is a structural sum that hiding cannot protect, so its entry is never chosen as a partner.
    row_live = [
        sum(is_hidden[i][j] or candidate[i][j] is not None for j in range(n_cols))
        for i in range(n_rows)
    ]
    col_live = [
        sum(is_hidden[i][j] or candidate[i][j] is not None for i in range(n_rows))
        for j in range(n_cols)
    ]
    added: list[tuple[int, int]] = []

    def usable(i: int, j: int) -> bool:
        return candidate[i][j] is not None and row_live[i] > 1 and col_live[j] > 1

    def cost(i: int, j: int, opens: bool = False) -> tuple[bool, bool, int, int, int]:
        value = candidate[i][j]
        assert value is not None
        return (value == 0, opens, value, i, j)

    def hide(i: int, j: int) -> None:
        is_hidden[i][j] = True
        candidate[i][j] = None
        row_count[i] += 1
        col_count[j] += 1
        added.append((i, j))

    def fix_lines() -> None:
        queue: deque[tuple[bool, int]] = deque()
        queue.extend((True, i) for i in range(n_rows) if row_count[i] == 1)
        queue.extend((False, j) for j in range(n_cols) if col_count[j] == 1)
        while queue:
            is_row, k = queue.popleft()
            if is_row:
                if row_count[k] != 1:
                    continue
                options = [cost(k, j, col_count[j] == 0) for j in range(n_cols) if usable(k, j)]
            else:
                if col_count[k] != 1:
                    continue
                options = [cost(i, k, row_count[i] == 0) for i in range(n_rows) if usable(i, k)]
            if not options:
                continue  # nothing left to hide in this line; the checker will say so
            _, _, _, i, j = min(options)
            hide(i, j)
            if row_count[i] == 1:
                queue.append((True, i))
            if col_count[j] == 1:
                queue.append((False, j))

    def fix_bridge(i: int, j: int) -> bool:
        """Hide the cheapest cell joining the two sides of the bridge (i, j); False when
        nothing in reach may be hidden."""
        adjacency = _adjacency(is_hidden)
        side = {i}
        frontier = [i]
        while frontier:
            node = frontier.pop()
            for other, edge in adjacency[node]:
                if edge != (i, j) and other not in side:
                    side.add(other)
                    frontier.append(other)
        far = {n_rows + j}
        frontier = [n_rows + j]
        while frontier:
            node = frontier.pop()
            for other, edge in adjacency[node]:
                if edge != (i, j) and other not in far:
                    far.add(other)
                    frontier.append(other)
        options: list[tuple[bool, bool, int, int, int]] = []
        for near_side, far_side in ((side, far), (far, side)):
            rows = [n for n in near_side if n < n_rows]
            cols = [n - n_rows for n in far_side if n >= n_rows]
            options.extend(cost(r, c) for r in rows for c in cols if usable(r, c))
        if not options:
            # Every cell that would close a cycle does not apply (a table thick with "NA"):
            # widen the graph from the bridge's own lines instead; the line fix then pairs it.
            options = [cost(i, c) for c in range(n_cols) if usable(i, c)]
            options += [cost(r, j) for r in range(n_rows) if usable(r, j)]
        if not options:
            return False
        _, _, _, r, c = min(options)
        hide(r, c)
        return True

    unfixable: set[tuple[int, int]] = set()
    while True:
        fix_lines()
        for bridge in _bridges(is_hidden):
            if bridge in unfixable:
                continue
            if fix_bridge(*bridge):
                break
            unfixable.add(bridge)
        else:
            return added


def _adjacency(hidden: Sequence[Sequence[bool]]) -> list[list[tuple[int, tuple[int, int]]]]:
    """Row ``i`` is node ``i``, column ``j`` is node ``n_rows + j``; each hidden cell an edge."""
    n_rows, n_cols = len(hidden), len(hidden[0])
    adjacency: list[list[tuple[int, tuple[int, int]]]] = [[] for _ in range(n_rows + n_cols)]
    for i, line in enumerate(hidden):
        for j, is_hidden in enumerate(line):
            if is_hidden:
                adjacency[i].append((n_rows + j, (i, j)))
                adjacency[n_rows + j].append((i, (i, j)))
    return adjacency


def _bridges(hidden: Sequence[Sequence[bool]]) -> list[tuple[int, int]]:
    """The hidden cells that are bridges of the line/cell graph (Tarjan's low-link, iterative:
    a 100-line table would come near Python's recursion limit)."""
    adjacency = _adjacency(hidden)
    order = [-1] * len(adjacency)
    low = [0] * len(adjacency)
    counter = 0
    bridges: list[tuple[int, int]] = []
    for start, edges in enumerate(adjacency):
        if order[start] != -1 or not edges:
            continue
        order[start] = low[start] = counter
        counter += 1
        stack = [(start, (-1, -1), iter(edges))]
        while stack:
            node, via, neighbours = stack[-1]
            for other, edge in neighbours:
                if edge == via:
                    continue
                if order[other] == -1:
                    order[other] = low[other] = counter
                    counter += 1
                    stack.append((other, edge, iter(adjacency[other])))
                    break
                low[node] = min(low[node], order[other])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.append(via)
    return bridges
