"""Forms for adding a dataset (a steward's "Add a dataset" page): what the dataset is and where
it came from, with its first CSV file; then, from that file's header row, what each column is.

The second form turns the steward's choices into an ``importing.Mapping`` of either shape the
importer reads: a wide file (one column per indicator, the shape publishers' spreadsheets
have) or a long one (one value per row, a column or two naming its indicator, as Whakamaua
is). A long file's indicators are the distinct values of those columns, which the page cannot
know without reading the whole file — and the file is only read once, by the importer — so the
steward lists them, each with its kind and unit; a row naming one that is not listed refuses
the file at that row. The services check the rest (who may create, the slug, the mapping's own
rules) and the importer checks every row.
"""

import codecs
import csv
import io
from dataclasses import replace
from typing import IO, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from commons.forms.upload import CsvFileField
from commons.importing import DimensionSpec, IndicatorSpec, Mapping
from commons.models import Dimension, Indicator

HEADER_BYTES = 64 * 1024  # the header row is read from the file's first 64 KB, nothing more
TEXT = {"rows": 3}

# What the page says when no column is the area: a national table's area is a constant, as
# the importer reads the Stats NZ injury table (commons/datasets.py).
NATIONAL_AREA = "New Zealand"

DIMENSION, INDICATOR, LEAVE_OUT = "dimension", "indicator", "leave"
# A long file's columns: what names each row's indicator, its value and the value's bounds.
NAMES, VALUE, LOWER, UPPER = "names", "value", "lower", "upper"
FLAGS = "flags"
USES = [
    (DIMENSION, "A dimension"),
    (INDICATOR, "An indicator (its own column of values)"),
    (NAMES, "Names the indicator (a file with one value per row)"),
    (VALUE, "The value (a file with one value per row)"),
    (LOWER, "The value's lower bound (confidence interval)"),
    (UPPER, "The value's upper bound (confidence interval)"),
    (FLAGS, "The publisher's quality flags"),
    (LEAVE_OUT, "Leave it out"),
]
LONG_USES = (NAMES, VALUE, LOWER, UPPER)
# How the importer names a long file's indicator when two columns name it together.
JOINED = " · "
SEPARATOR = "|"
KINDS = {str(v): str(v) for v in Indicator.Kind.values} | {
    str(label).lower(): str(v) for v, label in Indicator.Kind.choices
}
# "year" in the importer reads a calendar year (2019) and a financial year (2019/20) both; the
# page offers them apart because that is how a steward thinks of the column.
PERIOD_FORMATS = [
    ("date", "Dates (2021-06-06)"),
    ("year", "Calendar years (2021)"),
    ("financial", "Financial years (2020/21)"),
]
IMPORTER_FORMAT = {"date": "date", "year": "year", "financial": "year"}


def _text(label: str, help_text: str = "", max_length: int = 5000) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs=TEXT),
    )


