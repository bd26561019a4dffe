"""Adding a dataset: a steward describes it and uploads its file, says what each column of the
header is, and the dataset and its first version (a draft) are created together — or, when a
row is refused, nothing is."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commons.models import Dataset, Version
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
