# ruff: noqa: F811 - the governance fixtures imported below are used as arguments
"""The restricted values page shows stored numbers as people read them: the public pages'
style (thousands separators, no decimals for a whole number), keeping every digit the
publisher gave and none of the database's padding ("1005.000000")."""

from decimal import Decimal

import pytest
from django.urls import reverse

from commons import access
from commons.models import Indicator, Observation
from commons.templatetags.commons_numbers import stored_number
from tests.commons.governance import (  # noqa: F401 - fixtures, used as arguments
    ask,
    lead,
    other_org,
    project,
    version,
)


@pytest.fixture
def approved(lead, dataset, project, version, kaitiaki):
    made = ask(lead, dataset, project, version)
    return access.decide(actor=kaitiaki, access=made, approve=True, reason="Fits the rules.")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("1005.000000", "1,005"),
        ("1000.000000", "1,000"),
        ("4.000000", "4"),
        ("0.000000", "0"),
        ("12.500000", "12.5"),
        ("0.123400", "0.1234"),
        ("1234567.654321", "1,234,567.654321"),
        ("-3.250000", "-3.25"),
    ],
)
def test_a_stored_number_loses_its_padding_and_keeps_its_digits(stored, shown):
    assert stored_number(Decimal(stored)) == shown


def test_no_value_is_shown_as_nothing():
    assert stored_number(None) == ""


def test_the_page_shows_stored_values_formatted_not_as_stored(client, lead, dataset, approved):
    first = Indicator.objects.get(dataset=dataset, code="first")
    waikato_maori = Observation.objects.filter(indicator=first, value=Decimal(1001))
    # A stored value with decimals and an interval, as a long file's rate has them.
    Observation.objects.filter(indicator=first, value=Decimal(310)).update(
        value=Decimal("12345.5"), lower=Decimal("12000.25"), upper=Decimal("13000")
    )
    assert waikato_maori.count() == 1
    client.force_login(lead)
    url = reverse("commons_access_values", kwargs={"pk": approved.pk})
    page = client.get(url, {"indicator": first.pk}).content.decode()
    assert '<td class="num">1,001</td>' in page
    assert '<td class="num">12,345.5</td>' in page
    assert '<td class="num">12,000.25</td><td class="num">13,000</td>' in page
    assert ".000000" not in page and "1001" not in page
