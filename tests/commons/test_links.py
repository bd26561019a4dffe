# ruff: noqa: F811 - the projects fixtures imported below are used as arguments
"""What uses the outcome data: a project's measure takes published values from an indicator,
problems and ideas cite indicators as evidence, and each indicator lists what uses it — with
restricted projects named only to their members."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commons import links, publishing
from commons.models import Citation, Indicator, MeasureSource
from ideas import services as idea_services
from projects import services as project_services
from tests.commons.conftest import csv_bytes
from tests.projects.conftest import (  # noqa: F401 - fixtures
    lead,
    make_project,
    member,
    other_org,
    outsider,
    project,
    restricted,
)

HEADER = "Week,DHB,Ethnic group,Age,First,Uptake"


@pytest.fixture
def data(dataset, do_import, kaitiaki):
    """Waikato and Capital and Coast, Māori and Pacific, three weeks; Waikato Pacific is small
    in the first week."""
    lines = [HEADER]
    for week, w_maori, w_pacific in (("2021-06-06", 301, 4), ("2021-06-13", 400, 60),
                                     ("2021-06-20", 512, 75)):  # fmt: skip
        lines += [
            f"{week},Waikato,Maori,25-29,{w_maori},NA",
            f"{week},Waikato,Pacific Peoples,25-29,{w_pacific},NA",
            f"{week},Capital and Coast,Maori,25-29,210,NA",
            f"{week},Capital and Coast,Pacific Peoples,25-29,120,NA",
        ]
    version = publishing.publish_version(version=do_import(dataset, csv_bytes(*lines)), by=kaitiaki)
    indicator = Indicator.objects.get(dataset=dataset, code="first")
    obs = version.observations.select_related("area", "series", "period")
    cells = {(o.area.code, o.series.key, o.period.code): o for o in obs.filter(indicator=indicator)}
    return indicator, cells


def _measure(project_, actor):
    return project_services.measure_save(
        actor=actor, project=project_, name="First doses, young Māori in Waikato", unit="people",
        baseline=1, baseline_date=date(2021, 1, 1), target=900, target_date=date(2022, 12, 1),
        source="to be taken from the commons",
    )  # fmt: skip


MAORI = "ethnicity=Maori|age=25-29"
PACIFIC = "ethnicity=Pacific Peoples|age=25-29"


def test_a_measure_takes_the_published_baseline_and_current_value(data, project, lead):
    indicator, cells = data
    base, now = cells[("Waikato", MAORI, "2021-06-13")], cells[("Waikato", MAORI, "2021-06-20")]
    measure = _measure(project, lead)
    links.measure_link(
        actor=lead, measure=measure, indicator=indicator, area=base.area, series=base.series,
        baseline_period=base.period, current_period=now.period,
    )  # fmt: skip
    measure.refresh_from_db()
    assert measure.baseline == base.shown_value != Decimal(400)  # published, not stored
    assert measure.current == now.shown_value and measure.current % 3 == 0
    assert "Vaccinations by week" in measure.source and "version 1" in measure.source
    assert MeasureSource.objects.get(measure=measure).current_period == now.period


def test_a_hidden_value_cannot_be_taken_and_nothing_changes(data, project, lead):
    indicator, cells = data
    small = cells[("Waikato", PACIFIC, "2021-06-06")]
    later = cells[("Waikato", PACIFIC, "2021-06-20")]
    assert small.shown_value is None
    measure = _measure(project, lead)
    with pytest.raises(ValidationError, match="has no published value"):
        links.measure_link(
            actor=lead, measure=measure, indicator=indicator, area=small.area,
            series=small.series, baseline_period=small.period, current_period=later.period,
        )  # fmt: skip
    measure.refresh_from_db()
    assert measure.baseline == 1 and not MeasureSource.objects.exists()
    assert not measure.readings.exists()


def test_the_measure_page_takes_values_in_two_steps_and_outsiders_cannot(
    data, client, project, lead, outsider
):
    indicator, cells = data
    base, now = (
        cells[("Capital and Coast", MAORI, "2021-06-13")],
        cells[("Capital and Coast", MAORI, "2021-06-20")],
    )
    measure = _measure(project, lead)
    url = reverse("commons_measure_source", kwargs={"pk": measure.pk})
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(lead)
    step = client.get(url, {"indicator": indicator.pk}).content.decode()
    assert "Area, group and periods" in step and "Capital and Coast" in step
    response = client.post(
        f"{url}?indicator={indicator.pk}",
        {"indicator": indicator.pk, "area": base.area_id, "series": base.series_id,
         "baseline_period": base.period_id, "current_period": now.period_id},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-3000:]
    outcomes = client.get(response["Location"]).content.decode()
    assert "Values from the outcome data" in outcomes
    # The same period twice: refused, with the reason on the form.
    again = client.post(
        url,
        {"indicator": indicator.pk, "area": base.area_id, "series": base.series_id,
         "baseline_period": now.period_id, "current_period": base.period_id},
    )  # fmt: skip
    assert again.status_code == 400 and "must come after" in again.content.decode()


def test_a_restricted_projects_measure_is_counted_not_named_to_outsiders(
    data, client, restricted, lead, outsider
):
    indicator, cells = data
    base, now = cells[("Waikato", MAORI, "2021-06-13")], cells[("Waikato", MAORI, "2021-06-20")]
    measure = _measure(restricted, lead)
    links.measure_link(
        actor=lead, measure=measure, indicator=indicator, area=base.area, series=base.series,
        baseline_period=base.period, current_period=now.period,
    )  # fmt: skip
    page = reverse("commons_indicator", kwargs={"slug": indicator.dataset.slug, "pk": indicator.pk})
    client.force_login(outsider)
    seen = client.get(page).content.decode()
    assert restricted.title not in seen and "1 measure of restricted projects" in seen
    assert (
        client.get(reverse("commons_measure_source", kwargs={"pk": measure.pk})).status_code == 404
    )
    client.force_login(lead)
    assert restricted.title in client.get(page).content.decode()


def test_an_idea_cites_an_indicator_and_both_pages_show_it(data, client, person, colleague):
    indicator, cells = data
    idea = idea_services.idea_create(
        author=person.user, title="Vaccination days at the marae",
        summary="Bring vaccinators to where whānau already gather.",
        body="Weekend clinics at marae, with kai.", benefit="More young Māori protected.",
    )  # fmt: skip
    area = cells[("Waikato", MAORI, "2021-06-13")].area
    client.force_login(colleague.user)
    url = reverse("commons_cite") + f"?idea={idea.pk}"
    assert "Choose an indicator" in client.get(url).content.decode()
    response = client.post(
        f"{url}&indicator={indicator.pk}",
        {"indicator": indicator.pk, "area": area.pk, "note": "First doses lag for young Māori."},
    )
    assert response.status_code == 302
    idea_page = client.get(idea.get_absolute_url()).content.decode()
    assert "Evidence from the outcome data" in idea_page
    assert "First doses lag for young Māori." in idea_page
    indicator_page = client.get(
        reverse("commons_indicator", kwargs={"slug": indicator.dataset.slug, "pk": indicator.pk})
    ).content.decode()
    assert "Vaccination days at the marae" in indicator_page
    # Citing the same again is refused; only the citer takes it back.
    twice = client.post(
        f"{url}&indicator={indicator.pk}", {"indicator": indicator.pk, "area": area.pk, "note": "x"}
    )
    assert twice.status_code == 400 and "already cited" in twice.content.decode()
    citation = Citation.objects.get()
    client.force_login(person.user)
    delete = reverse("commons_uncite", kwargs={"pk": citation.pk})
    assert client.post(delete).status_code == 403
    client.force_login(colleague.user)
    assert client.post(delete).status_code == 302 and not Citation.objects.exists()


@pytest.mark.parametrize("query", ["", "?idea=99999", "?problem=abc", "?idea=1&indicator=x"])
def test_odd_citation_addresses_are_plain_404s(client, colleague, query):
    client.force_login(colleague.user)
    assert client.get(reverse("commons_cite") + query).status_code == 404


def test_a_dataset_cannot_take_the_slug_of_a_fixed_page(make_dataset):
    with pytest.raises(ValidationError, match="is a page of the outcome data"):
        make_dataset(slug="cite")
