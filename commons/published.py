"""The read side of the one door: what anyone may see of the observations of a published
version. Every page, chart, export and API answer for a person without restricted access reads
observation values through this module, and it selects only the published columns
(``shown_value`` and ``status``, written by ``commons.publishing``), never the stored ``value``,
``lower`` or ``upper``. ``tests/commons/test_one_door.py`` holds the rest of the code to that.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q

from commons.confidentiality import REASONS, Status
from commons.models import Code, Dataset, Indicator, Observation, Series, Version
from core import paging
from core.params import encode_cursor

PUBLISHED_FIELDS = ("period_id", "series_id", "shown_value", "status")
MAX_COHORTS = 6  # lines on one chart; the table shows the same cohorts


@dataclass(frozen=True)
class Value:
    """A published value (``None`` when hidden) and its status, with the reason in words."""

    value: Decimal | None
    status: str

    @property
    def hidden(self) -> bool:
        return self.value is None

    @property
    def symbol(self) -> str:
        """What a table cell shows for a hidden value (explained under the table)."""
        return {
            Status.SUPPRESSED_PRIMARY: "S",
            Status.SUPPRESSED_SECONDARY: "S²",
            Status.SUPPRESSED_PUBLISHER: "S*",
            Status.NOT_PUBLISHED: "..",
        }.get(Status(self.status), "")

    @property
    def reason(self) -> str:
        return str(REASONS[Status(self.status)])


@dataclass
class Cut:
    """One indicator in one area for some cohorts over every period of a version: what the
    indicator page draws and tabulates, and what its exports hold."""

    version: Version
    indicator: Indicator
    area: Code
    cohorts: list[Series]
    periods: list[Code] = field(default_factory=list)
    values: dict[tuple[int, int], Value] = field(default_factory=dict)  # (period, cohort)

    def value(self, period: Code, cohort: Series) -> Value | None:
        return self.values.get((period.pk, cohort.pk))

    def line(self, cohort: Series) -> list[Decimal | None]:
        found = (self.value(p, cohort) for p in self.periods)
        return [v.value if v is not None else None for v in found]

    def statuses(self) -> list[Value]:
        """One example of each status present, in a fixed order (the table's key)."""
        seen: dict[str, Value] = {}
        for v in self.values.values():
            seen.setdefault(v.status, v)
        return [seen[s] for s in Status if s in seen]


def latest(dataset: Dataset) -> Version | None:
    return dataset.versions.filter(status=Version.Status.PUBLISHED).order_by("-number").first()


def version(dataset: Dataset, number: int) -> Version | None:
    return dataset.versions.filter(status=Version.Status.PUBLISHED, number=number).first()


def published_versions(dataset: Dataset) -> list[Version]:
    return list(dataset.versions.filter(status=Version.Status.PUBLISHED).order_by("-number"))


def areas(version: Version, indicator: Indicator) -> list[Code]:
    """The dataset's areas, totals first. All of them, not only those with a value for this
    indicator in this version: finding those reads every observation of the version (half a
    million index entries at the benchmark's scale, 150 ms); an area without values for this
    indicator shows an empty table that says so."""
    return list(
        Code.objects.filter(
            dimension__dataset_id=indicator.dataset_id, dimension__role="area"
        ).order_by("-is_total", "position", "label")
    )


def cohorts(version: Version, indicator: Indicator, area: Code) -> list[Series]:
    ids = (
        Observation.objects.filter(version=version, indicator=indicator, area=area)
        .values("series_id")
        .distinct()
        .order_by()
    )
    return list(Series.objects.filter(pk__in=ids).order_by("label"))


def cut(*, version: Version, indicator: Indicator, area: Code, cohorts: Iterable[Series]) -> Cut:
    """Published values of one area and up to ``MAX_COHORTS`` cohorts over every period: one
    query for the values (the (version, indicator, area, series, period) index), one for the
    periods."""
    chosen = list(cohorts)[:MAX_COHORTS]
    result = Cut(version=version, indicator=indicator, area=area, cohorts=chosen)
    rows = Observation.objects.filter(
        version=version, indicator=indicator, area=area, series__in=[c.pk for c in chosen]
    ).values_list(*PUBLISHED_FIELDS)
    period_ids = set()
    for period_id, series_id, shown_value, status in rows:
        result.values[(period_id, series_id)] = Value(shown_value, status or Status.NOT_PUBLISHED)
        period_ids.add(period_id)
    result.periods = list(Code.objects.filter(pk__in=period_ids).order_by("position", "id"))
    return result


def export_rows(data: Cut) -> list[dict[str, Any]]:
    """Exactly what the page shows, one row per period and cohort (hidden values empty, with
    their status and its reason)."""
    dataset = data.version.dataset
    rows = []
    for period in data.periods:
        for cohort in data.cohorts:
            found = data.value(period, cohort)
            if found is None:
                continue
            rows.append(
                {
                    "dataset": dataset.title,
                    "version": data.version.number,
                    "indicator": data.indicator.name,
                    "unit": data.indicator.unit,
                    "area": data.area.label,
                    "cohort": cohort.label,
                    "period": period.label,
                    "value": found.value,
                    "status": found.status,
                    "reason": found.reason,
                }
            )
    return rows


# --- the API's reads -------------------------------------------------------------------------

OBSERVATION_PAGE = 500
OBSERVATION_ORDER = ("indicator_id", "id")


@dataclass(frozen=True)
class Published:
    """One published cell as the API gives it: its dimensions and its published value."""

    id: int
    indicator: Indicator
    area: Code
    cohort: Series
    period: Code
    value: Value


def datasets() -> list[Dataset]:
    """Every dataset with ``latest_number``, its latest published version's number (None
    before the first): one query, however many datasets."""
    latest_number = Max("versions__number", filter=Q(versions__status=Version.Status.PUBLISHED))
    return list(
        Dataset.objects.select_related("steward")
        .annotate(latest_number=latest_number)
        .order_by("title", "id")
    )


def observations(
    version: Version,
    *,
    indicator: Indicator | None = None,
    area: Code | None = None,
    cohort: Series | None = None,
    period: Code | None = None,
    cursor: str | None = None,
    size: int = OBSERVATION_PAGE,
) -> paging.Page:
    """A page of a published version's cells (``Published``), filtered by any of its
    dimensions, in indicator then stored order after ``cursor``. Selects the published columns
    only; four queries a page (the cells, then the indicators, codes and cohorts they name)."""
    filters: dict[str, Any] = {"version": version}
    for name, chosen in (("indicator", indicator), ("area", area), ("series", cohort),
                         ("period", period)):  # fmt: skip
        if chosen is not None:
            filters[name] = chosen
    qs = Observation.objects.filter(**filters).values_list(
        "id", "indicator_id", "area_id", "series_id", *PUBLISHED_FIELDS
    )
    rows = list(
        paging.keyset(qs.order_by(*OBSERVATION_ORDER), OBSERVATION_ORDER, cursor)[: size + 1]
    )
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = encode_cursor([rows[-1][1], rows[-1][0]])
    indicators = Indicator.objects.in_bulk({r[1] for r in rows})
    codes = Code.objects.in_bulk({r[2] for r in rows} | {r[4] for r in rows})
    series = Series.objects.in_bulk({r[3] for r in rows})
    items = [
        Published(
            id=pk,
            indicator=indicators[indicator_id],
            area=codes[area_id],
            cohort=series[series_id],
            period=codes[period_id],
            value=Value(shown_value, status or Status.NOT_PUBLISHED),
        )
        for pk, indicator_id, area_id, series_id, period_id, _, shown_value, status in rows
    ]
    return paging.Page(items, next_cursor)


def value_at(
    *, version: Version, indicator: Indicator, area: Code, series: Series, period: Code
) -> Value | None:
    """One published value (``None`` when the version has no such cell)."""
    row = (
        Observation.objects.filter(
            version=version, indicator=indicator, area=area, series=series, period=period
        )
        .values_list("shown_value", "status")
        .first()
    )
    if row is None:
        return None
    return Value(row[0], row[1] or Status.NOT_PUBLISHED)
