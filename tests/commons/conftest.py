"""A kaitiaki organisation's steward, a small dataset of the vaccination files' shape (wide),
one of Whakamaua's shape (long), and a count of every commons table to prove that a refused
import leaves nothing behind."""

import io

import pytest

from commons import services
from commons.importing import DimensionSpec, IndicatorSpec, Mapping
from commons.models import Code, Dataset, Dimension, Indicator, Observation, Series, Version
from tests.factories import ProfileFactory

WIDE = Mapping(
    dimensions=(
        DimensionSpec(
            code="week", name="Week ending", role="period", column="Week", period_format="date"
        ),
        DimensionSpec(code="dhb", name="DHB", role="area", column="DHB"),
        DimensionSpec(
            code="ethnicity",
            name="Ethnic group",
            role="ethnicity",
            column="Ethnic group",
            labels={"Maori": "Māori"},
        ),
        DimensionSpec(code="age", name="Age group", role="age", column="Age", totals=("Total",)),
    ),
    indicators=(
        IndicatorSpec(
            code="first", name="First doses", kind="count", unit="people", column="First"
        ),
        IndicatorSpec(
            code="uptake", name="Uptake", kind="rate", unit="%", base="first", column="Uptake"
        ),
    ),
)

LONG = Mapping(
    dimensions=(
        DimensionSpec(code="year", name="Year", role="period", column="Year", period_format="year"),
        DimensionSpec(code="area", name="Area", role="area", column="GeoArea", totals=("Total",)),
        DimensionSpec(code="ethnicity", name="Ethnicity", role="ethnicity", column="Ethnicity"),
    ),
    indicator_columns=("Measure", "MeasureType"),
    value_column="Value",
    lower_column="LowerCI",
    upper_column="UpperCI",
    flags_column="QualityInd",
    indicators=(
        IndicatorSpec(code="3.1 ASH · Events", name="ASH events", kind="count", unit="events"),
        IndicatorSpec(
            code="3.1 ASH · Rate",
            name="ASH rate",
            kind="rate",
            unit="per 100,000",
            base="3.1 ASH · Events",
        ),
    ),
)

HEADER_LINE = "Week,DHB,Ethnic group,Age,First,Uptake"  # WIDE's file

PROVENANCE = {
    "source_name": "Ministry of Health",
    "source_url": "https://example.org/data",
    "collection": "Reported weekly to follow the rollout.",
    "parties": "Ministry of Health, publisher",
    "licence_name": "CC BY 4.0",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Ministry of Health (Manatū Hauora).",
    "method": "raw",
}


def csv_bytes(*lines: str) -> io.BytesIO:
    return io.BytesIO(("\r\n".join(lines) + "\r\n").encode())


def table_counts() -> dict[str, int]:
    models = (Dataset, Dimension, Code, Indicator, Series, Series.codes.through, Version)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["Observation"] = Observation.objects.count()
    return counts


@pytest.fixture
def kaitiaki(steward):
    """A steward of Porirua Whānau Centre, the organisation that keeps the test datasets."""
    return steward.user


@pytest.fixture
def not_a_steward(organisation):
    """Same organisation, not one of its stewards."""
    return ProfileFactory(display_name="Tama Frontline", organisation=organisation).user


@pytest.fixture
def make_dataset(kaitiaki, organisation):
    def make(slug="vaccinations", mapping=WIDE, **fields):
        values = {
            "title": "Vaccinations by week",
            "suppression_tokens": ["<5"],
            **PROVENANCE,
        }
        values.update(fields)
        return services.dataset_create(
            actor=kaitiaki, steward=organisation, slug=slug, mapping=mapping, **values
        )

    return make


@pytest.fixture
def dataset(make_dataset):
    return make_dataset()


@pytest.fixture
def long_dataset(make_dataset):
    return make_dataset(slug="whakamaua", title="Whakamaua", mapping=LONG, suppression_tokens=["s"])


@pytest.fixture
def do_import(kaitiaki):
    def run(dataset, source, *, actor=None, **kwargs):
        return services.import_version(
            actor=actor or kaitiaki,
            dataset=dataset,
            source=source,
            file_name="upload.csv",
            **kwargs,
        )

    return run


# A version whose stored counts include small ones (1..5) and large ones that are not multiples
# of 3, each distinctive enough to be found in any response body that leaked it; the rates of
# the small cells (based on fewer than 20 people) are distinctive too. Week, DHB, ethnicity, age,
# first doses, uptake.
SMALL_COUNTS_ROWS = (
    "2021-06-06,Waikato,Maori,25-29,10007,NA",
    "2021-06-06,Waikato,Pacific,25-29,4,37.71",
    "2021-06-06,Waikato,Other,25-29,23473,NA",
    "2021-06-06,Northland,Maori,25-29,2,41.93",
    "2021-06-06,Northland,Pacific,25-29,5,53.17",
    "2021-06-06,Northland,Other,25-29,40961,NA",
    "2021-06-06,Capital and Coast,Maori,25-29,1,29.83",
    "2021-06-06,Capital and Coast,Pacific,25-29,3,61.37",
    "2021-06-06,Capital and Coast,Other,25-29,70879,NA",
    "2021-06-13,Waikato,Maori,25-29,10292,NA",
    "2021-06-13,Waikato,Pacific,25-29,2,38.29",
    "2021-06-13,Waikato,Other,25-29,23621,NA",
    "2021-06-13,Northland,Maori,25-29,4,43.07",
    "2021-06-13,Northland,Pacific,25-29,7,54.19",
    "2021-06-13,Northland,Other,25-29,41233,NA",
    "2021-06-13,Capital and Coast,Maori,25-29,5,31.09",
    "2021-06-13,Capital and Coast,Pacific,25-29,1,62.41",
    "2021-06-13,Capital and Coast,Other,25-29,71011,NA",
)


@pytest.fixture
def small_counts(make_dataset, do_import, kaitiaki):
    """A published version of SMALL_COUNTS_ROWS (and a second one, the same file again, so that
    every version and the comparison can be walked)."""
    from commons import publishing

    dataset = make_dataset(slug="small-counts", title="Small counts")
    for _ in range(2):
        version = do_import(dataset, csv_bytes(HEADER_LINE, *SMALL_COUNTS_ROWS))
        publishing.publish_version(version=version, by=kaitiaki)
    return dataset
