"""Adding a dataset: a steward describes it and uploads its file, says what each column of the
header is, and the dataset and its first version (a draft) are created together — or, when a
row is refused, nothing is."""

import html
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commons import services
from commons.datasets import DATA, WHAKAMAUA
from commons.importing import Mapping
from commons.models import Dataset, Observation, Version
from tests.commons.conftest import csv_bytes, table_counts

URL = reverse("commons_dataset_new")
HEADER = "Year,Region,Ethnicity,Notes,Hospitalisations,Rate"
COLUMNS = HEADER.split(",")
ROWS = (
    "2019,Waikato,Māori,,120,14.2",
    "2019,Waikato,Pacific,,<5,s",
    "2020/21,Waikato,Māori,revised,131,15.0",
    "2020/21,Northland,Māori,,88,12.9",
)
DETAILS = {
    "title": "Hospitalisations by region",
    "description": "Potentially avoidable hospitalisations.",
    "source_name": "Te Whatu Ora",
    "source_url": "https://example.org/hospitalisations",
    "collection": "Coded from discharge records.",
    "parties": "Te Whatu Ora, publisher",
    "retrieved_on": "2024-05-01",
    "licence_name": "CC BY 4.0",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Te Whatu Ora.",
    "method": "raw",
    "suppression_tokens": "<5, s",
    "maori_data": "on",
    "kaitiaki_group": "Te Rōpū Kaitiaki",
}


