"""Reads of the commons' datasets and versions, and of a dataset's structure (its dimensions
and code lists, indicators and cohorts) as the API lists it and filters by it.

``compare`` works in published terms only (``shown_value`` and ``status``): what changed between
two versions as a person without restricted access would see it. The stored values never enter
it, so a comparison can be shown to anyone who may see both versions.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from commons.models import Code, Dataset, Dimension, Indicator, Observation, Series, Version

Key = tuple[int, int, int, int]  # indicator, area, series, period
Published = tuple[Decimal | None, str | None]  # shown_value, status
KEY_FIELDS = ("indicator_id", "area_id", "series_id", "period_id")
COMPARE_LIMIT = 200


def datasets() -> QuerySet[Dataset]:
    return Dataset.objects.select_related("steward").order_by("title")


def versions_of(*, dataset: Dataset) -> QuerySet[Version]:
    return dataset.versions.select_related("imported_by__profile").order_by("-number")


# --- a dataset's structure -------------------------------------------------------------------


def dataset_by_slug(slug: str) -> Dataset | None:
    return Dataset.objects.select_related("steward").filter(slug=slug).first()


def dimensions_with_codes(*, dataset: Dataset) -> list[Dimension]:
    """The dataset's dimensions, each with its code list (two queries)."""
    return list(dataset.dimensions.prefetch_related("codes"))


def indicators_of(*, dataset: Dataset) -> list[Indicator]:
    """The dataset's indicators, each with the count it is based on (one query)."""
    return list(dataset.indicators.select_related("base"))


def cohorts_of(*, dataset: Dataset) -> list[Series]:
    return list(Series.objects.filter(dataset=dataset).order_by("label", "id"))


@dataclass(frozen=True)
class Filter:
    """What a list of observations is narrowed to: each one of the dataset's, or None."""

    indicator: Indicator | None = None
    area: Code | None = None
    cohort: Series | None = None
    period: Code | None = None


def observation_filter(
    *,
    dataset: Dataset,
    indicator: int | None = None,
    area: int | None = None,
    cohort: int | None = None,
    period: int | None = None,
) -> Filter:
    """The dataset's indicator, area code, cohort and period code of those ids (one query for
    each id given). An id that is not one of this dataset's is a ``ValidationError`` naming the
    filter: the dataset's structure lists the ids, so it is a mistake to say, not an empty page
    (which would read as "no values")."""
    codes = Code.objects.filter(dimension__dataset=dataset)
    return Filter(
        indicator=_one(Indicator.objects.filter(dataset=dataset), indicator, "indicator"),
        area=_one(codes.filter(dimension__role=Dimension.Role.AREA), area, "area"),
        cohort=_one(Series.objects.filter(dataset=dataset), cohort, "cohort"),
        period=_one(codes.filter(dimension__role=Dimension.Role.PERIOD), period, "period"),
    )


def _one[T: Indicator | Code | Series](qs: QuerySet[T], pk: int | None, field: str) -> T | None:
    if pk is None:
        return None
    found = qs.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: f"This dataset has no {field} with id {pk}."})
    return found


@dataclass(frozen=True)
class CellKey:
    indicator: str
    area: str
    series: str
    period: str


@dataclass(frozen=True)
class Change:
    key: CellKey
    before: Published
    after: Published


@dataclass
class Comparison:
    """What changed from ``older`` to ``newer``: the first ``limit`` cells of each kind, in key
    order, and how many there are in all."""

    older: Version
    newer: Version
    added: list[tuple[CellKey, Published]] = field(default_factory=list)
    removed: list[tuple[CellKey, Published]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    added_count: int = 0
    removed_count: int = 0
    changed_count: int = 0

    @property
    def truncated(self) -> bool:
        return (
            len(self.added) < self.added_count
            or len(self.removed) < self.removed_count
            or len(self.changed) < self.changed_count
        )

    @property
    def unchanged(self) -> bool:
        return not (self.added_count or self.removed_count or self.changed_count)


def _published(version: Version) -> Iterator[tuple[Key, Published]]:
    """A version's cells in key order, streamed (the unique index gives the order)."""
    rows = (
        Observation.objects.filter(version=version)
        .order_by(*KEY_FIELDS)
        .values_list(*KEY_FIELDS, "shown_value", "status")
        .iterator(chunk_size=5000)
    )
    for indicator, area, series, period, shown, status in rows:
        yield (indicator, area, series, period), (shown, status)


def compare(older: Version, newer: Version, *, limit: int = COMPARE_LIMIT) -> Comparison:
    """Cells added, removed and changed (before → after) between two versions of one dataset,
    in published terms. Both versions are read once, in step, in key order: memory holds only
    the ``limit`` cells kept of each kind, however large the versions."""
    if older.dataset_id != newer.dataset_id:
        raise ValidationError("Only two versions of the same dataset can be compared.")
    result = Comparison(older=older, newer=newer)
    raw_added: list[tuple[Key, Published]] = []
    raw_removed: list[tuple[Key, Published]] = []
    raw_changed: list[tuple[Key, Published, Published]] = []
    before, after = _published(older), _published(newer)
    a, b = next(before, None), next(after, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            assert a is not None
            result.removed_count += 1
            if len(raw_removed) < limit:
                raw_removed.append(a)
            a = next(before, None)
        elif a is None or b[0] < a[0]:
            result.added_count += 1
            if len(raw_added) < limit:
                raw_added.append(b)
            b = next(after, None)
        else:
            if a[1] != b[1]:
                result.changed_count += 1
                if len(raw_changed) < limit:
                    raw_changed.append((a[0], a[1], b[1]))
            a, b = next(before, None), next(after, None)
    keys = [k for k, _ in raw_added] + [k for k, _ in raw_removed] + [k for k, *_ in raw_changed]
    name = _namer(keys)
    result.added = [(name(k), p) for k, p in raw_added]
    result.removed = [(name(k), p) for k, p in raw_removed]
    result.changed = [Change(name(k), x, y) for k, x, y in raw_changed]
    return result


def _namer(keys: list[Key]) -> Callable[[Key], CellKey]:
    """Readable labels for the cells kept: three queries, whatever their number."""
    indicators = dict(
        Indicator.objects.filter(id__in={k[0] for k in keys}).values_list("id", "name")
    )
    codes = dict(
        Code.objects.filter(id__in={k[1] for k in keys} | {k[3] for k in keys}).values_list(
            "id", "label"
        )
    )
    series = dict(Series.objects.filter(id__in={k[2] for k in keys}).values_list("id", "label"))

    def name(key: Key) -> CellKey:
        return CellKey(indicators[key[0]], codes[key[1]], series[key[2]], codes[key[3]])

    return name
