"""The commons JSON API at /api/v1/datasets: datasets with their provenance and licence, a
dataset's structure and published versions, comparisons and published observations — filtered,
paged, in published values only — and bad input answered with the field named."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commons import published
from commons.models import Code, Observation, Series
from tests.commons.conftest import HEADER_LINE, SMALL_COUNTS_ROWS, csv_bytes
from tests.factories import OrganisationFactory, ProfileFactory

API = "/api/v1"


@pytest.fixture
def reader(db):
    """Someone from another organisation, with no restricted access."""
    client = Client()
    client.force_login(ProfileFactory(organisation=OrganisationFactory()).user)
    return client


def get(client, path, params=None):
    return client.get(API + path, params or {})


def field_errors(response):
    return {e["field"]: e["message"] for e in response.json()["detail"]}


def test_the_list_gives_every_dataset_with_provenance_licence_and_latest_version(
    reader, small_counts, make_dataset
):
    make_dataset(slug="unpublished", title="Also here")
    response = get(reader, "/datasets")
    assert response.status_code == 200
    by_slug = {d["slug"]: d for d in response.json()}
    assert set(by_slug) == {"small-counts", "unpublished"}
    small = by_slug["small-counts"]
    assert small["latest_version"] == 2 and by_slug["unpublished"]["latest_version"] is None
    assert small["steward"]["name"] == "Porirua Whānau Centre"
    assert small["provenance"]["source"] == "Ministry of Health"
    assert small["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": "Ministry of Health (Manatū Hauora).",
    }
    assert small["method"] == "raw" and small["maori_data"] is False
    assert small["url"].endswith("/data/small-counts/")


def test_the_list_costs_the_same_queries_for_one_dataset_or_five(
    reader, small_counts, make_dataset
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert get(reader, "/datasets").status_code == 200
        return len(queries)

    one = count()
    for n in range(4):
        make_dataset(slug=f"more-{n}", title=f"More {n}")
    assert count() == one


def test_a_dataset_gives_its_structure_and_published_versions(reader, small_counts, do_import):
    do_import(small_counts, csv_bytes(HEADER_LINE, *SMALL_COUNTS_ROWS))  # a draft: not shown
    data = get(reader, "/datasets/small-counts").json()
    dimensions = {d["code"]: d for d in data["dimensions"]}
    assert {c: d["role"] for c, d in dimensions.items()} == {
        "week": "period", "dhb": "area", "ethnicity": "ethnicity", "age": "age"
    }  # fmt: skip
    areas = {c["label"]: c for c in dimensions["dhb"]["codes"]}
    assert {"Waikato", "Northland", "Capital and Coast"} <= set(areas)
    assert areas["Waikato"]["is_total"] is False
    assert any(c["is_total"] for c in dimensions["dhb"]["codes"])  # our computed "All areas"
    assert "Māori" in {c["label"] for c in dimensions["ethnicity"]["codes"]}
    indicators = {i["code"]: i for i in data["indicators"]}
    assert indicators["first"]["kind"] == "count" and indicators["first"]["base"] is None
    assert indicators["uptake"] | {"id": 0} == {
        "id": 0, "code": "uptake", "name": "Uptake", "kind": "rate", "unit": "%", "base": "first"
    }  # fmt: skip
    assert len(data["cohorts"]) == Series.objects.filter(dataset=small_counts).count()
    assert [v["number"] for v in data["versions"]] == [2, 1]
    versions = get(reader, "/datasets/small-counts/versions").json()
    assert versions == data["versions"]
    assert versions[0]["row_count"] == len(SMALL_COUNTS_ROWS)
    assert versions[0]["source_file"] == "upload.csv" and versions[0]["published_at"]


def test_observations_are_published_values_with_status_and_reason(reader, small_counts):
    data = get(reader, "/datasets/small-counts/observations").json()
    assert data["version"] == 2 and data["next_cursor"] is None
    version = small_counts.versions.get(number=2)
    assert len(data["items"]) == Observation.objects.filter(version=version).count()
    shown = {
        (o.indicator.code, o.area.code, o.series.key, o.period.code): o
        for o in Observation.objects.filter(version=version).select_related(
            "indicator", "area", "series", "period"
        )
    }
    for item in data["items"]:
        cell = shown[(item["indicator"], item["area"]["code"], item["cohort"]["key"],
                      item["period"]["code"])]  # fmt: skip
        assert item["status"] == cell.status and item["reason"]
        if cell.shown_value is None:
            assert item["value"] is None
        else:
            assert item["value"] == cell.shown_value
        if item["indicator"] == "first" and item["value"] is not None:
            assert item["value"] % 3 == 0 and item["value"] >= 6
    hidden = [i for i in data["items"] if i["status"] == "suppressed-primary"]
    assert hidden and all(i["value"] is None for i in hidden)
    assert "very few people" in hidden[0]["reason"]


def test_observations_filter_by_each_dimension_and_version(reader, small_counts):
    structure = get(reader, "/datasets/small-counts").json()
    waikato = next(
        c["id"] for d in structure["dimensions"] for c in d["codes"] if c["label"] == "Waikato"
    )
    week = next(
        c["id"] for d in structure["dimensions"] for c in d["codes"] if c["code"] == "2021-06-13"
    )
    maori = next(c["id"] for c in structure["cohorts"] if c["key"].startswith("ethnicity=Maori"))
    first = next(i["id"] for i in structure["indicators"] if i["code"] == "first")
    url = "/datasets/small-counts/observations"
    data = get(reader, url, {"area": waikato, "version": 1}).json()
    assert data["version"] == 1 and data["items"]
    assert {i["area"]["label"] for i in data["items"]} == {"Waikato"}
    items = get(reader, url, {"area": waikato, "cohort": maori, "period": week,
                              "indicator": first}).json()["items"]  # fmt: skip
    assert len(items) == 1
    only = items[0]
    assert (only["indicator"], only["period"]["code"], only["cohort"]["id"]) == (
        "first",
        "2021-06-13",
        maori,
    )
    assert only["value"] is None and only["status"] == "suppressed-secondary"


def test_observations_are_keyset_paged(reader, small_counts, monkeypatch):
    monkeypatch.setattr(published, "OBSERVATION_PAGE", 10)
    url = "/datasets/small-counts/observations"
    seen, cursor, pages = [], None, 0
    while True:
        data = get(reader, url, {"cursor": cursor} if cursor else {}).json()
        assert len(data["items"]) <= 10
        seen += [(i["indicator"], i["area"]["id"], i["cohort"]["id"], i["period"]["id"])
                 for i in data["items"]]  # fmt: skip
        pages += 1
        cursor = data["next_cursor"]
        if cursor is None:
            break
    total = Observation.objects.filter(version__dataset=small_counts, version__number=2).count()
    assert len(seen) == len(set(seen)) == total and pages == -(-total // 10)


def test_a_page_of_observations_costs_a_fixed_number_of_queries(reader, small_counts, monkeypatch):
    url = "/datasets/small-counts/observations"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert get(reader, url).status_code == 200
        return len(queries)

    monkeypatch.setattr(published, "OBSERVATION_PAGE", 3)
    few = count()
    monkeypatch.setattr(published, "OBSERVATION_PAGE", 500)
    assert count() == few


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"area": "abc"}, "area"),
        ({"area": "0"}, "area"),
        ({"cohort": str(2**70)}, "cohort"),
        ({"period": "1.5"}, "period"),
        ({"indicator": "a\x00b"}, "indicator"),
        ({"version": "-1"}, "version"),
        ({"cursor": "bm90LWEtY3Vyc29y"}, "cursor"),
    ],
)
def test_bad_filters_are_a_422_naming_the_field(reader, small_counts, params, field):
    response = get(reader, "/datasets/small-counts/observations", params)
    assert response.status_code == 422
    assert field in field_errors(response)


def test_a_filter_from_another_dimension_or_dataset_is_a_422_naming_it(
    reader, small_counts, make_dataset
):
    week = Code.objects.filter(dimension__dataset=small_counts, dimension__role="period").first()
    response = get(reader, "/datasets/small-counts/observations", {"area": week.pk})
    assert response.status_code == 422
    assert "no area with id" in field_errors(response)["area"]
    other = make_dataset(slug="other", title="Other")
    cohort = Series.objects.create(dataset=other, key="x=y", label="Y")
    response = get(reader, "/datasets/small-counts/observations", {"cohort": cohort.pk})
    assert "cohort" in field_errors(response)


def test_unknown_datasets_and_versions_are_a_404(reader, small_counts, do_import, make_dataset):
    do_import(small_counts, csv_bytes(HEADER_LINE, *SMALL_COUNTS_ROWS))  # version 3, a draft
    for path, params in [
        ("/datasets/nope", {}),
        ("/datasets/nope/versions", {}),
        ("/datasets/nope/observations", {}),
        ("/datasets/small-counts/observations", {"version": 3}),
        ("/datasets/small-counts/observations", {"version": 99}),
        ("/datasets/small-counts/compare", {"older": 1, "newer": 3}),
    ]:
        response = get(reader, path, params)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}
    make_dataset(slug="unpublished", title="Unpublished")
    assert get(reader, "/datasets/unpublished/observations").status_code == 404


def test_compare_gives_what_changed_in_published_values(reader, small_counts):
    response = get(reader, "/datasets/small-counts/compare", {"older": 1, "newer": 2})
    assert response.status_code == 200
    data = response.json()
    assert (data["older"], data["newer"], data["added_count"], data["removed_count"]) == (
        1,
        2,
        0,
        0,
    )
    # The same file twice: only the rounding (seeded by the version) differs.
    assert data["changed_count"] == len(data["changed"]) > 0 and not data["truncated"]
    for change in data["changed"]:
        assert set(change["cell"]) == {"indicator", "area", "cohort", "period"}
        for side in (change["before"], change["after"]):
            assert side["value"] is None or side["value"] % 3 == 0
    assert get(reader, "/datasets/small-counts/compare", {"older": 1}).status_code == 422
    assert "newer" in field_errors(get(reader, "/datasets/small-counts/compare", {"older": 1}))


def test_every_endpoint_needs_a_signed_in_person_or_a_token(small_counts):
    anonymous = Client()
    for path in ("/datasets", "/datasets/small-counts", "/datasets/small-counts/versions",
                 "/datasets/small-counts/compare?older=1&newer=2",
                 "/datasets/small-counts/observations"):  # fmt: skip
        response = anonymous.get(API + path)
        assert response.status_code == 401, path
        assert "10007" not in response.content.decode()


def test_the_openapi_document_lists_the_commons_endpoints(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    ours = (f"{API}/datasets", f"{API}/register")
    assert {p: set(ops) for p, ops in paths.items() if p.startswith(ours)} == {
        f"{API}/register": {"get"},
        f"{API}/datasets": {"get"},
        f"{API}/datasets/{{slug}}": {"get"},
        f"{API}/datasets/{{slug}}/versions": {"get"},
        f"{API}/datasets/{{slug}}/compare": {"get"},
        f"{API}/datasets/{{slug}}/observations": {"get"},
    }
    parameters = paths[f"{API}/datasets/{{slug}}/observations"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == {
        "slug", "version", "indicator", "area", "cohort", "period", "cursor"
    }  # fmt: skip


def test_the_structure_and_the_filters_cost_fixed_queries(reader, small_counts):
    """The structure is six reads whatever its size (the dataset, its published versions,
    dimensions, their codes, indicators, cohorts), and each filter given is one read."""
    ids = {
        "indicator": small_counts.indicators.first().pk,
        "area": Code.objects.get(dimension__dataset=small_counts, label="Waikato").pk,
        "cohort": Series.objects.filter(dataset=small_counts).first().pk,
        "period": Code.objects.filter(dimension__dataset=small_counts, dimension__role="period")
        .first()
        .pk,
    }

    def count(path, params=None):
        with CaptureQueriesContext(connection) as queries:
            assert get(reader, path, params).status_code == 200
        return len(queries)

    before = count("/datasets/small-counts")
    Series.objects.create(dataset=small_counts, key="x=more", label="More")
    assert count("/datasets/small-counts") == before
    url = "/datasets/small-counts/observations"
    unfiltered = count(url)
    assert count(url, ids) == unfiltered + 4