def upload(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("hosp.csv", csv_bytes(*lines).getvalue(), content_type="text/csv")


def column(i: int, use: str, **choices: str) -> dict[str, str]:
    values = {
        f"use_{i}": use,
        f"name_{i}": COLUMNS[i],
        f"role_{i}": "other",
        f"period_format_{i}": "year",
        f"totals_{i}": "",
        f"kind_{i}": "count",
        f"unit_{i}": "",
        f"base_{i}": "",
    }
    values.update({f"{key}_{i}": value for key, value in choices.items()})
    return values


def choices(**overrides: dict[str, str]) -> dict[str, str]:
    """The columns as a steward would choose them: period, area, ethnicity, a notes column left
    out, a count and a rate based on it."""
    chosen = {
        0: column(0, "dimension", role="period", period_format="financial"),
        1: column(1, "dimension", role="area", name="Region"),
        2: column(2, "dimension", role="ethnicity", totals="Total"),
        3: column(3, "leave"),
        4: column(4, "indicator", kind="count", unit="people"),
        5: column(5, "indicator", kind="rate", unit="per 1,000", base="4"),
    }
    for key, value in overrides.items():
        chosen[int(key.removeprefix("c"))] = value
    data = {"step": "create", "header": json.dumps(COLUMNS)}
    for values in chosen.values():
        data.update(values)
    return data


def create(client, *rows: str, details=None, **overrides):
    data = {**DETAILS, **(details or {}), **choices(**overrides)}
    data["file"] = upload(HEADER, *rows)
    return client.post(URL, data)


@pytest.fixture
def as_steward(client, kaitiaki):
    client.force_login(kaitiaki)
    return client


def test_only_a_steward_of_an_organisation_may_add_one(client, not_a_steward, kaitiaki):
    client.force_login(not_a_steward)
    before = table_counts()
    page = client.get(URL)
    assert page.status_code == 403
    assert "Only a steward of an organisation can add a dataset" in page.content.decode()
    answer = create(client, *ROWS)
    assert answer.status_code == 403 and table_counts() == before
    listing = client.get(reverse("commons_datasets")).content.decode()
    assert "Add a dataset" not in listing
    client.force_login(kaitiaki)
    listing = client.get(reverse("commons_datasets")).content.decode()
    assert f'href="{URL}"' in listing and "Add a dataset" in listing


def test_step_one_reads_the_header_and_offers_each_column(as_steward):
    answer = as_steward.post(URL, {**DETAILS, "step": "columns", "file": upload(HEADER, *ROWS)})
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Step 2 of 2" in page
    for i, name in enumerate(COLUMNS):
        assert f"Column {i + 1}: <code>{name}</code>" in page
    assert 'name="header"' in page and "Hospitalisations by region" in page  # kept
    assert Dataset.objects.count() == 0  # nothing is created before the columns are chosen


def test_step_one_refuses_a_file_without_a_usable_header(as_steward):
    answer = as_steward.post(
        URL, {**DETAILS, "step": "columns", "file": upload("Year,Year,Value", "2019,2019,1")}
    )
    assert answer.status_code == 400
    assert "The header names “Year” twice" in answer.content.decode()


def test_a_good_file_makes_the_dataset_its_structure_and_a_draft(as_steward, kaitiaki):
    answer = create(as_steward, *ROWS)
    dataset = Dataset.objects.get()
    version = Version.objects.get(dataset=dataset)
    assert answer.status_code == 302
    assert answer["Location"] == reverse(
        "commons_version", kwargs={"slug": "hospitalisations-by-region", "number": 1}
    )
    assert dataset.slug == "hospitalisations-by-region"
    assert dataset.steward == kaitiaki.profile.organisation
    assert dataset.suppression_tokens == ["<5", "s"]
    assert dataset.maori_data and dataset.kaitiaki_group == "Te Rōpū Kaitiaki"
    assert str(dataset.retrieved_on) == "2024-05-01" and dataset.method == "raw"
    dimensions = [(d.name, d.role) for d in dataset.dimensions.all()]
    assert dimensions == [("Year", "period"), ("Region", "area"), ("Ethnicity", "ethnicity")]
    indicators = {i.name: i for i in dataset.indicators.select_related("base")}
    assert indicators["Hospitalisations"].kind == "count"
    assert indicators["Hospitalisations"].unit == "people"
    assert indicators["Rate"].kind == "rate" and indicators["Rate"].base is not None
    assert indicators["Rate"].base.name == "Hospitalisations"
    assert version.status == Version.Status.DRAFT
    assert (version.row_count, version.cell_count) == (4, 8)
    assert dataset.mapping["ignored_columns"] == ["Notes"]
    page = as_steward.get(answer["Location"]).content.decode()
    assert "“Hospitalisations by region” is added, with version 1 imported: 4 rows" in page


def test_no_area_column_makes_a_national_table(as_steward):
    # The file itself has an area-like column here; make it "other" and tick "no area column".
    data = {**DETAILS, "title": "National", **choices(c1=column(1, "dimension", role="other"))}
    data["no_area"] = "on"
    data["file"] = upload(HEADER, "2019,Waikato,Māori,,120,14.2", "2019,Waikato,Pacific,,7,3.5")
    answer = as_steward.post(URL, data)
    assert answer.status_code == 302
    area = Dataset.objects.get(slug="national").dimensions.get(role="area")
    assert [c.label for c in area.codes.all()] == ["New Zealand"]


def test_a_bad_row_refuses_everything_and_keeps_what_was_typed(as_steward):
    before = table_counts()
    answer = create(as_steward, *ROWS, "2021,Waikato,Pacific,,lots,1.0")
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "The file was not imported" in page
    assert "<dt>Row</dt><dd>6</dd>" in page and "<dt>Column</dt><dd>Hospitalisations</dd>" in page
    assert "“lots” is not a number" in page
    assert table_counts() == before  # no dataset, dimension, code, cohort or version
    assert 'value="Hospitalisations by region"' in page  # what was typed is still there
    assert 'value="Te Rōpū Kaitiaki"' in page
    assert 'value="per 1,000"' in page  # and the columns' choices


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"c1": column(1, "dimension", role="other")}, "No column is the area."),
        ({"c0": column(0, "dimension", role="other")}, "No column is the period."),
        (
            {"c2": column(2, "dimension", role="area")},
            "Only one column can be the area; “Region”, “Ethnicity” all are.",
        ),
        (
            {c: column(int(c[1]), "leave") for c in ("c4", "c5")},
            "No column is an indicator",
        ),
    ],
)
def test_a_mapping_without_one_area_and_one_period_is_refused(as_steward, overrides, message):
    before = table_counts()
    answer = create(as_steward, *ROWS, **overrides)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert table_counts() == before


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("new", "“new” is a page of the outcome data; choose another."),
        ("taken", "A dataset already has this address: choose another."),
    ],
)
def test_a_reserved_or_taken_address_is_refused(as_steward, make_dataset, slug, message):
    make_dataset(slug="taken")
    before = table_counts()
    answer = create(as_steward, *ROWS, details={"slug": slug})
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert table_counts() == before


