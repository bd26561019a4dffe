"""The dashboard's outcome data section: the same for everyone, counts and statuses only (never
a value), and its status counts read once per published version."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commons import publishing
from dashboard import selectors as dashboard
from tests.commons.conftest import csv_bytes

HEADER = "Week,DHB,Ethnic group,Age,First,Uptake"
ROWS = (
    "2021-06-06,Waikato,Maori,25-29,1001,NA",
    "2021-06-06,Waikato,Pacific Peoples,25-29,4,NA",
    "2021-06-06,Capital and Coast,Maori,25-29,310,NA",
    "2021-06-06,Capital and Coast,Pacific Peoples,25-29,170,NA",
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_dashboard_shows_the_outcome_data_to_everyone_alike(
    client, dataset, do_import, kaitiaki, colleague
):
    publishing.publish_version(version=do_import(dataset, csv_bytes(HEADER, *ROWS)), by=kaitiaki)
    do_import(dataset, csv_bytes(HEADER, *ROWS))  # a draft: not counted
    figures = dashboard.build().commons
    assert (figures.datasets, figures.published_datasets, figures.versions_last_year) == (1, 1, 1)
    assert figures.indicators == 2
    # 4 cells x 2 indicators, and the margins publication adds (2 + 2 + 1 for the counts)
    assert figures.cells == 13
    assert figures.hidden >= 2  # the 4 and a cell that would reveal it, at least
    assert figures.hidden_share == round(100 * figures.hidden / figures.cells, 1)
    client.force_login(colleague.user)
    theirs = client.get(reverse("dashboard"), headers={"HX-Request": "true"}).content
    client.force_login(kaitiaki)
    mine = client.get(reverse("dashboard"), headers={"HX-Request": "true"}).content
    assert mine == theirs
    page = mine.decode()
    assert "Outcome data" in page and "<strong>1</strong> dataset</a> held in common" in page
    assert "<strong>1</strong> version published in the last year" in page
    assert f"of the {figures.cells} published values" in page
    assert "Suppressed: too few people" in page
    assert "1001" not in page and "1,001" not in page


def test_a_published_versions_cells_are_counted_once(dataset, do_import, kaitiaki):
    publishing.publish_version(version=do_import(dataset, csv_bytes(HEADER, *ROWS)), by=kaitiaki)
    with CaptureQueriesContext(connection) as first:
        dashboard.build()
    with CaptureQueriesContext(connection) as again:
        dashboard.build()
    assert len(again.captured_queries) == len(first.captured_queries) - 1
    assert not any("commons_observation" in q["sql"] for q in again.captured_queries)


def test_no_outcome_data_yet_is_said_plainly(client, colleague):
    client.force_login(colleague.user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "No outcome data yet" in page and "No values published yet." in page
