"""The check before publication: it passes what confidentialisation produces, and names the cell
and the rule for everything a hand-made or tampered table gets wrong."""

import json
from decimal import Decimal
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commons.checker import Rule, check, check_values, solvable_cells
from commons.confidentiality import (
    Cell,
    Kind,
    Method,
    Shown,
    ShownTable,
    Status,
    Table,
    confidentialise,
    observation_seed,
    rr3,
)
from tests.commons.test_confidentiality import (
    BOUNDED,
    KEY,
    SCOPE,
    determined_cells,
    hidden_grid,
    tables,
)

R, F = Status.ROUNDED, Status.FREE
HIDDEN = Shown(None, Status.SUPPRESSED_PRIMARY)


def rules_by_cell(findings) -> set[tuple[Rule, tuple[tuple[str, ...], ...]]]:
    return {(f.rule, f.cells) for f in findings}


def test_a_hand_made_unsafe_table_is_refused_cell_by_cell():
    # Given a 3 × 3 table whose publisher showed a 4, left a 17 unrounded, and hid one cell
    # alone in its row and column:
    table = Table.with_totals(
        ["area=North", "area=South", "area=East"],
        ["age=young", "age=middle", "age=old"],
        [[4, 30, 60], [21, 17, 45], [33, 27, 2]],
    )
    unsafe = ShownTable(
        row_labels=table.row_labels,
        column_labels=table.column_labels,
        cells=(
            (Shown(4, F), Shown(30, R), Shown(60, R)),
            (Shown(21, R), Shown(17, F), Shown(45, R)),
            (Shown(33, R), Shown(27, R), HIDDEN),
        ),
        row_totals=(Shown(93, R), Shown(84, R), Shown(63, R)),
        column_totals=(Shown(57, R), Shown(75, R), Shown(108, R)),
        grand_total=Shown(240, R),
    )
    findings = check(table, unsafe, method=Method.RAW)

    assert rules_by_cell(findings) == {
        (Rule.SMALL_VALUE, (("area=North", "age=young"),)),
        (Rule.MULTIPLE_OF_3, (("area=North", "age=young"),)),
        (Rule.MULTIPLE_OF_3, (("area=South", "age=middle"),)),
        (Rule.RECOVERABLE, (("area=East", "age=old"),)),
    }
    messages = [f.message for f in findings]
    assert "area=North / age=young shows a count of 4, under 6. Counts under 6 must" in messages[1]
    assert "area=South / age=middle shows 17, which is not a multiple of 3" in messages[2]
    assert messages[3].startswith("area=East / age=old is hidden, but it can be worked out")
    assert json.loads(json.dumps([f.as_dict() for f in findings]))[0]["rule"] in set(Rule)


def test_what_confidentialisation_publishes_passes():
    table = Table.with_totals(
        ["area=North", "area=South", "area=East"],
        ["age=young", "age=middle", "age=old"],
        [[4, 30, 60], [21, 17, 45], [33, 27, 2]],
    )
    out = confidentialise(table, method=Method.RAW, key=KEY, labels=SCOPE)
    assert check(table, out, method=Method.RAW) == []


def test_a_hidden_margin_is_named_by_its_total():
    table = Table.with_totals(["a", "b"], ["x", "y"], [[9, 30], [12, 21]])
    out = confidentialise(table, method=Method.RAW, key=KEY, labels=SCOPE)
    grid = out.grid()
    # Hide only the first row's total: the sum of its cells gives it away.
    tampered = ShownTable(
        out.row_labels,
        out.column_labels,
        out.cells,
        (HIDDEN, out.row_totals[1]),
        out.column_totals,
        grid[2][2],
    )
    findings = check(table, tampered, method=Method.RAW)
    assert rules_by_cell(findings) == {(Rule.RECOVERABLE, (("a", "Total"),))}


def test_hidden_cells_on_a_cycle_through_the_margins_are_safe():
    # One hidden cell with its row total, its column total and the grand total hidden: every
    # line has two unknowns and nothing can be solved.
    table = Table.with_totals(["a", "b"], ["x", "y"], [[4, 30], [12, 21]])
    out = ShownTable(
        ("a", "b"),
        ("x", "y"),
        ((HIDDEN, Shown(30, R)), (Shown(12, R), Shown(21, R))),
        (Shown(None, Status.SUPPRESSED_SECONDARY), Shown(33, R)),
        (Shown(None, Status.SUPPRESSED_SECONDARY), Shown(51, R)),
        Shown(None, Status.SUPPRESSED_SECONDARY),
    )
    assert check(table, out, method=Method.RAW) == []


