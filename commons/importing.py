"""Reading a publisher's CSV into a version: the column mapping (data, stored on each version)
and the streaming reader that turns rows into observations.

The file is read row by row through the ``csv`` module over a text wrapper of the upload, and
observations are written in batches, so memory stays flat however large the file: only the
dataset's code lists and cohorts are held (they are what every row refers to). A row that
cannot be read exactly raises ``ImportRefused`` naming its row number as a spreadsheet shows it
(the header is row 1) and its column; the caller's transaction then leaves nothing behind.

Two shapes of file are understood:

- **wide** — one column per indicator (the Ministry of Health's vaccination files): each
  ``IndicatorSpec.column`` holds that indicator's value;
- **long** — one value per row (Whakamaua): ``indicator_columns`` together name the indicator
  (their values joined with `` · ``), ``value_column`` holds the value and ``lower_column`` /
  ``upper_column`` a confidence interval.
"""

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from commons.models import Code, Dimension, Indicator, Observation, Series, Version

BATCH = 2000
PROGRESS_EVERY = 1000
PLACES = 6  # Observation's values: 20 digits, 6 of them after the point
LIMIT = Decimal(10) ** 14
KIND = Indicator.Kind
ROLE = Dimension.Role
# "1,469" and "12,345.6": a thousands separator only where it separates thousands.
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
YEAR = re.compile(r"^\d{4}$")

Progress = Callable[[int, int, int], None]

_COLUMNS = (
    "version_id",
    "indicator_id",
    "area_id",
    "series_id",
    "period_id",
    "value",
    "lower",
    "upper",
    "publisher_suppressed",
    "not_applicable",
    "flags",
)
INSERT = (
    f"INSERT INTO {Observation._meta.db_table} ({', '.join(_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
)
COPY = f"COPY {Observation._meta.db_table} ({', '.join(_COLUMNS)}) FROM STDIN"


class ImportRefused(ValidationError):
    """The file cannot be imported as it is. ``row`` is the spreadsheet row (header = 1) and
    ``column`` the header of the column at fault."""

    def __init__(self, message: str, *, row: int, column: str) -> None:
        self.row = row
        self.column = column
        self.reason = message
        super().__init__(f"Row {row}, column “{column}”: {message}")


# ---------------------------------------------------------------------------------------------
# The mapping


@dataclass(frozen=True)
class DimensionSpec:
    """A dimension and where its codes come from: a CSV ``column``, or a ``constant`` code for
    a file that has no such column (a national table's area)."""

    code: str
    name: str
    role: str
    column: str = ""
    constant: str = ""
    # The publisher's codes that mean "all of them" (margins): "Total", "Various", "All ages".
    totals: tuple[str, ...] = ()
    # Readable labels for codes written without macrons or in a publisher's shorthand.
    labels: dict[str, str] = field(default_factory=dict)
    # A period column's format: "date" (2021-01-03) or "year" (2019, or a financial 2019/20).
    period_format: str = ""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    kind: str
    unit: str
    description: str = ""
    base: str = ""  # the code of the count under a sum, mean or rate
    column: str = ""  # wide files: the column holding this indicator's values