def test_step_two_refuses_a_different_file(as_steward):
    data = {**DETAILS, **choices()}
    data["file"] = upload("Year,Region,Ethnicity,Notes,Hospitalisations", "2019,W,M,,1")
    answer = as_steward.post(URL, data)
    assert answer.status_code == 400
    assert "This file&#x27;s header is not the one the columns below were chosen for" in (
        answer.content.decode()
    )
    assert Dataset.objects.count() == 0


def test_step_one_refuses_a_header_that_is_not_utf8(as_steward):
    latin1 = SimpleUploadedFile("l.csv", "Year,Région,Value\r\n2019,W,1\r\n".encode("latin-1"))
    answer = as_steward.post(URL, {**DETAILS, "step": "columns", "file": latin1})
    assert answer.status_code == 400
    assert "The header row is not UTF-8 text" in answer.content.decode()


# ---------------------------------------------------------------------------------------------
# A long file (one value per row): Whakamaua, the real file, as a steward would map it.

WHAKAMAUA_FILE = DATA / WHAKAMAUA.file
WHAKAMAUA_HEADER = WHAKAMAUA_FILE.open(encoding="utf-8-sig").readline().strip().split(",")
# Each line as a steward types it: name in the file | kind | unit | base | name shown.
WHAKAMAUA_LIST = """\
1.3 Unmet need · Count | count | people
1.3 Unmet need · Age-standardised proportion | rate | % | 1.3 Unmet need · Count
2.2 Missed appointments · missed | count | appointments
2.2 Missed appointments · percent | rate | % | 2.2 Missed appointments · missed
2.3 Workforce · Profession | rate | %
2.3 Workforce · Graduate | count | graduates | | Graduates (workforce)

3.1 ASH · Events | count | hospitalisations
3.1 ASH · Rate | Rate or proportion | rate | 3.1 ASH · Events
3.2 MH services · Proportion of clients seen within 3 weeks | rate | %
3.3 Diabetes · Events | count | events
3.3 Diabetes · Rate | rate | rate | 3.3 Diabetes · Events
3.3 Diabetes · Age-standardised rate | rate | rate | 3.3 Diabetes · Events
4.4 Acute bed days · Count | count | as the topic says
4.4 Acute bed days · Crude rate | rate | rate | 4.4 Acute bed days · Count
4.4 Acute bed days · Age-standardised rate | rate | rate | 4.4 Acute bed days · Count
"""
LONG_USES = {
    "Measure": {"use": "names"},
    "MeasureType": {"use": "names"},
    "Year": {"use": "dimension", "role": "period", "period_format": "year"},
    "Ethnicity": {"use": "dimension", "role": "ethnicity"},
    "GeoArea": {"use": "dimension", "role": "area", "totals": "Total"},
    "AgeGroup": {"use": "dimension", "role": "age", "totals": "Total"},
    "VariableName": {"use": "dimension", "role": "other", "name": "Topic", "totals": "Total"},
    "Variable": {"use": "dimension", "role": "other", "totals": "Total"},
    "Value": {"use": "value"},
    "LowerCI": {"use": "lower"},
    "UpperCI": {"use": "upper"},
    "QualityInd": {"use": "flags"},
}


