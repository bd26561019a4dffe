"""The outcome data pages: provenance beside the numbers, only published values (never a raw
one), hidden cells explained, exports of exactly what is shown, and odd addresses answered
plainly."""

import csv
import io
import json

import pytest
from django.urls import reverse

from commons import publishing
from commons.models import Indicator
from tests.commons.conftest import csv_bytes

HEADER = "Week,DHB,Ethnic group,Age,First,Uptake"


@pytest.fixture
def published(dataset, do_import, kaitiaki):
    version = do_import(
        dataset,
        csv_bytes(
            HEADER,
            "2021-06-06,Waikato,Maori,25-29,1001,NA",
            "2021-06-06,Waikato,=HYPERLINK(1),25-29,4,NA",
            "2021-06-06,Capital and Coast,Maori,25-29,310,NA",
            "2021-06-06,Capital and Coast,=HYPERLINK(1),25-29,170,NA",
            "2021-06-13,Waikato,Maori,25-29,1204,NA",
            "2021-06-13,Waikato,=HYPERLINK(1),25-29,40,NA",
            "2021-06-13,Capital and Coast,Maori,25-29,331,NA",
            "2021-06-13,Capital and Coast,=HYPERLINK(1),25-29,178,NA",
        ),
    )
    return publishing.publish_version(version=version, by=kaitiaki)


@pytest.fixture
def first(dataset, published):
    return Indicator.objects.get(dataset=dataset, code="first")


@pytest.fixture
def reader(client, colleague):
    client.force_login(colleague.user)
    return client


def indicator_url(dataset, indicator, name="commons_indicator"):
    return reverse(name, kwargs={"slug": dataset.slug, "pk": indicator.pk})


def test_the_dataset_list_and_page_show_provenance_licence_and_indicators(
    reader, dataset, published
):
    listing = reader.get(reverse("commons_datasets")).content.decode()
    assert dataset.title in listing and "Version 1, published" in listing
    page = reader.get(reverse("commons_dataset", kwargs={"slug": dataset.slug})).content.decode()
    for text in ("Ministry of Health", "Reported weekly to follow the rollout.", "CC BY 4.0",
                 "Ministry of Health (Manatū Hauora).", "First doses", "“&lt;5”"):  # fmt: skip
        assert text in page


def test_an_unpublished_dataset_shows_no_indicator_values(reader, dataset, do_import):
    do_import(dataset, csv_bytes(HEADER, "2021-06-06,Waikato,Maori,25-29,1001,NA"))
    first = Indicator.objects.get(dataset=dataset, code="first")
    page = reader.get(reverse("commons_dataset", kwargs={"slug": dataset.slug})).content.decode()
    assert "No version of this dataset is published yet" in page
    assert reader.get(indicator_url(dataset, first)).status_code == 404


def test_the_indicator_page_shows_published_values_only_and_explains_hidden_ones(
    reader, dataset, first, published
):
    waikato = published.observations.get(
        indicator=first, area__code="Waikato", series__key__startswith="ethnicity=Maori",
        period__code="2021-06-13",
    )  # fmt: skip
    page = reader.get(indicator_url(dataset, first), {"area": waikato.area_id}).content.decode()
    assert "1,204" not in page and "1204" not in page  # the stored count
    assert "1,001" not in page and "1001" not in page  # hidden beside the 4 (secondary)
    shown = int(waikato.shown_value)
    assert shown in (1203, 1206) and f"{shown:,}" in page
    assert "<svg" in page and "<table" in page
    assert 'title="Suppressed' in page or "S</abbr>" in page  # Waikato's 4 is hidden
    assert "What the marks mean" in page


def test_exports_hold_exactly_what_the_page_shows_with_formulas_defused(
    reader, dataset, first, published
):
    waikato = published.observations.filter(indicator=first, area__code="Waikato").first()
    query = {"area": waikato.area_id}
    response = reader.get(indicator_url(dataset, first, "commons_indicator_csv"), query)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["period"] for r in rows} == {"2021-06-06", "2021-06-13"}
    cohorts = {r["cohort"] for r in rows}
    assert len(rows) == 2 * 3 and "All" in cohorts  # two groups and their computed total
    assert any(c.startswith("'=HYPERLINK") for c in cohorts)  # text, not a formula
    assert not any(c.startswith("=") for c in cohorts)
    hidden = [r for r in rows if r["value"] == ""]
    assert hidden and all(r["status"].startswith("suppressed") for r in hidden)
    assert "1001" not in response.content.decode() and "1204" not in response.content.decode()
    data = json.loads(
        reader.get(indicator_url(dataset, first, "commons_indicator_json"), query).content
    )
    assert len(data["rows"]) == len(rows) and data["licence"] == "CC BY 4.0"
    assert sorted(
        str(r["value"] if r["value"] is not None else "") for r in data["rows"]
    ) == sorted(r["value"] for r in rows)


@pytest.mark.parametrize(
    "query",
    [
        {"area": "abc"},
        {"area": "99999999999999999999999"},
        {"cohort": ["-1", "x", "0"]},
        {"version": "2"},
        {"version": "1e9"},
    ],
)
def test_odd_choices_fall_back_to_the_defaults_never_an_error(
    reader, dataset, first, published, query
):
    assert reader.get(indicator_url(dataset, first), query).status_code == 200


def test_an_unknown_dataset_or_indicator_is_a_plain_404(reader, dataset, first, published):
    assert reader.get(reverse("commons_dataset", kwargs={"slug": "nope"})).status_code == 404
    url = reverse("commons_indicator", kwargs={"slug": dataset.slug, "pk": first.pk + 1000})
    assert reader.get(url).status_code == 404
    assert (
        reader.get(f"/data/{dataset.slug}/indicators/99999999999999999999999/").status_code == 404
    )


def test_every_export_is_in_the_audit_chain(reader, dataset, first, published, colleague):
    from commons.models import AuditEntry

    reader.get(indicator_url(dataset, first, "commons_indicator_csv"))
    reader.get(indicator_url(dataset, first, "commons_indicator_json"))
    entries = list(AuditEntry.objects.filter(action="export").order_by("sequence"))
    assert [e.details["format"] for e in entries] == ["csv", "json"]
    assert all(e.actor_id == colleague.user.pk and e.dataset_id == dataset.pk for e in entries)
