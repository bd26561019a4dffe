"""Publishing a version: every stored value through the one door (``commons.confidentiality``),
the check before publication (``commons.checker``), and what is stored for everyone to see.

The observations of a version are cut into two-way tables, one per count indicator and period:
areas down, cohorts (``Series``) across, with their margins — the publisher's own totals where
the file has them ("Total" codes), else the sums we compute from the stored counts. A margin
that adds up a value the publisher suppressed cannot be computed: it is not published, and for
secondary suppression it is one more hidden number. Computed margins are stored as observations
of their own (on the "Total" area or the "All" cohort, ``flags="computed"``), so that the pages
show the same rounded total every time.

What does not fit a table is published value by value through ``confidentiality.shown``: rates,
means and sums (suppressed when their base count is under 20, or unknown), counts in a cohort
that is itself partly a total (e.g. "Māori · all ages", beside the age bands), and tables with a
single row or column (their margins would be their cells). Secondary suppression protects each
area × cohort table with its margins; totals inside the cohort's own dimensions are the
publisher's, published as the publisher published them (after our primary rules).

The checker sees every table and every value. If it finds anything, nothing is published: the
version is marked refused and keeps the findings, which its steward sees.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commons import bulk, checker, confidentiality, notifying, permissions, signals
from commons.confidentiality import Cell, Kind, Method, Shown, Status, Table
from commons.models import Code, Dataset, Dimension, Indicator, Series, Version

COMPUTED = "computed"  # Observation.flags of a margin we added up
ALL = "*"  # the code of the area "All areas" and the key of the cohort "All" that we add
BATCH = 2000

METHODS = {Dataset.Method.RAW: Method.RAW, Dataset.Method.RR3: Method.ROUNDED}
MARGIN_UNKNOWN = Status.NOT_PUBLISHED  # a total over a publisher-suppressed value


def rounding_key() -> bytes:
    return str(settings.COMMONS_ROUNDING_KEY).encode()


@dataclass
class Stored:
    """One observation as read for publication."""

    id: int | None
    cell: Cell


@dataclass
class Plan:
    """What publishing a version would store: each observation's published value and status,
    the computed margins to add, and what the checker found."""

    shown: dict[int, Shown] = field(default_factory=dict)
    margins: list[tuple[dict[str, Any], Shown]] = field(default_factory=list)
    findings: list[checker.Finding] = field(default_factory=list)


def _cell(row: dict[str, Any], kind: Kind, base: int | None = None) -> Cell:
    value = row["value"]
    if kind is Kind.COUNT and value is not None:
        value = int(value)
    return Cell(
        value,
        kind=kind,
        base=base,
        publisher_suppressed=row["publisher_suppressed"],
        not_applicable=row["not_applicable"],
    )


def _rows(version: Version) -> Iterator[dict[str, Any]]:
    fields = (
        "id", "indicator_id", "area_id", "series_id", "period_id", "value",
        "publisher_suppressed", "not_applicable",
    )  # fmt: skip
    return version.observations.values(*fields).order_by().iterator(chunk_size=BATCH)


def plan(version: Version) -> Plan:
    """Work out the publication of ``version`` without writing anything."""
    dataset = version.dataset
    method = METHODS[Dataset.Method(dataset.method)]
    key = rounding_key()
    scope = (f"dataset={dataset.slug}", f"version={version.number}")
    indicators = {i.pk: i for i in dataset.indicators.all()}
    areas = {
        c.pk: c for c in Code.objects.filter(dimension__dataset=dataset, dimension__role="area")
    }
    periods = {
        c.pk: c for c in Code.objects.filter(dimension__dataset=dataset, dimension__role="period")
    }
    series = {s.pk: s for s in Series.objects.filter(dataset=dataset)}
    total_codes = set(
        Series.codes.through.objects.filter(
            series__dataset=dataset, code__is_total=True
        ).values_list("series_id", flat=True)
    )
    code_counts: dict[int, int] = defaultdict(int)
    totals_in: dict[int, int] = defaultdict(int)
    for series_id, is_total in Series.codes.through.objects.filter(
        series__dataset=dataset
    ).values_list("series_id", "code__is_total"):
        code_counts[series_id] += 1
        totals_in[series_id] += int(is_total)
    # The "All" cohort: every cohort code a total (the publisher's), or the one we add.
    all_series = [
        s
        for s, row in series.items()
        if row.key == ALL or (code_counts[s] and totals_in[s] == code_counts[s])
    ]
    plain_series = {s for s, row in series.items() if s not in total_codes and row.key != ALL}

    # Every observation, by indicator and period (the counts) or kept aside (the rest).
    by_table: dict[tuple[int, int], dict[tuple[int, int], dict[str, Any]]] = defaultdict(dict)
    for row in _rows(version):
        by_table[(row["indicator_id"], row["period_id"])][(row["area_id"], row["series_id"])] = row

    result = Plan()
    value_items: list[tuple[tuple[str, ...], Cell, Shown]] = []

    def labels_of(indicator: Indicator, period: Code, area: Code, cohort: Series) -> tuple:
        own = (f"indicator={indicator.code}", f"period={period.code}", f"area={area.code}")
        return (*own, cohort.key) if cohort.key else own

    def alone(row: dict[str, Any], cell: Cell, names: tuple[str, ...]) -> None:
        seed = (
            confidentiality.observation_seed(key, scope, names)
            if cell.kind is Kind.COUNT and method is Method.RAW and cell.value is not None
            else b""
        )
        published = confidentiality.shown(cell, method=method, seed=seed)
        result.shown[row["id"]] = published
        value_items.append((names, cell, published))

    for (indicator_id, period_id), cells in by_table.items():
        indicator, period = indicators[indicator_id], periods[period_id]
        kind = Kind(indicator.kind)
        if kind is not Kind.COUNT:
            base_cells = (
                by_table.get((indicator.base_id, period_id), {}) if indicator.base_id else {}
            )
            for (area_id, series_id), row in cells.items():
                base_row = base_cells.get((area_id, series_id))
                base = (
                    int(base_row["value"])
                    if base_row is not None and base_row["value"] is not None
                    else None
                )
                names = labels_of(indicator, period, areas[area_id], series[series_id])
                alone(row, _cell(row, kind, base), names)
            continue
        row_ids = sorted(
            {a for a, _ in cells if not areas[a].is_total}, key=lambda a: areas[a].position
        )
        col_ids = sorted({s for _, s in cells if s in plain_series}, key=lambda s: series[s].label)
        total_area = next((a for a, _ in cells if areas[a].is_total), None)
        total_series = next((s for s in all_series if any(k[1] == s for k in cells)), None)
        in_table = len(row_ids) >= 2 and len(col_ids) >= 2
        for (area_id, series_id), row in cells.items():
            inside = area_id in row_ids and series_id in col_ids
            margin = (area_id == total_area and series_id in col_ids) or (
                series_id == total_series and (area_id in row_ids or area_id == total_area)
            )
            if not (in_table and (inside or margin)):
                names = labels_of(indicator, period, areas[area_id], series[series_id])
                alone(row, _cell(row, kind), names)
        if in_table:
            _publish_table(
                result, value_items, indicator, period, cells, row_ids, col_ids,
                total_area, total_series, areas, series, method, key, scope,
                version.mapping.get("missing") == "unknown",
            )  # fmt: skip

    result.findings.extend(checker.check_values(value_items, method=method))
    return result


def _add(cells: list[Cell]) -> Cell:
    """A computed margin: the sum of the stored counts, or unknown (hidden) when one of them
    was suppressed by the publisher."""
    if any(c.publisher_suppressed for c in cells):
        return Cell(None, publisher_suppressed=True)
    return Cell(sum(int(c.value or 0) for c in cells if not c.not_applicable))


def _publish_table(
    result: Plan,
    value_items: list[tuple[tuple[str, ...], Cell, Shown]],
    indicator: Indicator,
    period: Code,
    cells: dict[tuple[int, int], dict[str, Any]],
    row_ids: list[int],
    col_ids: list[int],
    total_area: int | None,
    total_series: int | None,
    areas: dict[int, Code],
    series: dict[int, Series],
    method: Method,
    key: bytes,
    scope: tuple[str, str],
    unknown_gaps: bool,
) -> None:
    zero: dict[str, Any] = {
        "id": None, "value": 0, "publisher_suppressed": False, "not_applicable": False
    }  # fmt: skip

    def stored(area_id: int | None, series_id: int | None) -> dict[str, Any] | None:
        if area_id is None or series_id is None:
            return None
        return cells.get((area_id, series_id))

    grid_rows = [[cells.get((a, s), zero) for s in col_ids] for a in row_ids]
    if unknown_gaps:  # a left-out combination was folded into another row: not a zero
        gap = {**zero, "value": None, "publisher_suppressed": True}
        grid_rows = [[cells.get((a, s), gap) for s in col_ids] for a in row_ids]
    grid = [[_cell(r, Kind.COUNT) for r in line] for line in grid_rows]
    row_total_rows = [stored(a, total_series) for a in row_ids]
    col_total_rows = [stored(total_area, s) for s in col_ids]
    grand_row = stored(total_area, total_series)
    row_totals = [
        _cell(r, Kind.COUNT) if r is not None else _add(line)
        for r, line in zip(row_total_rows, grid, strict=True)
    ]
    col_totals = [
        _cell(r, Kind.COUNT) if r is not None else _add([line[j] for line in grid])
        for j, r in enumerate(col_total_rows)
    ]
    grand = _cell(grand_row, Kind.COUNT) if grand_row is not None else _add(row_totals)
    table = Table(
        row_labels=tuple(f"area={areas[a].code}" for a in row_ids),
        column_labels=tuple(series[s].key or "all" for s in col_ids),
        cells=tuple(tuple(line) for line in grid),
        row_totals=tuple(row_totals),
        column_totals=tuple(col_totals),
        grand_total=grand,
    )
    fixed = (f"indicator={indicator.code}", f"period={period.code}")
    at = {"indicator_id": indicator.pk, "period_id": period.pk, "flags": ""}
    published = confidentiality.confidentialise(
        table, method=method, key=key, labels=scope, fixed=fixed
    )
    for finding in checker.check(table, published, method=method):
        result.findings.append(finding)
    for i, line in enumerate(grid_rows):
        for j, row in enumerate(line):
            if row["id"] is not None:
                result.shown[row["id"]] = published.cells[i][j]
            else:  # a combination the file left out: a zero, listed as one
                where = {**at, "area_id": row_ids[i], "series_id": col_ids[j]}
                where["value"] = row["value"]  # 0, or None when the file's gaps are unknown
                result.margins.append((where, published.cells[i][j]))

    def margin(
        row: dict[str, Any] | None, area: int | None, cohort: int | None, cell: Cell, shown: Shown
    ) -> None:
        if row is not None:
            result.shown[row["id"]] = shown
            return
        if shown.status is Status.SUPPRESSED_PUBLISHER:
            shown = Shown(None, MARGIN_UNKNOWN)  # we could not add it up: nobody suppressed it
        where = {**at, "area_id": area, "series_id": cohort, "value": cell.value}
        where["flags"] = COMPUTED
        result.margins.append((where, shown))

    for i, a in enumerate(row_ids):
        margin(row_total_rows[i], a, total_series, row_totals[i], published.row_totals[i])
    for j, s in enumerate(col_ids):
        margin(col_total_rows[j], total_area, s, col_totals[j], published.column_totals[j])
    margin(grand_row, total_area, total_series, grand, published.grand_total)


# --- writing ---------------------------------------------------------------------------------


def _total_area(dataset: Dataset) -> Code:
    dimension = Dimension.objects.get(dataset=dataset, role=Dimension.Role.AREA)
    code, _ = Code.objects.get_or_create(
        dimension=dimension,
        code=ALL,
        defaults={"label": "All areas", "is_total": True, "position": 0},
    )
    return code


def _all_series(dataset: Dataset) -> Series:
    series, _ = Series.objects.get_or_create(dataset=dataset, key=ALL, defaults={"label": "All"})
    return series


def publish_version(*, version: Version, by: Any) -> Version:
    """Publish a draft version, or refuse it with the checker's findings (nothing shown then).
    Only the dataset's stewards may; the dataset must be complete (provenance, licence, steward,
    method)."""
    dataset = version.dataset
    if not permissions.is_steward(by, dataset):
        raise PermissionDenied("Only the dataset's stewards publish its versions.")
    if version.status != Version.Status.DRAFT:
        raise ValidationError(
            f"Version {version.number} is already {version.get_status_display().lower()}."
        )
    missing = dataset.missing_for_publication()
    if missing:
        raise ValidationError("Before publishing, fill in: " + "; ".join(missing) + ".")
    outcome = plan(version)
    with transaction.atomic():
        locked = Version.objects.select_for_update().get(pk=version.pk)
        if locked.status != Version.Status.DRAFT:
            raise ValidationError(f"Version {version.number} was published or refused meanwhile.")
        if outcome.findings:
            locked.status = Version.Status.REFUSED
            locked.findings = [f.as_dict() for f in outcome.findings]
            locked.save(update_fields=["status", "findings"])
            return locked
        _store(locked, outcome)
        locked.status = Version.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.findings = []
        locked.save(update_fields=["status", "published_at", "findings"])
        notifying.record_published(version=locked, by=by)  # live after COMMIT, not on refusal
        # Inside the transaction: what listens (articles citing its indicators) is marked with it.
        signals.version_published.send(sender=Version, version=locked)
    return locked


def _decimal(value: int | Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value)


COLUMNS = (
    "version_id", "indicator_id", "area_id", "series_id", "period_id", "value", "lower", "upper",
    "publisher_suppressed", "not_applicable", "flags", "shown_value", "status",
)  # fmt: skip


def _store(version: Version, outcome: Plan) -> None:
    """Write the published values, and the margins we computed. The version's observations are
    written again with their published values rather than updated in place: COPY (or one
    INSERT per batch) instead of an UPDATE per row; the 20,000-row vaccination version is
    published in a fraction of the time. Nothing refers to an observation's id, and this runs
    inside the publication's transaction."""
    kept = COLUMNS[1:11]
    rows = list(version.observations.values_list("id", *kept).order_by("id"))
    version.observations.all().delete()  # one DELETE: nothing refers to an observation
    unpublished = (None, str(Status.NOT_PUBLISHED))
    # The "All areas" code and the "All" cohort, made before writing starts (no query may run
    # on the connection while PostgreSQL's COPY is open).
    needs_area = any(where["area_id"] is None for where, _ in outcome.margins)
    needs_cohort = any(where["series_id"] is None for where, _ in outcome.margins)
    total_area = _total_area(version.dataset).pk if needs_area else None
    all_series = _all_series(version.dataset).pk if needs_cohort else None

    def again() -> Iterator[tuple[Any, ...]]:
        for pk, *values in rows:
            shown = outcome.shown.get(pk)
            published = (_decimal(shown.value), str(shown.status)) if shown else unpublished
            yield (version.pk, *values, *published)
        for where, shown in outcome.margins:
            area_id = where["area_id"] if where["area_id"] is not None else total_area
            series_id = where["series_id"] if where["series_id"] is not None else all_series
            yield (
                version.pk, where["indicator_id"], area_id, series_id, where["period_id"],
                _decimal(where["value"]), None, None, False, False, where["flags"],
                _decimal(shown.value), str(shown.status),
            )  # fmt: skip

    bulk.write_observations(COLUMNS, again())