def long_choices(header: list[str], uses: dict[str, dict[str, str]], listed: str) -> dict:
    data = {"step": "create", "header": json.dumps(header), "indicators": listed}
    for i, name in enumerate(header):
        chosen = uses[name]
        data.update(
            {
                f"use_{i}": chosen["use"],
                f"name_{i}": chosen.get("name", name),
                f"role_{i}": chosen.get("role", "other"),
                f"period_format_{i}": chosen.get("period_format", "year"),
                f"totals_{i}": chosen.get("totals", ""),
                f"kind_{i}": "count",
                f"unit_{i}": "",
                f"base_{i}": "",
            }
        )
    return data


def observations(dataset: Dataset) -> set[tuple]:
    """Every value of the dataset's first version as a reader meets it: indicator, area,
    period, the cohort's codes by column, value, bounds, suppression and flags."""
    columns = {d.code: d.column for d in Mapping.from_dict(dataset.mapping).dimensions}
    cohorts = {
        series.id: frozenset((columns[c.dimension.code], c.code) for c in series.codes.all())
        for series in dataset.series.prefetch_related("codes__dimension")
    }
    return {
        (
            o.indicator.code,
            o.area.code,
            o.period.code,
            cohorts[o.series_id],
            o.value,
            o.lower,
            o.upper,
            o.publisher_suppressed,
            o.not_applicable,
            o.flags,
        )
        for o in Observation.objects.filter(version__dataset=dataset).select_related(
            "indicator", "area", "period"
        )
    }


def whakamaua_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(WHAKAMAUA.file, WHAKAMAUA_FILE.read_bytes(), content_type="text/csv")


def post_long(client, uses=None, listed=WHAKAMAUA_LIST, header=None):
    header = header or WHAKAMAUA_HEADER
    data = {**DETAILS, "title": "Whakamaua from the page", "suppression_tokens": "s"}
    data.update(long_choices(header, {**LONG_USES, **(uses or {})}, listed))
    data["file"] = whakamaua_upload()
    return client.post(URL, data)


def test_the_whakamaua_file_imports_from_the_page_as_the_seed_imports_it(
    as_steward, kaitiaki, organisation
):
    answer = post_long(as_steward)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    page_made = Dataset.objects.get(slug="whakamaua-from-the-page")
    seeded = services.dataset_create(
        actor=kaitiaki,
        steward=organisation,
        slug="whakamaua-seeded",
        mapping=WHAKAMAUA.mapping,
        **{**WHAKAMAUA.fields, "title": "Whakamaua seeded"},
    )
    with WHAKAMAUA_FILE.open("rb") as source:
        services.import_version(
            actor=kaitiaki, dataset=seeded, source=source, file_name=WHAKAMAUA.file
        )
    built = Mapping.from_dict(page_made.mapping)
    for name in ("indicator_columns", "value_column", "lower_column", "upper_column"):
        assert getattr(built, name) == getattr(WHAKAMAUA.mapping, name)
    assert built.flags_column == "QualityInd"
    assert [(d.column, d.role, d.totals, d.period_format) for d in built.dimensions] == [
        (d.column, d.role, d.totals, d.period_format)
        for d in sorted(
            WHAKAMAUA.mapping.dimensions, key=lambda d: WHAKAMAUA_HEADER.index(d.column)
        )
    ]
    assert {(i.code, i.kind, i.unit, i.base) for i in built.indicators} == {
        (i.code, i.kind, i.unit, i.base) for i in WHAKAMAUA.mapping.indicators
    }
    ours, theirs = (Version.objects.get(dataset=d) for d in (page_made, seeded))
    rows = (ours.row_count, ours.cell_count)
    assert rows == (theirs.row_count, theirs.cell_count) == (21539, 21539)
    assert observations(page_made) == observations(seeded)
    shown = page_made.indicators.get(code="2.3 Workforce · Graduate")
    assert shown.name == "Graduates (workforce)"  # the optional name shown
    rate = page_made.indicators.select_related("base").get(code="3.1 ASH · Rate")
    assert rate.kind == "rate" and rate.base.code == "3.1 ASH · Events"  # kind by its label