@dataclass(frozen=True)
class Mapping:
    dimensions: tuple[DimensionSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    indicator_columns: tuple[str, ...] = ()
    value_column: str = ""
    lower_column: str = ""
    upper_column: str = ""
    flags_column: str = ""
    not_applicable: tuple[str, ...] = ("NA", "", "..")
    # Columns present in the file that are deliberately not imported.
    ignored_columns: tuple[str, ...] = ()
    # What a combination the file leaves out means: "zero" (a weekly file lists only the weeks
    # with something in them) or "unknown" (the publisher folded it into another row, such as
    # the Ministry's "Various"): published as a zero, or as suppressed by the publisher.
    missing: str = "zero"

    @property
    def is_long(self) -> bool:
        return bool(self.value_column)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Mapping":
        """Build and validate a mapping stored as JSON; a broken one is a ``ValidationError``
        that says what is wrong with it."""
        try:
            mapping = cls(
                dimensions=tuple(
                    DimensionSpec(**{**d, "totals": tuple(d.get("totals", ()))})
                    for d in data["dimensions"]
                ),
                indicators=tuple(IndicatorSpec(**i) for i in data["indicators"]),
                indicator_columns=tuple(data.get("indicator_columns", ())),
                value_column=data.get("value_column", ""),
                lower_column=data.get("lower_column", ""),
                upper_column=data.get("upper_column", ""),
                flags_column=data.get("flags_column", ""),
                not_applicable=tuple(data.get("not_applicable", ("NA", "", ".."))),
                ignored_columns=tuple(data.get("ignored_columns", ())),
                missing=data.get("missing", "zero"),
            )
        except (KeyError, TypeError) as error:
            raise ValidationError(f"The column mapping is incomplete: {error}.") from error
        mapping.validate()
        return mapping

    def validate(self) -> None:
        problems = []
        roles = [d.role for d in self.dimensions]
        for role in ("area", "period"):
            if roles.count(role) != 1:
                problems.append(f"it needs exactly one {role} dimension")
        codes = [d.code for d in self.dimensions]
        if len(set(codes)) != len(codes):
            problems.append("two dimensions share a code")
        for d in self.dimensions:
            if d.role not in ROLE.values:
                problems.append(f"dimension {d.code!r} has an unknown role {d.role!r}")
            if bool(d.column) == bool(d.constant):
                problems.append(f"dimension {d.code!r} needs a column or a constant (one)")
            if d.role == ROLE.PERIOD and d.period_format not in ("date", "year"):
                problems.append('the period needs a period_format, "date" or "year"')
        if self.missing not in ("zero", "unknown"):
            problems.append('a left-out combination is "zero" or "unknown"')
        indicators = {i.code: i for i in self.indicators}
        if not indicators or len(indicators) != len(self.indicators):
            problems.append("indicators need distinct codes (and at least one)")
        for i in self.indicators:
            if i.kind not in KIND.values:
                problems.append(f"indicator {i.code!r} has an unknown kind {i.kind!r}")
            if i.base and (i.base not in indicators or indicators[i.base].kind != KIND.COUNT):
                problems.append(f"indicator {i.code!r}: its base must be a count of this dataset")
            if i.base and i.kind == KIND.COUNT:
                problems.append(f"indicator {i.code!r} is a count and has no base")
            if self.is_long and i.column:
                problems.append("a long file names indicators by indicator_columns, not columns")
            if not self.is_long and not i.column:
                problems.append(f"indicator {i.code!r} needs its value column")
        if self.is_long and not self.indicator_columns:
            problems.append("a long file needs indicator_columns")
        columns = self.columns()
        if len(set(columns)) != len(columns):
            problems.append("a column is mapped twice")
        if problems:
            raise ValidationError("The column mapping is not usable: " + "; ".join(problems) + ".")

    def columns(self) -> list[str]:
        """Every header the file must have, each once."""
        named = [d.column for d in self.dimensions if d.column]
        named += [i.column for i in self.indicators if i.column]
        named += list(self.indicator_columns)
        named += [
            c
            for c in (self.value_column, self.lower_column, self.upper_column, self.flags_column)
            if c
        ]
        return named + list(self.ignored_columns)


# ---------------------------------------------------------------------------------------------
# Reading


class _CountingReader(io.RawIOBase):
    """The upload as a raw stream that counts the bytes read, for the progress callback."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.source.read(len(buffer))
        n = len(chunk)
        buffer[:n] = chunk
        self.bytes_read += n
        return n


def parse_period(text: str, period_format: str) -> date | None:
    """A period's first day, or None when ``text`` is not one in ``period_format``."""
    if period_format == "date":
        try:
            return date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:
            return None
    if YEAR.match(text):
        return date(int(text), 1, 1)
    financial = FINANCIAL_YEAR.match(text)
    if financial and (int(financial[1]) + 1) % 100 == int(financial[2]):
        return date(int(financial[1]), 7, 1)
    return None


@dataclass
class Cell:
    value: Decimal | None
    suppressed: bool
    not_applicable: bool


class _Reader:
    """One import: the version's rows in, observations out, in batches."""

    def __init__(
        self,
        *,
        version: Version,
        mapping: Mapping,
        suppression_tokens: list[str],
        dimensions: dict[str, Dimension],
        indicators: dict[str, Indicator],
        progress: Progress | None,
        bytes_total: int,
    ) -> None:
        self.version = version
        self.mapping = mapping
        self.suppressed = set(suppression_tokens)
        self.not_applicable = set(mapping.not_applicable)
        self.dimensions = dimensions
        self.indicators = indicators
        self.progress = progress
        self.bytes_total = bytes_total
        self.area_spec = next(d for d in mapping.dimensions if d.role == ROLE.AREA)
        self.period_spec = next(d for d in mapping.dimensions if d.role == ROLE.PERIOD)
        self.cohort_specs = [
            d for d in mapping.dimensions if d.role not in (ROLE.AREA, ROLE.PERIOD)
        ]
        self.indicator_specs = {i.code: i for i in mapping.indicators}
        # Code lists and cohorts already in the dataset (from earlier versions), then as met.
        self.codes: dict[str, dict[str, Code]] = {d.code: {} for d in mapping.dimensions}
        for code in Code.objects.filter(dimension__in=list(dimensions.values())).select_related(
            "dimension"
        ):
            self.codes[code.dimension.code][code.code] = code
        self.next_position = {
            name: max((c.position for c in codes.values()), default=-1) + 1
            for name, codes in self.codes.items()
        }
        self.series = dict(Series.objects.filter(dataset=version.dataset).values_list("key", "id"))
        self.batch: list[tuple[Any, ...]] = []
        self.batch_rows: list[tuple[int, Indicator, Code, Code]] = []
        self.rows = 0
        self.cells = 0

    # -- codes and cohorts

    def code(self, spec: DimensionSpec, text: str, row: int) -> Code:
        known = self.codes[spec.code].get(text)
        if known is not None:
            return known
        column = spec.column or spec.code
        if not text.strip():
            raise ImportRefused(
                "is empty; every row names its " + spec.name, row=row, column=column
            )
        starts_on = None
        if spec.role == ROLE.PERIOD:
            starts_on = parse_period(text, spec.period_format)
            if starts_on is None:
                wanted = "a date (YYYY-MM-DD)" if spec.period_format == "date" else "a year"
                raise ImportRefused(f"“{text}” is not {wanted}", row=row, column=column)
        code = Code.objects.create(
            dimension=self.dimensions[spec.code],
            code=text,
            label=spec.labels.get(text, " ".join(text.split())),
            position=self.next_position[spec.code],
            is_total=text in spec.totals,
            starts_on=starts_on,
        )
        self.next_position[spec.code] += 1
        self.codes[spec.code][text] = code
        return code

    def series_id(self, codes: list[tuple[DimensionSpec, Code]]) -> int:
        key = "|".join(f"{spec.code}={_escape(code.code)}" for spec, code in codes)
        found = self.series.get(key)
        if found is not None:
            return found
        label = " · ".join(code.label for _, code in codes) or "All"
        series = Series.objects.create(dataset=self.version.dataset, key=key, label=label[:1000])
        if codes:
            series.codes.add(*(code for _, code in codes))
        self.series[key] = series.id
        return series.id

    # -- values

    def number(self, text: str, row: int, column: str) -> Cell:
        token = text.strip()
        if token in self.suppressed:
            return Cell(None, suppressed=True, not_applicable=False)
        if token in self.not_applicable:
            return Cell(None, suppressed=False, not_applicable=True)
        if THOUSANDS.match(token):
            token = token.replace(",", "")
        try:
            value = Decimal(token)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            known = sorted(self.suppressed | (self.not_applicable - {""}))
            raise ImportRefused(
                f"“{text}” is not a number (nor one of {', '.join(known)})", row=row, column=column
            )
        if abs(value) >= LIMIT or value.as_tuple().exponent < -PLACES:  # type: ignore[operator]
            raise ImportRefused(
                f"{text} has more than {PLACES} decimal places or is too large to store",
                row=row,
                column=column,
            )
        return Cell(value, suppressed=False, not_applicable=False)

    def check_count(self, cell: Cell, indicator: Indicator, row: int, column: str) -> None:
        if indicator.kind != KIND.COUNT or cell.value is None:
            return
        if cell.value < 0:
            raise ImportRefused(
                f"a count cannot be negative ({cell.value})", row=row, column=column
            )
        if cell.value != cell.value.to_integral_value():
            raise ImportRefused(
                f"a count is a whole number, not {cell.value}", row=row, column=column
            )

    # -- rows

    def read(self, source: IO[bytes]) -> None:
        counting = _CountingReader(source)
        # Bytes that are not UTF-8 come through as surrogates, so that the row and column they
        # are in can be named (a strict decoder would fail on a whole chunk at once).
        text = io.TextIOWrapper(
            io.BufferedReader(counting),
            encoding="utf-8-sig",
            errors="surrogateescape",
            newline="",
        )
        reader = csv.reader(text)
        lines = _guarded(reader)
        first = next(lines, None)
        if first is None:
            raise ImportRefused("the file is empty; it needs a header row", row=1, column="")
        header = first[1]
        _check_text(1, header, header)
        index = self.check_header(header)
        for row_number, fields in lines:
            _check_text(row_number, fields, header)
            if len(fields) != len(header):
                missing = header[len(fields)] if len(fields) < len(header) else ""
                raise ImportRefused(
                    f"has {len(fields)} fields where the header has {len(header)}"
                    + (" (this column is missing)" if missing else " (one too many)"),
                    row=row_number,
                    column=missing or header[-1],
                )
            self.row(row_number, fields, index)
            self.rows += 1
            if self.progress and self.rows % PROGRESS_EVERY == 0:
                self.progress(self.rows, counting.bytes_read, self.bytes_total)
        self.flush()
        if self.rows == 0:
            raise ImportRefused("the file has a header and no data rows", row=2, column="")
        if self.progress:
            self.progress(self.rows, counting.bytes_read, self.bytes_total)

    def check_header(self, header: list[str]) -> dict[str, int]:
        index: dict[str, int] = {}
        expected = set(self.mapping.columns())
        for position, name in enumerate(header):
            if name in index:
                raise ImportRefused("appears twice in the header", row=1, column=name)
            if name not in expected:
                raise ImportRefused("is not a column of this dataset's mapping", row=1, column=name)
            index[name] = position
        for name in self.mapping.columns():
            if name not in index:
                raise ImportRefused("is missing from the header", row=1, column=name)
        return index

    def row(self, row: int, fields: list[str], index: dict[str, int]) -> None:
        def field_of(column: str) -> str:
            return fields[index[column]]

        def code_of(spec: DimensionSpec) -> Code:
            text = field_of(spec.column) if spec.column else spec.constant
            return self.code(spec, text, row)

        area = code_of(self.area_spec)
        period = code_of(self.period_spec)
        series = self.series_id([(spec, code_of(spec)) for spec in self.cohort_specs])
        flags = field_of(self.mapping.flags_column).strip() if self.mapping.flags_column else ""
        if flags in self.not_applicable:
            flags = ""  # "NA" in a flags column: no flag
        if len(flags) > 20:
            raise ImportRefused(
                "a flag is at most 20 characters", row=row, column=self.mapping.flags_column
            )
        common = (area, period, series, flags)
        if self.mapping.is_long:
            name = " · ".join(field_of(c).strip() for c in self.mapping.indicator_columns)
            indicator = self.indicators.get(name)
            if indicator is None:
                raise ImportRefused(
                    f"“{name}” is not an indicator of this dataset",
                    row=row,
                    column=self.mapping.indicator_columns[0],
                )
            cell = self.number(field_of(self.mapping.value_column), row, self.mapping.value_column)
            self.check_count(cell, indicator, row, self.mapping.value_column)
            bounds = [
                self.number(field_of(c), row, c).value if c else None
                for c in (self.mapping.lower_column, self.mapping.upper_column)
            ]
            self.add(row, indicator, cell, bounds[0], bounds[1], common)
        else:
            for spec in self.mapping.indicators:
                indicator = self.indicators[spec.code]
                cell = self.number(field_of(spec.column), row, spec.column)
                self.check_count(cell, indicator, row, spec.column)
                self.add(row, indicator, cell, None, None, common)

    def add(
        self,
        row: int,
        indicator: Indicator,
        cell: Cell,
        lower: Decimal | None,
        upper: Decimal | None,
        common: tuple[Code, Code, int, str],
    ) -> None:
        area, period, series, flags = common
        self.batch.append(
            (
                self.version.pk,
                indicator.pk,
                area.pk,
                series,
                period.pk,
                cell.value,
                lower,
                upper,
                cell.suppressed,
                cell.not_applicable,
                flags,
            )
        )
        self.batch_rows.append((row, indicator, area, period))
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the batch as plain values: PostgreSQL's COPY, SQLite's ``executemany``.
        Model instances and Django's per-value SQL compilation cost more than the database's
        work here (``bulk_create`` took 8× the time on SQLite; one INSERT per row 2.5× COPY's
        time on PostgreSQL). A cell met twice is found by the database's unique constraint (no
        set of every key is held in memory); the failed batch is then searched for its row."""
        if not self.batch:
            return
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(COPY) as copy:
                        for values in self.batch:
                            copy.write_row(values)
                else:
                    cursor.executemany(INSERT, self.batch)
        except (IntegrityError, connection.Database.IntegrityError):
            self.refuse_duplicate()
            raise
        self.cells += len(self.batch)
        self.batch = []
        self.batch_rows = []

    def refuse_duplicate(self) -> None:
        seen: set[tuple[int, int, int, int]] = set()
        for values, (row, indicator, area, period) in zip(self.batch, self.batch_rows, strict=True):
            key = (values[1], values[2], values[3], values[4])
            earlier = (
                key in seen
                or Observation.objects.filter(
                    version=self.version,
                    indicator_id=key[0],
                    area_id=key[1],
                    series_id=key[2],
                    period_id=key[3],
                ).exists()
            )
            if earlier:
                spec = self.indicator_specs[indicator.code]
                raise ImportRefused(
                    f"a second value for the same cell ({indicator.name}, {area.label}, "
                    f"{period.label}); each cell appears once",
                    row=row,
                    column=self.mapping.value_column or spec.column,
                )
            seen.add(key)


def _check_text(row: int, fields: list[str], header: list[str]) -> None:
    """Refuse a field holding bytes that were not UTF-8 (cheap: most rows are ASCII)."""
    if "".join(fields).isascii():
        return
    for position, text in enumerate(fields):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            column = header[position] if position < len(header) else text
            raise ImportRefused(
                "is not UTF-8 text; save the file as CSV UTF-8", row=row, column=column
            ) from None


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("|", "%7C").replace("=", "%3D")


def _guarded(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row, fields) for each record; a record that is not CSV refuses the file at
    its row."""
    row = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportRefused(
                f"this is not a CSV record ({error})", row=row, column=""
            ) from error
        if fields or row == 1:  # a blank line is skipped (and counted, as a spreadsheet does)
            yield row, fields
        row += 1


def read_into(
    *,
    version: Version,
    mapping: Mapping,
    source: IO[bytes],
    suppression_tokens: list[str],
    dimensions: dict[str, Dimension],
    indicators: dict[str, Indicator],
    progress: Progress | None = None,
    bytes_total: int = 0,
) -> tuple[int, int]:
    """Stream ``source`` into ``version``; returns (rows, cells). Call inside a transaction:
    an ``ImportRefused`` leaves the caller to roll everything back."""
    reader = _Reader(
        version=version,
        mapping=mapping,
        suppression_tokens=suppression_tokens,
        dimensions=dimensions,
        indicators=indicators,
        progress=progress,
        bytes_total=bytes_total,
    )
    reader.read(source)
    return reader.rows, reader.cells