class DatasetForm(forms.Form):
    """What the dataset is, where it came from and under what licence, and its first file.
    Provenance and licence may be left for later: the version page lists what is still
    missing, and nothing is published until it is filled."""

    title = forms.CharField(
        max_length=200, error_messages={"required": "Give the dataset a title."}
    )
    slug = forms.SlugField(
        label="Address",
        max_length=120,
        required=False,
        help_text="The last part of its address, /data/<address>/. Left empty, it is made "
        "from the title.",
    )
    description = _text("Description", "What it counts, by what, and over which years.")
    source_name = forms.CharField(label="Source", max_length=500, required=False)
    source_url = forms.URLField(label="Source address", max_length=500, required=False)
    collection = _text("How and why it was collected")
    parties = forms.CharField(
        max_length=500, required=False, help_text="Who collected it and who holds it."
    )
    retrieved_on = forms.DateField(
        label="Retrieved on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    licence_name = forms.CharField(label="Licence", max_length=120, required=False)
    licence_url = forms.URLField(label="Licence address", max_length=500, required=False)
    attribution = _text("Attribution", "How users must credit the source.", 2000)
    method = forms.ChoiceField(
        label="Confidentiality method of the source",
        choices=[
            ("raw", "Exact counts (we confidentialise them)"),
            ("rr3", "Already randomly rounded to base 3 (not rounded again)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the source's counts are exact or rounded."},
    )
    suppression_tokens = forms.CharField(
        label="The publisher's suppression marks",
        max_length=200,
        required=False,
        help_text="What the file writes for a value the publisher suppressed, separated by "
        'commas, e.g. "<5, s". Those values stay hidden and are never guessed.',
    )
    maori_data = forms.BooleanField(
        label="Māori data",
        required=False,
        help_text="Disaggregated by Māori ethnicity or iwi: restricted use then needs the "
        "kaitiaki group's approval.",
    )
    kaitiaki_group = forms.CharField(label="Kaitiaki group", max_length=200, required=False)
    file = CsvFileField()

    def clean_suppression_tokens(self) -> list[str]:
        text = self.cleaned_data["suppression_tokens"]
        tokens = [t.strip() for t in text.split(",")]
        return list(dict.fromkeys(t for t in tokens if t))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("maori_data") and not data.get("kaitiaki_group", "").strip():
            self.add_error(
                "kaitiaki_group", "Name the kaitiaki group that approves use of Māori data."
            )
        if not data.get("slug") and data.get("title"):
            data["slug"] = slugify(data["title"])[:120].strip("-")
            if not data["slug"]:
                self.add_error("slug", "The title makes no address: type one.")
        return data

    def dataset_fields(self) -> dict[str, Any]:
        """The cleaned values ``services.dataset_create`` takes (all but slug and file)."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in self.fields
            if name not in ("slug", "file") and name in data
        }


def read_header(upload: IO[bytes]) -> list[str]:
    """The file's header row, read from its first 64 KB only (the rest is read once, by the
    importer). A ``ValidationError`` says what is wrong with it. The file is rewound."""
    upload.seek(0)
    chunk = upload.read(HEADER_BYTES)
    upload.seek(0)
    # Bytes that are not UTF-8 come through as surrogates: only the header's are refused here
    # (a bad byte further down is the importer's to name, by row and column).
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="surrogateescape")
    text = decoder.decode(chunk, final=False)
    if len(chunk) == HEADER_BYTES and "\n" not in text and "\r" not in text:
        raise ValidationError("The header row is longer than 64 KB: is this a CSV file?")
    try:
        header = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as error:
        raise ValidationError(f"The header row is not CSV ({error}).") from error
    if not header:
        raise ValidationError("The file has no header row: its first line must name the columns.")
    try:
        "".join(header).encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            "The header row is not UTF-8 text; save the file as CSV UTF-8."
        ) from None
    for position, name in enumerate(header, start=1):
        if not name.strip():
            raise ValidationError(f"Column {position} has no name in the header row.")
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise ValidationError(
            f"The header names {', '.join(f'“{n}”' for n in twice)} twice; each column once."
        )
    if len(header) < 3:
        raise ValidationError(
            "The file has fewer than three columns: it needs at least a period, an area (or "
            "none, for a national table) and one indicator."
        )
    return header


def _guess(name: str) -> tuple[str, str]:
    """A first choice for a column (use, role) from its name, for the steward to correct."""
    lowered = name.lower()
    for use, word in ((LOWER, "lower"), (UPPER, "upper"), (FLAGS, "flag"), (FLAGS, "qualityind")):
        if word in lowered:
            return use, str(Dimension.Role.OTHER)
    for role, words in (
        (Dimension.Role.PERIOD, ("year", "week", "date", "period", "month", "quarter")),
        (Dimension.Role.AREA, ("area", "dhb", "region", "district", "territor", "board")),
        (Dimension.Role.ETHNICITY, ("ethnic",)),
        (Dimension.Role.AGE, ("age",)),
        (Dimension.Role.SEX, ("sex", "gender")),
    ):
        if any(word in lowered for word in words):
            return DIMENSION, str(role)
    return INDICATOR, str(Dimension.Role.OTHER)


def _unique(wanted: str, taken: set[str], fallback: str, max_length: int) -> str:
    code = slugify(wanted)[:max_length].strip("-") or fallback
    candidate, n = code, 2
    while candidate in taken:
        candidate = f"{code[: max_length - 4]}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


class ColumnsForm(forms.Form):
    """For each column of the header: a dimension (its role; for the period, its format), an
    indicator (its kind and unit, and for a sum, mean or rate the count it is based on), one of
    a long file's columns (naming the indicator, its value, the value's bounds), the quality
    flags, or left out. A long file's indicators are listed in ``indicators``, one a line.
    ``cleaned_data["mapping"]`` is the ``Mapping`` the choices make."""

    no_area = forms.BooleanField(
        label=f"No area column: the whole table is for all of {NATIONAL_AREA}",
        required=False,
    )
    indicators = forms.CharField(
        label="The indicators, one a line",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Only for a file with one value per row. Each line: the indicator's name as "
        "the file writes it | its kind (count, sum, mean or rate) | its unit | for a sum, mean "
        "or rate, the count it is based on (optional) | the name shown (optional). When two "
        f"columns name the indicator, write their values joined by “{JOINED.strip()}” in the "
        "columns' order, e.g. “3.1 ASH · Events | count | hospitalisations” and “3.1 ASH · "
        "Rate | rate | per 100,000 | 3.1 ASH · Events”. A row whose indicator is not listed "
        "refuses the file, naming that row.",
    )

    def __init__(self, header: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header = header
        role_choices = [(str(v), str(label)) for v, label in Dimension.Role.choices]
        kind_choices = [(str(v), str(label)) for v, label in Indicator.Kind.choices]
        base_choices = [("", "—")] + [(str(j), name) for j, name in enumerate(header)]
        for i, name in enumerate(header):
            use, role = _guess(name)
            self.fields[f"use_{i}"] = forms.ChoiceField(
                label="This column is", choices=USES, initial=use, widget=forms.RadioSelect
            )
            self.fields[f"name_{i}"] = forms.CharField(
                label="Name shown", max_length=120, initial=name[:120], required=False
            )
            self.fields[f"role_{i}"] = forms.ChoiceField(
                label="Dimension's role", choices=role_choices, initial=role
            )
            self.fields[f"period_format_{i}"] = forms.ChoiceField(
                label="If the period: written as", choices=PERIOD_FORMATS, initial="year"
            )
            self.fields[f"totals_{i}"] = forms.CharField(
                label="Codes that mean “all of them”",
                max_length=200,
                required=False,
                help_text='Separated by commas, e.g. "Total, All ages".',
            )
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label="Indicator's kind", choices=kind_choices, initial="count"
            )
            self.fields[f"unit_{i}"] = forms.CharField(
                label="Unit",
                max_length=60,
                required=False,
                help_text='e.g. "people", "per 1,000", "%".',
            )
            self.fields[f"base_{i}"] = forms.ChoiceField(
                label="Based on the count in", choices=base_choices, required=False
            )

    def columns(self) -> list[dict[str, Any]]:
        """Each column with its bound fields, for the page to lay out as a fieldset."""
        return [
            {
                "index": i,
                "header": name,
                "use": self[f"use_{i}"],
                "dimension": [self[f"{f}_{i}"] for f in ("role", "period_format", "totals")],
                "indicator": [self[f"{f}_{i}"] for f in ("kind", "unit", "base")],
                "name": self[f"name_{i}"],
            }
            for i, name in enumerate(self.header)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        dimensions: list[DimensionSpec] = []
        indicators: dict[int, IndicatorSpec] = {}
        ignored: list[str] = []
        # A long file's columns and the flags, by use, in the header's order.
        special: dict[str, list[str]] = {use: [] for use in (*LONG_USES, FLAGS)}
        dimension_codes: set[str] = set()
        indicator_codes: set[str] = set()
        for i, column in enumerate(self.header):
            use = data[f"use_{i}"]
            name = data[f"name_{i}"].strip() or column[:120]
            if use == LEAVE_OUT:
                ignored.append(column)
            elif use in special:
                special[use].append(column)
            elif use == DIMENSION:
                role = data[f"role_{i}"]
                totals = tuple(t.strip() for t in data[f"totals_{i}"].split(",") if t.strip())
                code = _unique(name, dimension_codes, f"column-{i + 1}", 60)
                fmt = IMPORTER_FORMAT[data[f"period_format_{i}"]] if role == "period" else ""
                dimensions.append(
                    DimensionSpec(
                        code=code,
                        name=name,
                        role=role,
                        column=column,
                        totals=totals,
                        period_format=fmt,
                    )
                )
            else:
                unit = data[f"unit_{i}"].strip()
                if not unit:
                    self.add_error(f"unit_{i}", f"“{column}”: give the indicator's unit.")
                indicators[i] = IndicatorSpec(
                    code=_unique(name, indicator_codes, f"column-{i + 1}", 255),
                    name=name,
                    kind=data[f"kind_{i}"],
                    unit=unit,
                    column=column,
                )
        self._check_bases(data, indicators)
        for use, what in (
            (VALUE, "the value"),
            (LOWER, "the lower bound"),
            (UPPER, "the upper bound"),
            (FLAGS, "the quality flags"),
        ):
            if len(special[use]) > 1:
                self.add_error(None, _only_one_column(what, special[use]))
        is_long = bool(special[VALUE] or special[NAMES])
        listed: tuple[IndicatorSpec, ...] = ()
        if is_long:
            listed = self._check_long(data, special, indicators)
        elif special[LOWER] or special[UPPER]:
            bounds = ", ".join(f"“{c}”" for c in special[LOWER] + special[UPPER])
            self.add_error(
                None,
                f"{bounds}: a bound goes with the value of a file with one value per row, and "
                "no column is that value. Make it a dimension or leave it out, or choose the "
                "value column and the column that names the indicator.",
            )
        else:
            if data.get("indicators", "").strip():
                self.add_error(
                    "indicators",
                    "This list is for a file with one value per row, and no column is chosen "
                    "as its value or as naming its indicator. Empty the list, or choose those "
                    "columns.",
                )
            if not indicators:
                self.add_error(None, "No column is an indicator: choose at least one to import.")
        areas = [d for d in dimensions if d.role == Dimension.Role.AREA]
        periods = [d for d in dimensions if d.role == Dimension.Role.PERIOD]
        if data.get("no_area"):
            if areas:
                self.add_error(
                    "no_area",
                    "A column is the area, and “no area column” is ticked: choose one.",
                )
            else:
                code = _unique("nz", dimension_codes, "nz", 60)
                dimensions.append(
                    DimensionSpec(code=code, name="Area", role="area", constant=NATIONAL_AREA)
                )
        elif not areas:
            self.add_error(
                None,
                "No column is the area. Make the column that holds the area (the district, "
                "region or board) a dimension with the role “Area”, or tick “No area column” "
                f"for a table of all of {NATIONAL_AREA}.",
            )
        if len(areas) > 1:
            self.add_error(None, _only_one("the area", areas))
        if not periods:
            self.add_error(
                None,
                "No column is the period. Every dataset needs one: make the column that holds "
                "the date, year or financial year a dimension with the role “Period”.",
            )
        if len(periods) > 1:
            self.add_error(None, _only_one("the period", periods))
        if self.errors:
            return data
        mapping = Mapping(
            dimensions=tuple(dimensions),
            indicators=listed if is_long else tuple(indicators.values()),
            indicator_columns=tuple(special[NAMES]),
            value_column=next(iter(special[VALUE]), ""),
            lower_column=next(iter(special[LOWER]), ""),
            upper_column=next(iter(special[UPPER]), ""),
            flags_column=next(iter(special[FLAGS]), ""),
            ignored_columns=tuple(ignored),
        )
        try:
            mapping.validate()
        except ValidationError as error:
            self.add_error(None, error)
            return data
        data["mapping"] = mapping
        return data

    def _check_long(
        self,
        data: dict[str, Any],
        special: dict[str, list[str]],
        wide: dict[int, IndicatorSpec],
    ) -> tuple[IndicatorSpec, ...]:
        """A long file: one value column, at least one column naming the indicator, no column
        of its own per indicator, and the listed indicators."""
        if wide:
            columns = ", ".join(f"“{spec.column}”" for spec in wide.values())
            self.add_error(
                None,
                f"{columns} {'is' if len(wide) == 1 else 'are'} chosen as an indicator with "
                "its own column, and other columns as a file with one value per row: a file "
                "has one shape or the other. Make each such column a dimension or leave it "
                "out, or choose no value column.",
            )
        if not special[VALUE]:
            self.add_error(
                None,
                "No column is the value. A file with one value per row needs the column that "
                "holds it: choose “The value” for that column.",
            )
        if not special[NAMES]:
            self.add_error(
                None,
                "No column names the indicator. In a file with one value per row, choose "
                "“Names the indicator” for the column (or the two columns) that say which "
                "indicator each row's value is.",
            )
        listed = _listed_indicators(data.get("indicators", ""))
        if isinstance(listed, list):
            for problem in listed:
                self.add_error("indicators", problem)
            return ()
        if not listed:
            self.add_error(
                "indicators",
                "List the indicators the file names, one a line, with each one's kind and unit.",
            )
        return listed

    def _check_bases(self, data: dict[str, Any], indicators: dict[int, IndicatorSpec]) -> None:
        """A sum, mean or rate may name the count it is based on (the rules use it to hide a
        rate over few people); the base must be another column chosen as a count."""
        for i, spec in list(indicators.items()):
            chosen = data.get(f"base_{i}") or ""
            if not chosen:
                continue
            base = indicators.get(int(chosen))
            if spec.kind == Indicator.Kind.COUNT:
                self.add_error(f"base_{i}", f"“{spec.column}” is a count: it has no base.")
            elif base is None or base.kind != Indicator.Kind.COUNT:
                self.add_error(
                    f"base_{i}",
                    f"“{spec.column}”: its base must be another column chosen as a count.",
                )
            else:
                indicators[i] = replace(spec, base=base.code)


def _listed_indicators(text: str) -> tuple[IndicatorSpec, ...] | list[str]:
    """A long file's indicators as the steward listed them: name in the file | kind | unit |
    base | name shown. The specs, or the problems, each naming its line. The name in the file
    is the indicator's code, as the importer looks each row's indicator up by it."""
    specs: dict[str, IndicatorSpec] = {}
    problems: list[str] = []
    numbered: list[tuple[int, IndicatorSpec]] = []
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)]
    for n, line in lines:
        if not line:
            continue
        parts = [part.strip() for part in line.split(SEPARATOR)]
        parts += [""] * (5 - len(parts))
        code, kind, unit, base, shown = parts[:5]
        where = f"Line {n}" + (f" (“{code}”)" if code else "")
        if len(parts) > 5:
            problems.append(f"{where}: at most five parts, separated by “{SEPARATOR}”.")
            continue
        if not code or not kind or not unit:
            problems.append(
                f"{where}: give the name as the file writes it, its kind and its unit, "
                f"separated by “{SEPARATOR}”."
            )
            continue
        if code in specs:
            problems.append(f"{where}: this indicator is listed twice.")
            continue
        if len(code) > 255 or len(shown) > 255 or len(unit) > 60:
            problems.append(f"{where}: a name is at most 255 characters and a unit 60.")
            continue
        if kind.lower() not in KINDS:
            problems.append(f"{where}: “{kind}” is not a kind; write count, sum, mean or rate.")
            continue
        specs[code] = IndicatorSpec(
            code=code, name=shown or code, kind=KINDS[kind.lower()], unit=unit, base=base
        )
        numbered.append((n, specs[code]))
    for n, spec in numbered:
        if not spec.base:
            continue
        based_on = specs.get(spec.base)
        if spec.kind == Indicator.Kind.COUNT:
            problems.append(f"Line {n} (“{spec.code}”): a count has no base.")
        elif based_on is None or based_on.kind != Indicator.Kind.COUNT:
            problems.append(
                f"Line {n} (“{spec.code}”): its base “{spec.base}” must be another indicator "
                "of this list, a count."
            )
    return problems or tuple(specs.values())


def _only_one_column(what: str, columns: list[str]) -> str:
    named = ", ".join(f"“{c}”" for c in columns)
    return f"Only one column can be {what}; {named} all are."


def _only_one(what: str, specs: list[DimensionSpec]) -> str:
    columns = ", ".join(f"“{d.column}”" for d in specs)
    return f"Only one column can be {what}; {columns} all are. Make the others “Other”."