def test_step_two_explains_both_shapes_and_offers_the_long_columns(as_steward):
    answer = as_steward.post(URL, {**DETAILS, "step": "columns", "file": whakamaua_upload()})
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "One value per row" in page and "Names the indicator" in page
    assert 'name="indicators"' in page and "The indicators, one a line" in page
    lower = WHAKAMAUA_HEADER.index("LowerCI")
    guessed = re.search(rf'<input[^>]*name="use_{lower}" value="lower"[^>]*>', page)
    assert guessed is not None and "checked" in guessed.group(0)  # the bound is guessed


@pytest.mark.parametrize(
    ("uses", "listed", "message"),
    [
        (
            {"Measure": {"use": "leave"}, "MeasureType": {"use": "leave"}},
            WHAKAMAUA_LIST,
            "No column names the indicator.",
        ),
        ({"Value": {"use": "leave"}}, WHAKAMAUA_LIST, "No column is the value."),
        (
            {"LowerCI": {"use": "value"}},
            WHAKAMAUA_LIST,
            "Only one column can be the value; “Value”, “LowerCI” all are.",
        ),
        (
            {"Variable": {"use": "indicator"}},
            WHAKAMAUA_LIST,
            "“Variable” is chosen as an indicator with its own column",
        ),
        ({}, "", "List the indicators the file names"),
        ({}, "3.1 ASH · Events | count", "Line 1 (“3.1 ASH · Events”): give the name"),
        ({}, "3.1 ASH · Events | lots | people", "“lots” is not a kind"),
        (
            {},
            "3.1 ASH · Events | count | people\n3.1 ASH · Events | count | events",
            "Line 2 (“3.1 ASH · Events”): this indicator is listed twice.",
        ),
        (
            {},
            "3.1 ASH · Rate | rate | rate | 3.1 ASH · Events",
            "its base “3.1 ASH · Events” must be another indicator of this list, a count.",
        ),
        (
            {},
            "3.1 ASH · Events | count | people | 3.1 ASH · Events",
            "a count has no base.",
        ),
    ],
)
def test_a_long_mapping_that_cannot_work_is_refused_beside_the_kept_form(
    as_steward, uses, listed, message
):
    before = table_counts()
    answer = post_long(as_steward, uses, listed)
    page = answer.content.decode()
    assert answer.status_code == 400
    assert html.escape(message, quote=False) in page.replace("&#x27;", "'")
    assert table_counts() == before
    assert 'value="Whakamaua from the page"' in page  # what was typed is kept


def test_an_indicator_left_off_the_list_refuses_the_file_at_its_row(as_steward):
    before = table_counts()
    listed = WHAKAMAUA_LIST.replace("4.4 Acute bed days · Count | count | as the topic says\n", "")
    listed = listed.replace(" | 4.4 Acute bed days · Count", "")
    answer = post_long(as_steward, listed=listed)
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "<dt>Row</dt><dd>4</dd>" in page and "<dt>Column</dt><dd>Measure</dd>" in page
    assert "“4.4 Acute bed days · Count” is not an indicator of this dataset" in page
    assert table_counts() == before


def test_the_list_is_refused_for_a_file_with_one_column_per_indicator(as_steward):
    before = table_counts()
    data = {**DETAILS, **choices(), "indicators": "Rate | rate | %"}
    data["file"] = upload(HEADER, *ROWS)
    answer = as_steward.post(URL, data)
    assert answer.status_code == 400
    assert "This list is for a file with one value per row" in answer.content.decode()
    assert table_counts() == before


def test_bounds_without_a_value_column_are_refused(as_steward):
    before = table_counts()
    data = {**DETAILS, **choices(c3=column(3, "lower"))}
    data["file"] = upload(HEADER, *ROWS)
    answer = as_steward.post(URL, data)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "“Notes”: a bound goes with the value of a file with one value per row" in page
    assert "List the indicators" not in page  # the one mistake, not the long file's rules
    assert table_counts() == before