@BOUNDED
@given(
    n_rows=st.integers(1, 6),
    n_cols=st.integers(1, 6),
    data=st.data(),
)
def test_the_checkers_bridge_test_agrees_with_exact_elimination(n_rows, n_cols, data):
    hidden = [[data.draw(st.booleans()) for _ in range(n_cols + 1)] for _ in range(n_rows + 1)]
    assert set(solvable_cells(hidden)) == determined_cells(hidden)


@BOUNDED
@given(table=tables(), method=st.sampled_from(Method))
def test_every_published_random_table_passes(table, method):
    if method is Method.ROUNDED:
        # An already-rounded source has only multiples of 3.
        table = Table(
            table.row_labels,
            table.column_labels,
            *_rounded_margins_and_cells(table),
        )
    out = confidentialise(table, method=method, key=KEY, labels=SCOPE)
    assert check(table, out, method=method) == []
    assert determined_cells(hidden_grid(table, out)) == set()


def _rounded_margins_and_cells(table: Table):
    def r(cell: Cell) -> Cell:
        if cell.value is None:
            return cell
        return Cell(3 * (cell.value // 3))

    return (
        tuple(tuple(r(c) for c in line) for line in table.cells),
        tuple(r(c) for c in table.row_totals),
        tuple(r(c) for c in table.column_totals),
        r(table.grand_total),
    )


def hundred_by_hundred(seed: int, small: float) -> Table:
    rng = Random(seed)
    cells = [
        [rng.randint(1, 5) if rng.random() < small else rng.randint(6, 400) for _ in range(100)]
        for _ in range(100)
    ]
    return Table.with_totals([f"r={i}" for i in range(100)], [f"c={j}" for j in range(100)], cells)


def test_a_hundred_by_hundred_table_with_many_small_cells_passes_with_its_rounding_share():
    table = hundred_by_hundred(7, small=0.15)
    out = confidentialise(table, method=Method.RAW, key=KEY, labels=SCOPE)
    assert check(table, out, method=Method.RAW) == []


def test_a_sparse_hundred_by_hundred_table_passes_and_fails_without_its_second_suppressions():
    table = hundred_by_hundred(8, small=0.005)
    out = confidentialise(table, method=Method.RAW, key=KEY, labels=SCOPE)
    assert check(table, out, method=Method.RAW) == []
    # Show the second suppressions (rounded, as they would have been): the small cells they
    # protected can be worked out again, and each finding names one of them.
    dims = [[f"r={i}"] for i in range(100)] + [[]]
    columns = [[f"c={j}"] for j in range(100)] + [[]]
    grid, raw = out.grid(), table.grid()
    for i, line in enumerate(grid):
        for j, s in enumerate(line):
            if s.status is Status.SUPPRESSED_SECONDARY:
                seed = observation_seed(KEY, SCOPE, dims[i] + columns[j])
                line[j] = Shown(rr3(raw[i][j].value, seed=seed), R)
    stripped = ShownTable(
        out.row_labels,
        out.column_labels,
        tuple(tuple(line[:100]) for line in grid[:100]),
        tuple(line[100] for line in grid[:100]),
        tuple(grid[100][:100]),
        grid[100][100],
    )
    findings = check(table, stripped, method=Method.RAW)
    assert findings
    assert {f.rule for f in findings} == {Rule.RECOVERABLE}
    small = {
        (table.row_labels[i], table.column_labels[j])
        for i in range(100)
        for j in range(100)
        if table.cells[i][j].value < 6
    }
    assert {f.cells[0] for f in findings} <= small


# --- values on their own ----------------------------------------------------------------------


def counts(remainders: list[int], rounding) -> list[tuple[tuple[str, ...], Cell, Shown]]:
    items: list[tuple[tuple[str, ...], Cell, Shown]] = []
    for k, remainder in enumerate(remainders):
        raw = 30 + 3 * (k % 50) + remainder
        items.append(((f"cell={k}",), Cell(raw), Shown(rounding(raw, k), R)))
    return items


def honest(raw: int, k: int) -> int:
    return rr3(raw, seed=observation_seed(KEY, SCOPE, [f"cell={k}"]))


def always_down(raw: int, k: int) -> int:
    return raw - raw % 3


def to_nearest(raw: int, k: int) -> int:
    return raw - 1 if raw % 3 == 1 else raw + 1


def test_rounding_the_same_way_every_time_is_caught_by_the_share_rounded_up():
    remainders = [1] * 1200 + [2] * 1200
    down = check_values(counts(remainders, always_down), method=Method.RAW)
    assert [f.rule for f in down] == [Rule.ROUNDING_SHARE] * 3
    assert down[0].cells == ()
    assert "0 of the 1200 counts with a remainder of 1" in down[0].message
    assert "about 400 were expected" in down[0].message
    # Rounding to the nearest multiple passes overall (1,200 up of 1,200 expected) but not for
    # each remainder on its own.
    nearest = check_values(counts(remainders, to_nearest), method=Method.RAW)
    assert [f.rule for f in nearest] == [Rule.ROUNDING_SHARE] * 2
    assert check_values(counts(remainders, honest), method=Method.RAW) == []


def test_too_few_rounded_counts_are_not_judged_on_their_share():
    # 30 counts rounded down is 0 of about 15 expected, but 30 honest ones stray by 20 % a
    # third of the time: the share is judged from 200 counts (remainder 2) or 800 (remainder 1).
    assert check_values(counts([2] * 30, always_down), method=Method.RAW) == []
    assert check_values(counts([2] * 199, always_down), method=Method.RAW) == []
    assert check_values(counts([2] * 200, always_down), method=Method.RAW) != []
    assert check_values(counts([1] * 799, always_down), method=Method.RAW) == []
    assert check_values(counts([1] * 800, always_down), method=Method.RAW) != []


@pytest.mark.parametrize(
    ("raw", "value", "rules"),
    [
        (7, 3, {Rule.SMALL_VALUE, Rule.ROUNDING_DISTANCE}),  # under 6, and too far
        (7, 0, {Rule.SMALL_VALUE, Rule.ROUNDING_DISTANCE}),  # a threshold crossed
        (4, 6, {Rule.SMALL_VALUE}),  # a small count rounded up into view
        (17, 12, {Rule.ROUNDING_DISTANCE}),
        (17, 17, {Rule.MULTIPLE_OF_3}),
        (17, 18, set()),
        (17, 15, set()),
        (0, 0, set()),
    ],
)
def test_a_raw_count_is_checked_against_what_is_shown(raw, value, rules):
    findings = check_values([(("cell",), Cell(raw), Shown(value, R))], method=Method.RAW)
    assert {f.rule for f in findings} == rules
    assert all(f.cells == (("cell",),) for f in findings)


def test_an_already_rounded_source_that_is_not_is_sent_back_to_its_method():
    findings = check_values([(("area=A",), Cell(7), Shown(7, F))], method=Method.ROUNDED)
    assert [f.rule for f in findings] == [Rule.MULTIPLE_OF_3]
    assert "check its confidentiality method" in findings[0].message
    moved = check_values([(("area=A",), Cell(9), Shown(12, F))], method=Method.ROUNDED)
    assert [f.rule for f in moved] == [Rule.ROUNDING_DISTANCE]
    # The share rounded up is not judged: we never saw the raw counts.
    many = [((f"c={k}",), Cell(9), Shown(9, F)) for k in range(3000)]
    assert check_values(many, method=Method.ROUNDED) == []


def test_a_rate_is_shown_only_on_a_known_base_of_twenty():
    rate = Decimal("41.5")
    findings = check_values(
        [
            (("low",), Cell(rate, kind=Kind.RATE, base=12), Shown(rate, F)),
            (("unknown",), Cell(rate, kind=Kind.MEAN), Shown(rate, F)),
            (("enough",), Cell(rate, kind=Kind.SUM, base=20), Shown(rate, F)),
        ],
        method=Method.RAW,
    )
    assert rules_by_cell(findings) == {
        (Rule.SMALL_VALUE, (("low",),)),
        (Rule.SMALL_VALUE, (("unknown",),)),
    }
    assert any("based on 12 people, fewer than 20" in f.message for f in findings)


def test_a_publisher_suppressed_value_shown_at_all_is_refused():
    findings = check_values(
        [
            (("s",), Cell(None, publisher_suppressed=True), Shown(3, F)),
            (("na",), Cell(None, not_applicable=True), Shown(0, F)),
            (
                ("kept",),
                Cell(None, publisher_suppressed=True),
                Shown(None, Status.SUPPRESSED_PUBLISHER),
            ),
        ],
        method=Method.RAW,
    )
    assert rules_by_cell(findings) == {
        (Rule.PUBLISHER_SUPPRESSED, (("s",),)),
        (Rule.PUBLISHER_SUPPRESSED, (("na",),)),
    }


def test_a_published_table_of_another_shape_is_an_error_not_a_finding():
    table = Table.with_totals(["a"], ["x"], [[9]])
    other = confidentialise(
        Table.with_totals(["b"], ["x"], [[9]]), method=Method.RAW, key=KEY, labels=SCOPE
    )
    with pytest.raises(ValueError, match="rows and columns"):
        check(table, other, method=Method.RAW)
