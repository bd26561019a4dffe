"""The check before publication (DESIGN.md section 8, rule 5), as the Social Wellbeing Agency's
``check_confidentiality.R`` does: a version is published only when :func:`check` (for each
two-way table) and :func:`check_values` (for every observation) find nothing. Each
:class:`Finding` names its rule, the cells (by their labels) and says in plain English what a
steward can do about it.

What is checked:

- **Multiple of 3** — every published count.
- **Rounding distance** — a randomly rounded count is one of the two multiples of 3 nearest its
  true count; an already-rounded source's count is shown exactly as the source gives it.
- **Share rounded up** — for raw counts, the number rounded up against the number expected
  (P(up) = 1/3 for a remainder of 1, 2/3 for a remainder of 2), within ±20 %, for each remainder
  and for both together. Rounding is random, so a small group strays by 20 % by chance (of 30
  honest counts with a remainder of 1, one table in three; with a remainder of 2, one in 13),
  and a seeded rounding that failed once would fail forever. So a group is judged only when 20 %
  of its expected number is at least 4 standard deviations (√(Σ p(1 − p)) = √(2n/9)): from 200
  counts with a remainder of 2, 800 with a remainder of 1, about 360 for a mixed table. At those
  sizes an honest table fails with probability about 1 in 18,000 per group (exact binomial), and
  less as tables grow; a table rounded the same way every time (always down, or to the nearest)
  is caught. Not applied to ``Method.ROUNDED`` (we never saw the raw counts).
- **Small values** — no count of 1 to 5 shown, no count under 6 shown because of rounding, no
  sum, mean or rate shown whose base is under 20 or unknown.
- **Publisher's suppression** — a cell the publisher suppressed, or one that does not apply, has
  no published value.
- **Recoverable** — no hidden cell of a table can be solved exactly from the published cells and
  margins. This is deliberately a different algorithm from the one that chose the suppressions
  (``commons.confidentiality`` uses Tarjan's low-link): here a breadth-first spanning forest of
  the line/cell graph, where each hidden cell off the forest marks the forest path that closes
  its cycle; a forest cell that no cycle marks is a bridge, i.e. solvable. The hidden cells come
  from the published values, not from the statuses.
"""

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from commons.confidentiality import (
    BASE_THRESHOLD,
    COUNT_THRESHOLD,
    ROUNDING_BASE,
    TOTAL,
    Cell,
    Kind,
    Method,
    Shown,
    ShownTable,
    Table,
)

SHARE_TOLERANCE = Fraction(
    1, 5
)  # the share rounded up may stray this far (relative) from the expected
SHARE_STANDARD_DEVIATIONS = 4  # judge a group only when the tolerance is this many SDs wide


class Rule(StrEnum):
    MULTIPLE_OF_3 = "multiple-of-3"
    ROUNDING_DISTANCE = "rounding-distance"
    ROUNDING_SHARE = "rounding-share"
    SMALL_VALUE = "small-value"
    PUBLISHER_SUPPRESSED = "publisher-suppressed"
    RECOVERABLE = "recoverable"


@dataclass(frozen=True)
class Finding:
    """One reason not to publish. ``cells`` holds each cell's labels (for a table: row label,
    column label, with margins named "Total"); empty when the finding is about the whole table."""

    rule: Rule
    cells: tuple[tuple[str, ...], ...]
    message: str

    def as_dict(self) -> dict[str, Any]:
        """For ``Version.findings`` (JSON)."""
        return {
            "rule": str(self.rule),
            "cells": [list(c) for c in self.cells],
            "message": self.message,
        }


def check(table: Table, shown: ShownTable, *, method: Method) -> list[Finding]:
    """Every finding for a published table: its values (:func:`check_values`) and whether any
    hidden cell can be solved from its row and column. Empty means it may be published."""
    if (shown.row_labels, shown.column_labels) != (table.row_labels, table.column_labels):
        raise ValueError("The published table does not have the stored table's rows and columns.")
    names = _names(table)
    cells, published = table.grid(), shown.grid()
    findings = check_values(
        (
            (names[i][j], cells[i][j], published[i][j])
            for i in range(len(cells))
            for j in range(len(cells[0]))
        ),
        method=method,
    )
    hidden = [
        [
            s.value is None and (cell.publisher_suppressed or not cell.not_applicable)
            for cell, s in zip(line, shown_line, strict=True)
        ]
        for line, shown_line in zip(cells, published, strict=True)
    ]
    for i, j in solvable_cells(hidden):
        findings.append(
            Finding(
                Rule.RECOVERABLE,
                (names[i][j],),
                _(
                    "%(cell)s is hidden, but it can be worked out exactly from the numbers and "
                    "totals shown in its row and column. Hide another cell in its row or column "
                    "(or that line's total), or publish the table through confidentialisation, "
                    "which does this."
                )
                % {"cell": _name(names[i][j])},
            )
        )
    return findings


