"""The steward's pages: importing a version from an uploaded file (refused files named by row
and column, nothing imported), a version's page (publishing a draft, a refused version's
findings, drafts hidden from everyone else), and comparing two published versions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commons import publishing
from commons.forms import upload as upload_form
from commons.models import Dataset, Version
from tests.commons.conftest import csv_bytes, table_counts

HEADER = "Week,DHB,Ethnic group,Age,First,Uptake"
WEEK_1 = (
    "2021-06-06,Waikato,Maori,25-29,1001,NA",
    "2021-06-06,Waikato,Pacific Peoples,25-29,400,NA",
    "2021-06-06,Capital and Coast,Maori,25-29,310,NA",
    "2021-06-06,Capital and Coast,Pacific Peoples,25-29,170,NA",
)
WEEK_2 = (
    "2021-06-13,Waikato,Maori,25-29,1204,NA",
    "2021-06-13,Waikato,Pacific Peoples,25-29,430,NA",
    "2021-06-13,Capital and Coast,Maori,25-29,331,NA",
    "2021-06-13,Capital and Coast,Pacific Peoples,25-29,178,NA",
)


def upload(*lines: str, name: str = "week.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(*lines).getvalue(), content_type="text/csv")


def import_url(dataset: Dataset) -> str:
    return reverse("commons_import", kwargs={"slug": dataset.slug})


def version_url(dataset: Dataset, number: int, name: str = "commons_version") -> str:
    return reverse(name, kwargs={"slug": dataset.slug, "number": number})


@pytest.fixture
def as_steward(client, kaitiaki):
    client.force_login(kaitiaki)
    return client


@pytest.fixture
def as_other(client, not_a_steward):
    client.force_login(not_a_steward)
    return client


def test_only_the_datasets_stewards_may_import_or_publish(as_other, dataset, do_import):
    draft = do_import(dataset, csv_bytes(HEADER, *WEEK_1))
    assert as_other.get(import_url(dataset)).status_code == 403
    before = table_counts()
    answer = as_other.post(import_url(dataset), {"file": upload(HEADER, *WEEK_2)})
    assert answer.status_code == 403 and "Only a steward" in answer.content.decode()
    assert table_counts() == before
    assert as_other.post(version_url(dataset, 1, "commons_publish")).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Version.Status.DRAFT


def test_a_refused_file_names_row_and_column_beside_the_form_and_imports_nothing(
    as_steward, dataset
):
    before = table_counts()
    bad = upload(HEADER, *WEEK_1, "2021-06-13,Waikato,Maori,25-29,lots,NA")
    answer = as_steward.post(import_url(dataset), {"file": bad})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "The file was not imported" in page
    assert "<dt>Row</dt><dd>6</dd>" in page and "<dt>Column</dt><dd>First</dd>" in page
    assert 'id="import-form"' in page  # the form is there to try again
    assert table_counts() == before


def test_a_good_upload_makes_a_draft_and_says_how_many_rows(as_steward, dataset):
    answer = as_steward.post(import_url(dataset), {"file": upload(HEADER, *WEEK_1)}, follow=True)
    version = Version.objects.get(dataset=dataset)
    assert version.status == Version.Status.DRAFT and version.row_count == 4
    assert version.source_file == "week.csv"
    page = answer.content.decode()
    assert answer.redirect_chain[-1][0] == version_url(dataset, 1)
    assert "Version 1 imported: 4 rows" in page and "Publish version 1" in page


def test_the_scripted_upload_is_answered_with_the_new_versions_address(as_steward, dataset):
    answer = as_steward.post(
        import_url(dataset),
        {"file": upload(HEADER, *WEEK_1)},
        headers={"X-Upload-Progress": "1"},
    )
    assert answer.status_code == 201 and answer["Location"] == version_url(dataset, 1)
    # the success message waits for the page the browser then loads
    assert "Version 1 imported" in as_steward.get(answer["Location"]).content.decode()


def test_a_file_over_the_limit_is_refused_with_its_size(as_steward, dataset, monkeypatch):
    monkeypatch.setattr(upload_form, "MAX_UPLOAD_BYTES", 100)
    before = table_counts()
    answer = as_steward.post(import_url(dataset), {"file": upload(HEADER, *WEEK_1)})
    assert answer.status_code == 400
    assert "a version can be at most 20 MB" in answer.content.decode()
    assert table_counts() == before


def test_publishing_from_the_version_page(as_steward, dataset, do_import, colleague, client):
    do_import(dataset, csv_bytes(HEADER, *WEEK_1))
    answer = as_steward.post(version_url(dataset, 1, "commons_publish"), follow=True)
    page = answer.content.decode()
    assert "Version 1 is published" in page and 'id="version-status">Published<' in page
    assert Version.objects.get(dataset=dataset).status == Version.Status.PUBLISHED
    client.force_login(colleague.user)  # now everyone sees it
    assert client.get(version_url(dataset, 1)).status_code == 200
    again = client.post(version_url(dataset, 1, "commons_publish"))
    assert again.status_code == 403


def test_drafts_are_the_stewards_own_until_published(
    as_steward, dataset, do_import, not_a_steward, client
):
    do_import(dataset, csv_bytes(HEADER, *WEEK_1))
    detail = reverse("commons_dataset", kwargs={"slug": dataset.slug})
    page = as_steward.get(detail).content.decode()
    assert "Import a new version" in page and version_url(dataset, 1) in page
    client.force_login(not_a_steward)
    assert client.get(version_url(dataset, 1)).status_code == 404
    theirs = client.get(detail).content.decode()
    assert "Import a new version" not in theirs and version_url(dataset, 1) not in theirs


def test_a_refused_version_lists_the_checkers_findings(make_dataset, do_import, as_steward):
    dataset = make_dataset(slug="mislabelled", method=Dataset.Method.RR3)
    do_import(
        dataset,
        csv_bytes(
            HEADER,
            "2021-06-06,Waikato,Maori,25-29,40,NA",
            "2021-06-06,Waikato,Pacific Peoples,25-29,9,NA",
            "2021-06-06,Capital and Coast,Maori,25-29,31,NA",
            "2021-06-06,Capital and Coast,Pacific Peoples,25-29,18,NA",
        ),
    )
    answer = as_steward.post(version_url(dataset, 1, "commons_publish"), follow=True)
    page = answer.content.decode()
    version = Version.objects.get(dataset=dataset)
    assert version.status == Version.Status.REFUSED
    assert "was not published" in page and "Why it was not published" in page
    assert "Refused by the checker" in page
    assert "Publish version 1" not in page
    message = version.findings[0]["message"]
    assert message and message in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert "area=Waikato" in page  # the cells at fault, by their labels


def test_compare_shows_what_changed_in_published_terms(
    dataset, do_import, kaitiaki, client, colleague
):
    first = do_import(dataset, csv_bytes(HEADER, *WEEK_1))
    publishing.publish_version(version=first, by=kaitiaki)
    second = do_import(dataset, csv_bytes(HEADER, *WEEK_1, *WEEK_2))
    publishing.publish_version(version=second, by=kaitiaki)
    client.force_login(colleague.user)
    url = reverse("commons_compare", kwargs={"slug": dataset.slug})
    page = client.get(url, {"older": 1, "newer": 2}).content.decode()
    assert "From version 1 to version 2" in page
    added = second.observations.filter(period__code="2021-06-13").count()
    assert f"<strong>{added}</strong> values added" in page
    assert "<strong>0</strong> removed" in page
    assert "13 Jun 2021" in page or "2021-06-13" in page
    assert "1204" not in page and "1,204" not in page  # never a stored value
    # the dataset page links to it, and odd choices fall back to newest against the one before
    detail = client.get(reverse("commons_dataset", kwargs={"slug": dataset.slug}))
    assert url in detail.content.decode()
    assert "From version 1 to version 2" in client.get(url, {"older": "x"}).content.decode()