def check_values(
    items: Iterable[tuple[Sequence[str], Cell, Shown]], *, method: Method
) -> list[Finding]:
    """Findings about single values: each item is (the cell's labels, its stored cell, what is
    published for it). Hidden values are always allowed here."""
    findings: list[Finding] = []
    # (remainder, rounded up) for every raw count that random rounding moved
    moved: list[tuple[int, bool]] = []
    for labels, cell, published in items:
        if published.value is None:
            continue
        labels = tuple(labels)
        name = _name(labels)
        if cell.publisher_suppressed or cell.not_applicable or cell.value is None:
            findings.append(
                Finding(
                    Rule.PUBLISHER_SUPPRESSED,
                    (labels,),
                    _(
                        "%(cell)s was suppressed by its publisher or does not apply, but is shown "
                        "as %(value)s. Such a value is never published or guessed."
                    )
                    % {"cell": name, "value": published.value},
                )
            )
            continue
        if cell.kind is Kind.COUNT:
            assert isinstance(cell.value, int)  # Cell made it one
            findings.extend(_count_findings(labels, cell.value, published.value, method, moved))
        elif cell.base is None or cell.base < BASE_THRESHOLD:
            findings.append(
                Finding(
                    Rule.SMALL_VALUE,
                    (labels,),
                    (
                        _(
                            "%(cell)s is shown, but we do not know how many people it is based "
                            "on, so we cannot tell whether it is safe. Give its base count or "
                            "leave it unpublished."
                        )
                        if cell.base is None
                        else _(
                            "%(cell)s is based on %(base)s people, fewer than %(threshold)s, but "
                            "is shown. It must be suppressed."
                        )
                    )
                    % {"cell": name, "base": cell.base, "threshold": BASE_THRESHOLD},
                )
            )
    if method is Method.RAW:
        findings.extend(_share_findings(moved))
    return findings


def _count_findings(
    labels: tuple[str, ...],
    raw: int,
    value: int | Decimal,
    method: Method,
    moved: list[tuple[int, bool]],
) -> list[Finding]:
    findings = []
    name = _name(labels)
    facts = {"cell": name, "value": value, "raw": raw, "threshold": COUNT_THRESHOLD}
    multiple = value % ROUNDING_BASE == 0
    if not multiple:
        message = (
            _(
                "%(cell)s shows %(value)s, which is not a multiple of 3. The dataset says its "
                "source had already rounded its counts: check its confidentiality method, "
                "because these look like exact counts."
            )
            if method is Method.ROUNDED
            else _(
                "%(cell)s shows %(value)s, which is not a multiple of 3: every published count "
                "must be randomly rounded to base 3."
            )
        )
        findings.append(Finding(Rule.MULTIPLE_OF_3, (labels,), message % facts))
    if 0 < value < COUNT_THRESHOLD:
        message = _(
            "%(cell)s shows a count of %(value)s, under %(threshold)s. Counts under "
            "%(threshold)s must be suppressed."
        )
        findings.append(Finding(Rule.SMALL_VALUE, (labels,), message % facts))
    elif 0 < raw < COUNT_THRESHOLD:
        message = _(
            "%(cell)s is a count of %(raw)s, under %(threshold)s, and must be suppressed, but "
            "it is shown as %(value)s."
        )
        findings.append(Finding(Rule.SMALL_VALUE, (labels,), message % facts))
    elif raw >= COUNT_THRESHOLD and value < COUNT_THRESHOLD:
        message = _(
            "%(cell)s is a count of %(raw)s but is shown as %(value)s: rounding must never "
            "take a count of %(threshold)s or more below %(threshold)s."
        )
        findings.append(Finding(Rule.SMALL_VALUE, (labels,), message % facts))
    if method is Method.ROUNDED:
        if value != raw:
            message = _(
                "%(cell)s shows %(value)s, but its source gives %(raw)s. A count the source "
                "had already rounded is shown as the source gives it, never rounded again."
            )
            findings.append(Finding(Rule.ROUNDING_DISTANCE, (labels,), message % facts))
    elif multiple and abs(Decimal(value) - raw) >= ROUNDING_BASE:
        message = _(
            "%(cell)s is a count of %(raw)s shown as %(value)s. Random rounding moves a count "
            "to one of the two multiples of 3 nearest it, never further."
        )
        findings.append(Finding(Rule.ROUNDING_DISTANCE, (labels,), message % facts))
    elif multiple and raw % ROUNDING_BASE and raw >= COUNT_THRESHOLD:
        moved.append((raw % ROUNDING_BASE, value > raw))
    return findings


def _share_findings(moved: Sequence[tuple[int, bool]]) -> list[Finding]:
    """In exact fractions, so that the sizes from which a group is judged (200, 800) are exact."""
    findings = []
    groups = [
        (_("with a remainder of 1 when divided by 3"), [m for m in moved if m[0] == 1]),
        (_("with a remainder of 2 when divided by 3"), [m for m in moved if m[0] == 2]),
        (_("that were not multiples of 3"), list(moved)),
    ]
    for which, group in groups:
        # P(up) = r/3, so each count adds r/3 to the expected ups and (r/3)(1 − r/3) = 2/9 to
        # their variance.
        expected = Fraction(sum(remainder for remainder, _up in group), ROUNDING_BASE)
        variance = Fraction(2, 9) * len(group)
        tolerance = SHARE_TOLERANCE * expected
        if not group or tolerance**2 < SHARE_STANDARD_DEVIATIONS**2 * variance:
            continue  # too few counts for a 20 % departure to mean anything
        observed = sum(up for _remainder, up in group)
        if abs(observed - expected) > tolerance:
            message = _(
                "%(observed)s of the %(count)s counts %(which)s were rounded up, where about "
                "%(expected)s were expected: more than 20 %% away, which random rounding almost "
                "never does with this many counts. Publish only what confidentialisation "
                "produced; do not edit rounded numbers by hand."
            ) % {
                "observed": observed,
                "count": len(group),
                "which": which,
                "expected": round(expected),
            }
            findings.append(Finding(Rule.ROUNDING_SHARE, (), message))
    return findings


def solvable_cells(hidden: Sequence[Sequence[bool]]) -> list[tuple[int, int]]:
    """The hidden cells of an extended table (margins last) that the published numbers
    determine: the bridges of the graph whose nodes are its lines and whose edges are its hidden
    cells, found by marking the spanning-forest path of every cycle-closing cell."""
    n_rows, n_cols = len(hidden), len(hidden[0])
    neighbours: list[list[tuple[int, tuple[int, int]]]] = [[] for _ in range(n_rows + n_cols)]
    for i in range(n_rows):
        for j in range(n_cols):
            if hidden[i][j]:
                neighbours[i].append((n_rows + j, (i, j)))
                neighbours[n_rows + j].append((i, (i, j)))
    depth = [-1] * (n_rows + n_cols)
    parent = [-1] * (n_rows + n_cols)
    parent_cell: list[tuple[int, int]] = [(-1, -1)] * (n_rows + n_cols)
    forest: set[tuple[int, int]] = set()
    for root in range(n_rows + n_cols):
        if depth[root] != -1 or not neighbours[root]:
            continue
        depth[root] = 0
        queue = deque([root])
        while queue:
            node = queue.popleft()
            for other, cell in neighbours[node]:
                if depth[other] == -1:
                    depth[other] = depth[node] + 1
                    parent[other] = node
                    parent_cell[other] = cell
                    forest.add(cell)
                    queue.append(other)
    on_cycle: set[tuple[int, int]] = set()
    for i in range(n_rows):
        for j in range(n_cols):
            if hidden[i][j] and (i, j) not in forest:
                a, b = i, n_rows + j
                while a != b:
                    if depth[a] < depth[b]:
                        a, b = b, a
                    on_cycle.add(parent_cell[a])
                    a = parent[a]
    return sorted(forest - on_cycle)


def _names(table: Table) -> list[list[tuple[str, str]]]:
    total = str(TOTAL)
    rows = [*table.row_labels, total]
    columns = [*table.column_labels, total]
    return [[(row, column) for column in columns] for row in rows]


def _name(labels: Sequence[str]) -> str:
    return " / ".join(labels)
